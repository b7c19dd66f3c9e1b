import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';
import { DIALECTS } from '../testing/test-db';
import { configureWorld } from '../testing/world';

/**
 * 【交班】 sent several times at once (a double tap, a retry over a slow network): one hand-over, and every
 * other answer the stable STN_ERR_HANDOVER_ALREADY_DONE — never a 500 from the table's key (PostgreSQL runs
 * the transactions side by side).
 */
for (const dialect of DIALECTS) {
  describe(`${dialect}: hand-over sent twice at once`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(dialect);
      await configureWorld(h);
    });
    afterAll(async () => h?.close());

    it('hands the shift over once; the others are refused with STN_ERR_HANDOVER_ALREADY_DONE', async () => {
      const token = h.tokens.collector;
      const opened = await h.call('POST', '/shifts', { token });
      const id = (
        opened.statusCode === 201 ? opened.json() : (await h.call('GET', '/shifts/current', { token })).json()
      ).id as string;
      const answers = await Promise.all(
        [0, 1, 2, 3].map((n) =>
          h.call('POST', `/shifts/${id}/handover`, { token, body: { cashCounted: 100 + n } }),
        ),
      );
      const codes = answers.map((r) => (r.statusCode === 200 ? '200' : `${r.statusCode} ${r.json().code}`));
      expect(codes.filter((c) => c === '200')).toHaveLength(1);
      expect(codes.filter((c) => c !== '200')).toEqual(Array(3).fill('409 STN_ERR_HANDOVER_ALREADY_DONE'));
      const rows = await h.station.services.db.db
        .selectFrom('shift_handovers')
        .selectAll()
        .where('shift_id', '=', id)
        .execute();
      expect(rows).toHaveLength(1);
    });
  });
}
