import type { ArrearsEntry } from '@tollpad/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArrearsPort } from '../ports/centre-arrears';
import { type Harness, startHarness, TEST_USERS } from '../testing/harness';
import { DIALECTS } from '../testing/test-db';
import { configureWorld, TEST_WORLD } from '../testing/world';

type Json = Record<string, unknown>;

// A TEST plate with one open arrears entry at a stand-in centre (SYNTHETIC).
const PLATE = { plate: '鲁B7A001', colour: 0 };
const ENTRY: ArrearsEntry = {
  id: 'TEST-ARREARS-R1',
  vehicleId: '鲁B7A001_0',
  passId: 'TEST-PASS-R1',
  realEnStationId: 'G9001370010010',
  realExStationId: 'G9001370010020',
  confirmedEscapeTypeName: '闯关逃费',
  reason: 'TEST',
  oweFee: 4830 as ArrearsEntry['oweFee'],
  evasionCount: 1,
  isPreBlack: false,
  status: 'open',
  creationTime: '2026-11-01T08:00:00.000Z',
};
const centre: ArrearsPort = async (plate, colour) =>
  plate === PLATE.plate && colour === PLATE.colour
    ? { ok: true, value: { vehicleId: ENTRY.vehicleId, entries: [ENTRY], total: ENTRY.oweFee } }
    : { ok: true, value: { vehicleId: `${plate}_${colour}`, entries: [], total: 0 } };

for (const dialect of DIALECTS) {
  describe(`${dialect}: a payback recovered by the monitor`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(dialect, {}, { arrears: centre });
      await configureWorld(h);
    });
    afterAll(async () => h?.close());

    it('names the collector who took the money on its record, not the account ID', async () => {
      const as = (token: string, url: string, body: unknown) => h.call('POST', url, { token, body });
      const opened = await as(h.tokens.collector, '/arrears-paybacks', {
        laneId: TEST_WORLD.laneId,
        ...PLATE,
        entryIds: [ENTRY.id],
        amount: ENTRY.oweFee,
      });
      expect(opened.statusCode, opened.body).toBe(201);
      const id = opened.json().id as string;
      const paid = await as(h.tokens.collector, `/arrears-paybacks/${id}/payment`, {
        payment: 'cash',
        amount: ENTRY.oweFee,
      });
      expect(paid.statusCode, paid.body).toBe(200);
      const tradeId = paid.json().tradeId as string;
      // The handheld's answer is lost; the monitor finishes it from the collector's proof.
      const r = await as(h.tokens.monitor, `/arrears-paybacks/${id}/recover`, {
        outcome: 'debited',
        commit: { tradeId },
      });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toMatchObject({ state: 'committed' });
      expect((r.json().record as Json).operId).toBe(TEST_USERS.collector);
    });
  });
}
