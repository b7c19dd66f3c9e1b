import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spkiSha256 } from '@tollpad/server-kit';
import type { StoredRecord } from '@tollpad/station-api';
import { BarcodeFormat, QRCodeWriter } from '@zxing/library';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPaygate, type TestPaygate } from '../../apps/station/src/testing/paygate';
import { shot } from './browser';
import { trainingCpcAtFee } from './cpc-paygate';
import { loggedInPage, useRig } from './setup';

const W = 640;
const H = 480;

/**
 * A Y4M video (what Chromium's fake camera plays, looping) of a driver's phone showing `text` as a QR code:
 * black modules on white, drawn by ZXing's encoder (the decoder under test is another part of the library).
 */
function qrVideo(text: string, frames = 5): Buffer {
  const size = 400;
  const m = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, size, size, new Map());
  const y = Buffer.alloc(W * H, 235);
  const ox = (W - size) / 2;
  const oy = (H - size) / 2;
  for (let r = 0; r < size; r++)
    for (let c = 0; c < size; c++) if (m.get(c, r)) y[(oy + r) * W + ox + c] = 16;
  const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma]);
  return Buffer.concat([
    Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`),
    ...Array(frames).fill(frame),
  ]);
}

describe('handheld in a real browser: a CPC exit paid by the camera reading the driver’s code', () => {
  let paygate: TestPaygate;
  let camera: Browser;
  let code = '';
  const dir = mkdtempSync(join(tmpdir(), 'hh-pay-cam-'));
  beforeAll(async () => {
    paygate = await startTestPaygate();
    paygate.h.clock.set(new Date());
    const ca = paygate.port.ca;
    if (!ca) throw new Error('the TEST paygate serves HTTPS with its own CA');
    writeFileSync(join(dir, 'paygate-ca.pem'), ca);
    Object.assign(process.env, {
      PAYGATE_URL: paygate.port.url,
      PAYGATE_MERCHANT_ID: paygate.port.merchantId,
      PAYGATE_MERCHANT_KEY: paygate.port.merchantKey,
      PAYGATE_CA_FILE: join(dir, 'paygate-ca.pem'),
    });
    code = paygate.code('0001'); // TEST: pays at once
    writeFileSync(join(dir, 'code.y4m'), qrVideo(code));
  });
  const rig = useRig();
  afterAll(async () => {
    await camera?.close();
    for (const k of ['PAYGATE_URL', 'PAYGATE_MERCHANT_ID', 'PAYGATE_MERCHANT_KEY', 'PAYGATE_CA_FILE'])
      delete process.env[k];
    await paygate?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('【相机扫码】 decodes the QR (ZXing, loaded only now), the payment goes through, the card is written', async () => {
    // The rig's Chromium, plus a fake camera playing the code (and no permission prompt).
    camera = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-video-capture=${join(dir, 'code.y4m')}`,
        `--ignore-certificate-errors-spki-list=${spkiSha256(rig().station.ca.cert)}`,
      ],
    });
    const page = await loggedInPage({ ...rig(), browser: camera });
    await trainingCpcAtFee(page, rig().station.world.laneId);
    await page.click('[data-testid=pay-qr]');
    // The decoder is not in the page until the camera opens.
    const loaded = () =>
      page.evaluate(() =>
        performance.getEntriesByType('resource').some((e) => e.name.includes('code-scanner')),
      );
    expect(await loaded()).toBe(false);
    const started = Date.now();
    await page.click('[data-testid=open-camera]');
    // Decoded, sent, paid at once (TEST code 0001) and written: the progress may come and go unseen.
    await page.waitForSelector('[data-testid=collect-cpc]', { timeout: 40_000 });
    console.log(`[handheld] camera: 【相机扫码】 → paid and CPC written in ${Date.now() - started} ms`);
    expect(await loaded()).toBe(true);
    expect(await page.getByTestId('cpc-written').isVisible()).toBe(true);
    const tradeId = (await page.getByTestId('trade-id').textContent()) ?? '';
    const records = await rig().station.api('monitor', 'GET', '/records?limit=50');
    const mine = (records.json as StoredRecord[]).filter((r) => r.tradeId === tradeId);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.record).toMatchObject({ payType: 7 });
    await shot(page, 'cpc-pay-camera', '01-done');
    await page.context().close();
  }, 120_000);
});
