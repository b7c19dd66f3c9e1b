import type { PollSchedule } from '@tollpad/payment';
import type { CpcRead } from '@tollpad/station-api';
import { lookupMinFee } from '@tollpad/tariff';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { StationConfig } from '../config';
import type { DialectName } from '../db/database';
import { paygatePort } from '../ports/paygate-port';
import { type Harness, startHarness } from './harness';
import { startTestPaygate, type TestPaygate } from './paygate';
import { TEST_PNG } from './sim-handheld';
import { testCpcRead } from './test-cpc';
import { configureWorld, TEST_WORLD, testReference } from './world';

/**
 * The rig of the station's payment tests: a station per engine against the reference platform in-process, and
 * a TEST CPC exit taken through 【读卡】 → 【提交图片数据】 → 【算费】 (and paid by a TEST WeChat code) over HTTP.
 */
type Json = Record<string, unknown>;

export const HOUR = 3600_000;

/** The TEST tariff's fee from the TEST world's entry station to its exit, class 1. */
export const TEST_MIN_FEE = (() => {
  const r = lookupMinFee(testReference().tariff.tables, TEST_WORLD.entryStationHex, TEST_WORLD.stationId, 1);
  if (!r.ok || !r.value.reachable) throw new Error('TEST tariff: no min fee');
  return r.value.fee;
})();

/** Short TEST polls (the order of the steps is the runner's). */
export const FAST_POLLS: PollSchedule = {
  firstDelaysMs: [200],
  thenEveryMs: 200,
  deadlineMs: 30_000,
  resolveQueries: 3,
  resolveEveryMs: 200,
};

/** The reference platform, then a station of `dialect` paying through it on the fast TEST polls. */
export async function startPaygateStation(
  dialect: DialectName,
  overrides: Partial<StationConfig> = {},
): Promise<{ pg: TestPaygate; h: Harness }> {
  const pg = await startTestPaygate();
  const h = await startHarness(dialect, overrides, {
    paymentPort: paygatePort(pg.port),
    paymentSchedule: FAST_POLLS,
  });
  return { pg, h };
}

/** The TEST photo uploaded by the collector: its SHA-256, for 【提交图片数据】. */
export async function uploadTestPhoto(h: Harness): Promise<string> {
  const img = await h.call('POST', '/images', {
    token: h.tokens.collector,
    body: TEST_PNG,
    headers: { 'content-type': 'image/png' },
  });
  return img.json().sha256 as string;
}

/** The station's and the platform's TEST clocks, both to `at`. */
export function moveClocks(h: Harness, pg: TestPaygate, at: Date): void {
  h.clock.now = at;
  pg.h.clock.freeze(at);
}

/**
 * startPaygateStation, both clocks at `at` when given, then the TEST world (its shift opened then) and the
 * collector's TEST photo.
 */
export async function startPaygateWorld(
  dialect: DialectName,
  o: { overrides?: Partial<StationConfig>; at?: Date } = {},
): Promise<{ pg: TestPaygate; h: Harness; shiftId: string; photo: string }> {
  const { pg, h } = await startPaygateStation(dialect, o.overrides);
  if (o.at) moveClocks(h, pg, o.at);
  const { shiftId } = await configureWorld(h);
  return { pg, h, shiftId, photo: await uploadTestPhoto(h) };
}

/**
 * TEST CPCs entered two hours ago with one gantry an hour ago; each is another card (`cpcId` of a fresh serial:
 * a closed CPC read again within 24 h is refused).
 */
function testCpcs(now: () => Date, cpcId: (serial: number) => string): () => CpcRead {
  let serial = 0;
  return () => {
    serial += 1;
    const at = now().getTime();
    return testCpcRead({
      cpcId: cpcId(serial),
      entryTime: new Date(at - 2 * HOUR),
      gantries: [{ hex: '000001', time: new Date(at - HOUR), fee: TEST_MIN_FEE }],
    });
  };
}

/** One role's call to the station's API. */
export type Send = (method: 'GET' | 'POST', url: string, body?: unknown) => Promise<LightMyRequestResponse>;
type Role = 'collector' | 'monitor';

/**
 * The steps of a CPC exit over the API of the station `h`, as its collector (its monitor authorises where
 * asked); also their calls.
 */
export function cpcExitSteps(o: {
  h: () => Harness;
  /** The TEST CPC ID of the `serial`th CPC these steps read. */
  cpcId: (serial: number) => string;
  photo: () => string;
  /** A fresh TEST code that pays (the platform's); only for paidByQr. */
  code?: () => string;
  /** How a role's call reaches the station (through the harness unless told). */
  send?: (role: Role) => Send;
}) {
  const send =
    o.send ??
    ((role: Role): Send =>
      (method, url, body) =>
        o.h().call(method, url, { token: o.h().tokens[role], ...(body === undefined ? {} : { body }) }));
  const collector = send('collector');
  const monitor = send('monitor');
  const cpc = testCpcs(() => o.h().clock.now, o.cpcId);

  /** 【读卡】 → 【提交图片数据】 → 【算费】: the priced transaction's ID and amount due. */
  async function priced(plate = '鲁A12345'): Promise<{ id: string; amount: number }> {
    const created = await collector('POST', '/exits', { laneId: TEST_WORLD.laneId, cpc: cpc() });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    await collector('POST', `/exits/${id}/image`, { plate, plateColour: 0, photoSha256: o.photo() });
    const fee = await collector('POST', `/exits/${id}/fee`, { vehicleClass: 1, vehicleKind: 0 });
    expect(fee.statusCode, fee.body).toBe(200);
    const t = fee.json() as Json;
    if ((t.authorisation as Json).status === 'required') {
      const ok = await monitor('POST', `/exits/${id}/authorisation`, {
        approve: true,
        reason: '核实无误 (TEST)',
      });
      expect(ok.statusCode, ok.body).toBe(200);
    }
    return { id, amount: (t.fee as Json).fee as number };
  }

  /** Long-polls the payment until it is final. */
  async function settled(id: string): Promise<Json> {
    let s = (await collector('GET', `/exits/${id}/payment?waitMs=0`)).json() as Json;
    for (let i = 0; i < 60 && !s.final; i++) {
      const res = await collector('GET', `/exits/${id}/payment?waitMs=2000&since=${s.version as number}`);
      expect(res.statusCode, res.body).toBe(200);
      s = res.json();
    }
    return s;
  }

  /** A CPC exit paid by a TEST WeChat code; committed unless told not to. */
  async function paidByQr(opts: { commit?: boolean; plate?: string } = {}) {
    if (!o.code) throw new Error('TEST: paidByQr needs the platform’s codes');
    const { id, amount } = await priced(opts.plate);
    const intent = await collector('POST', `/exits/${id}/debit-intent`, {
      payment: 'qr',
      amount,
      mode: 'code',
      authCode: o.code(),
    });
    expect(intent.statusCode, intent.body).toBe(200);
    const tradeId = intent.json().tradeId as string;
    const s = await settled(id);
    expect(s.phase).toBe('succeeded');
    if (opts.commit ?? true) {
      const c = await collector('POST', `/exits/${id}/commit`, { tradeId, cardWrite: 'written' });
      expect(c.statusCode, c.body).toBe(201);
    }
    return { id, amount, tradeId, payId: s.payId as string, outTradeNo: s.outTradeNo as string };
  }

  return { collector, monitor, priced, settled, paidByQr };
}
