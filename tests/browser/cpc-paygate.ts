import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoredRecord } from '@tollpad/station-api';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startTestPaygate, type TestPaygate } from '../../apps/station/src/testing/paygate';
import { type Rig, trainingVehicle, useRig } from './setup';

/** The station process's settings that point it at the payment platform. */
const PAYGATE_ENV = ['PAYGATE_URL', 'PAYGATE_MERCHANT_ID', 'PAYGATE_MERCHANT_KEY', 'PAYGATE_CA_FILE'];

/**
 * The rig of the enclosing `describe` paying through the reference payment platform over HTTPS on its real
 * clock: the station process is pointed at it by its PAYGATE_* settings (set before the rig starts the station,
 * which inherits this environment). Getters: both exist once `beforeAll` ran.
 */
export function usePaygateRig(tmpPrefix: string): { rig: () => Rig; paygate: () => TestPaygate } {
  let paygate: TestPaygate | undefined;
  const dir = mkdtempSync(join(tmpdir(), tmpPrefix));
  beforeAll(async () => {
    paygate = await startTestPaygate();
    paygate.h.clock.set(new Date());
    const caFile = join(dir, 'paygate-ca.pem');
    const ca = paygate.port.ca;
    if (!ca) throw new Error('the TEST paygate serves HTTPS with its own CA');
    writeFileSync(caFile, ca);
    Object.assign(process.env, {
      PAYGATE_URL: paygate.port.url,
      PAYGATE_MERCHANT_ID: paygate.port.merchantId,
      PAYGATE_MERCHANT_KEY: paygate.port.merchantKey,
      PAYGATE_CA_FILE: caFile,
    });
  });
  const rig = useRig();
  afterAll(async () => {
    for (const k of PAYGATE_ENV) delete process.env[k];
    await paygate?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    rig,
    paygate: () => {
      if (!paygate) throw new Error('TEST: the paygate starts in beforeAll');
      return paygate;
    },
  };
}

/**
 * A training CPC vehicle, then home → lane → 【CPC卡交易】 → 【读卡】 → photo → 【提交图片数据】 → 【算费】 (stops at
 * the fee). The station HEX is learned after login and the training CPC is planned to it: waited for first.
 */
export async function trainingCpcAtFee(page: Page, laneId: string): Promise<void> {
  await page.waitForFunction(() => localStorage.getItem('tollpad.stationHex') !== null);
  await trainingVehicle(page, 'cpc-car');
  await page.click(`[data-lane="${laneId}"]`);
  await page.click('[data-testid=start-cpc-exit]');
  await page.click('[data-testid=read-card]');
  await page.waitForSelector('[data-testid=card-panel]');
  await page.click('[data-testid=take-photo]');
  await page.waitForSelector('img.photo');
  await page.click('[data-testid=submit-image]');
  await page.waitForSelector('text=图片数据已提交');
  await page.click('[data-testid=compute-fee]');
  await page.waitForSelector('[data-testid=fee-info]');
}

/** The station's stored records of one trade (from the monitor's recent records). */
export async function recordOf(rig: Rig, tradeId: string): Promise<StoredRecord[]> {
  const records = await rig.station.api('monitor', 'GET', '/records?limit=50');
  return (records.json as StoredRecord[]).filter((r) => r.tradeId === tradeId);
}
