import { plateColourOf, vehicleClassOf } from '@tollpad/card';
import { ReaderBridgeServer } from '@tollpad/card/node';
import { blankEf0019, issueCard, VirtualReader } from '@tollpad/card/sim';
import { toBeijingSeconds } from '@tollpad/domain';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shot } from './browser';
import { loggedInPage, type Rig, startRig, toCardRead } from './setup';

/** A small TEST photo. */
function testPng(): Buffer {
  const png = new PNG({ width: 64, height: 48 });
  for (let i = 0; i < 64 * 48; i++) png.data.set([i % 256, (i * 7) % 256, 90, 255], i * 4);
  return PNG.sync.write(png);
}

describe('handheld with the websocket reader: a TEST card behind a reader bridge', () => {
  let rig: Rig;
  let bridge: ReaderBridgeServer;
  let url: string;
  const slot = new VirtualReader('card');

  beforeAll(async () => {
    rig = await startRig();
    // A TEST card with an entry two hours ago at the TEST world's entry station.
    const entry = {
      ...blankEf0019('2019'),
      network: rig.station.world.entryStationHex.slice(0, 4),
      station: rig.station.world.entryStationHex.slice(4, 8),
      lane: 1,
      time: toBeijingSeconds(new Date(Date.now() - 2 * 3600_000)),
      vehicleClass: vehicleClassOf(1),
      status: 0x03,
      plate: '鲁C24680',
      plateColour: plateColourOf(0),
      axles: 2,
    };
    slot.insert(
      issueCard({
        plate: '鲁C24680',
        colour: 0,
        class: 1,
        cardType: 'stored-value',
        algorithm: 'sm4',
        balance: 80_000,
        serial: 9_100_001,
        ef0019: entry,
      }).card,
    );
    bridge = new ReaderBridgeServer({ readers: { card: slot } });
    url = (await bridge.start()).url;
  }, 120_000);
  afterAll(async () => {
    await bridge?.close();
    await rig?.close();
  });

  it('reads and debits the card over the bridge, the active reader shown in the bar', async () => {
    const page = await loggedInPage(rig);
    await page.getByTestId('reader-toggle').click();
    await page.fill('#wsurl', url);
    await page.getByRole('button', { name: '读卡桥(WebSocket)' }).click();
    await page.waitForSelector('[data-testid=reader-bar][data-card=present]');
    expect(await page.getByTestId('reader-bar').textContent()).toContain('读卡桥');
    await page.getByTestId('reader-toggle').click();
    await toCardRead(page, rig.station.world.laneId);
    expect(await page.getByTestId('card-no').textContent()).toBe('99010000000009100001');
    await page.fill('#plate', '鲁C24680');
    // No camera and not training: the file-input fallback (the phone's camera app) takes the photo.
    await page.setInputFiles('input[type=file]', {
      name: 'vehicle.png',
      mimeType: 'image/png',
      buffer: testPng(),
    });
    await page.waitForSelector('img.photo');
    await page.getByTestId('submit-image').click();
    await page.waitForSelector('text=图片数据已提交');
    await page.getByTestId('compute-fee').click();
    await page.waitForSelector('[data-testid=fee-info]');
    await page.getByTestId('submit-data').click();
    await page.waitForSelector('[data-testid=result]', { timeout: 15_000 });
    await shot(page, 'websocket', '01-result');
    const amount = Number(((await page.getByTestId('fee-amount').textContent()) ?? '').replace(/[^\d]/g, ''));
    const card = slot.currentCard as unknown as { balance: number };
    expect(card.balance).toBe(80_000 - amount);
    await page.context().close();
  }, 60_000);
});
