import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PEER_HEADER } from '../../apps/centre/src/http/peer';
import {
  type Harness as CentreHarness,
  startHarness as startCentre,
} from '../../apps/centre/src/testing/harness';
import { centreArrears } from '../../apps/station/src/ports/centre-arrears';
import { cpcExitSteps, uploadTestPhoto } from '../../apps/station/src/testing/cpc-payment-rig';
import { type Harness, startHarness } from '../../apps/station/src/testing/harness';
import { DIALECTS } from '../../apps/station/src/testing/test-db';
import { configureWorld, TEST_WORLD } from '../../apps/station/src/testing/world';

/** A training plate's TEST arrears at a seeded centre (packages/card training-arrears.ts): 2 200 fen. */
const GREY = '鲁A12701';

type Json = Record<string, unknown>;

for (const dialect of DIALECTS) {
  describe(`${dialect}: 补缴 in the shift report and the hand-over — apart from the tolls, its cash in the till`, () => {
    let centre: CentreHarness;
    let h: Harness;
    let shiftId: string;
    let photo: string;

    beforeAll(async () => {
      centre = await startCentre(dialect);
      const centreUrl = await centre.centre.app.listen({ port: 0, host: '127.0.0.1' });
      const stationId = (await centre.centre.services.tariffs.activeAt()).network.stations[1]!.id;
      const asStation: typeof fetch = (url, init) =>
        fetch(url, { ...init, headers: { ...(init?.headers ?? {}), [TEST_PEER_HEADER]: stationId } });
      h = await startHarness(dialect, {}, { arrears: centreArrears(centreUrl, undefined, asStation) });
      ({ shiftId } = await configureWorld(h));
      photo = await uploadTestPhoto(h);
    });
    afterAll(async () => {
      await h?.close();
      await centre?.close();
    });

    it('counts a cash payback apart from the tolls, by payType, and expects its cash at the hand-over', async () => {
      const { collector, monitor, priced } = cpcExitSteps({
        h: () => h,
        cpcId: (serial) => `3700ACAC${String(serial).padStart(8, '0')}`,
        photo: () => photo,
      });
      // One toll paid cash.
      const exit = await priced('鲁A12345');
      const intent = await collector('POST', `/exits/${exit.id}/debit-intent`, {
        payment: 'cash',
        amount: exit.amount,
      });
      expect(intent.statusCode, intent.body).toBe(200);
      const c = await collector('POST', `/exits/${exit.id}/commit`, {
        tradeId: intent.json().tradeId,
        cardWrite: 'written',
      });
      expect(c.statusCode, c.body).toBe(201);

      // One payback paid cash, 100 yuan tendered.
      const owed = (await collector('GET', `/arrears/${encodeURIComponent(GREY)}?colour=0`)).json() as Json;
      expect(owed.total).toBe(2_200);
      const opened = await collector('POST', '/arrears-paybacks', {
        laneId: TEST_WORLD.laneId,
        plate: GREY,
        colour: 0,
        entryIds: (owed.entries as { id: string }[]).map((e) => e.id),
        amount: 2_200,
      });
      expect(opened.statusCode, opened.body).toBe(201);
      const pid = opened.json().id as string;
      const paid = await collector('POST', `/arrears-paybacks/${pid}/payment`, {
        payment: 'cash',
        amount: 2_200,
        tendered: 10_000,
      });
      expect(paid.statusCode, paid.body).toBe(200);
      const done = await collector('POST', `/arrears-paybacks/${pid}/commit`, {
        tradeId: paid.json().tradeId,
      });
      expect(done.statusCode, done.body).toBe(201);

      const report = (await collector('GET', `/shifts/${shiftId}/report`)).json();
      // The tolls are the exit alone; the payback is beside them.
      expect(report.totals).toMatchObject({ vehicles: 1, amount: exit.amount });
      expect(report.paybacks).toEqual({
        count: 1,
        amount: 2_200,
        byPayType: [{ payType: 1, name: '现金', count: 1, amount: 2_200 }],
      });
      const html = await collector('GET', `/shifts/${shiftId}/report.html`);
      expect(html.statusCode).toBe(200);
      expect(html.body).toContain('补缴（追缴欠费，不计入通行费）');
      expect(html.body).toContain('补缴：1 笔　金额：22.00 元　现金：1 笔 22.00 元');

      // The hand-over: blind to the collector (no amount, no cash line), full to the monitor.
      const blind = (await collector('GET', `/shifts/${shiftId}/handover`)).json();
      expect(blind.blind).toBe(true);
      expect(blind.paybacks).toEqual({ count: 1, amount: null, byPayType: [] });
      expect(blind.cash).toMatchObject({ vehicles: 1, paybacks: 1, expected: null });
      const full = (await monitor('GET', `/shifts/${shiftId}/handover`)).json();
      expect(full.paybacks.amount).toBe(2_200);
      // The till holds the toll and the payback (the change of the 100 yuan went back to the driver).
      expect(full.cash).toMatchObject({
        vehicles: 1,
        paybacks: 1,
        expected: exit.amount + 2_200,
        tendered: exit.amount + 10_000,
        change: 10_000 - 2_200,
      });
      expect(full.byPayType).toEqual([{ payType: 1, name: '现金', vehicles: 1, amount: exit.amount }]);
      // Counted exactly that: no difference.
      const handed = await collector('POST', `/shifts/${shiftId}/handover`, {
        cashCounted: exit.amount + 2_200,
      });
      expect(handed.statusCode, handed.body).toBeLessThan(300);
      expect((await monitor('GET', `/shifts/${shiftId}/handover`)).json().cash.difference).toBe(0);
    });
  });
}
