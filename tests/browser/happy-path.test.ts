import type { StoredRecord } from '@tollpad/station-api';
import { describe, expect, it } from 'vitest';
import { shot } from './browser';
import { loggedInPage, Taps, toFee, trainingVehicle, useRig } from './setup';

describe('handheld in a real browser: the happy path', () => {
  const rig = useRig();

  for (const [name, vehicle, plate] of [
    ['car', 'car', '鲁A12345_0'],
    ['truck', 'truck', '鲁B67890_1'],
  ] as const) {
    it(`takes a ${name} from login to the record at the station in ≤ 8 taps from home`, async () => {
      const page = await loggedInPage(rig());
      await trainingVehicle(page, vehicle);
      await shot(page, `happy-${name}`, '01-home');
      const taps = new Taps(page);
      await toFee(page, rig().station.world.laneId, taps, `happy-${name}`);
      await taps.tap('[data-testid=submit-data]');
      await page.waitForSelector('[data-testid=result]', { timeout: 15_000 });
      await shot(page, `happy-${name}`, '05-result');
      const tradeId = (await page.getByTestId('trade-id').textContent()) ?? '';
      const tac = (await page.getByTestId('result-tac').textContent()) ?? '';
      console.log(`[handheld] happy path (${name}): ${taps.n} taps from home to the result`);
      expect(taps.n).toBeLessThanOrEqual(8);
      expect(tac).toMatch(/^[0-9A-F]{8}$/);
      const records = await rig().station.api('monitor', 'GET', `/records?limit=50`);
      const mine = (records.json as StoredRecord[]).filter((r) => r.tradeId === tradeId);
      expect(mine).toHaveLength(1);
      expect(mine[0]?.vehicleId).toBe(plate);
      await page.getByTestId('back-home').click();
      await page.waitForSelector('[data-testid=lanes]');
      await page.context().close();
    }, 60_000);
  }
});
