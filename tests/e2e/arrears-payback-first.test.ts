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
import { configureWorld, TEST_WORLD, testReference } from '../../apps/station/src/testing/world';

/** The training plates' TEST arrears at a seeded centre (packages/card training-arrears.ts). */
const BLACK = '鲁A11801';
const GREY = '鲁A12701';

type Json = Record<string, unknown>;

/** Both plates on the station's chase list (1 追缴, 2 预追缴): the exit's photo step hits them (118/127). */
const reference = testReference({
  vehicle: {
    version: 'TEST-VEH-ARREARS-1',
    entries: [
      { key: `${BLACK}_0`, type: 1, reason: '追缴 (TEST)' },
      { key: `${GREY}_0`, type: 2, reason: '预追缴 (TEST)' },
    ],
  },
});

for (const dialect of DIALECTS) {
  describe(`${dialect}: ARREARS_PAYBACK_BEFORE_EXIT — the exit waits for the payback when the province says so`, () => {
    let centre: CentreHarness;
    let first: Harness;
    let lax: Harness;
    const photos = new Map<Harness, string>();

    beforeAll(async () => {
      centre = await startCentre(dialect);
      const centreUrl = await centre.centre.app.listen({ port: 0, host: '127.0.0.1' });
      const stationId = (await centre.centre.services.tariffs.activeAt()).network.stations[1]!.id;
      const asStation: typeof fetch = (url, init) =>
        fetch(url, { ...init, headers: { ...(init?.headers ?? {}), [TEST_PEER_HEADER]: stationId } });
      const arrears = centreArrears(centreUrl, undefined, asStation);
      first = await startHarness(dialect, { arrearsPaybackBeforeExit: true }, { reference, arrears });
      lax = await startHarness(dialect, {}, { reference, arrears });
      for (const h of [first, lax]) {
        await configureWorld(h);
        photos.set(h, await uploadTestPhoto(h));
      }
    });
    afterAll(async () => {
      await first?.close();
      await lax?.close();
      await centre?.close();
    });

    const steps = (h: Harness, prefix: string) =>
      cpcExitSteps({
        h: () => h,
        cpcId: (serial) => `${prefix}${String(serial).padStart(8, '0')}`,
        photo: () => photos.get(h)!,
      });

    it('refuses the payment intent of a chase-list plate until its payback is committed, then takes it', async () => {
      const { collector, priced } = steps(first, '3700ABAB');
      const exit = await priced(BLACK);
      const cash = { payment: 'cash', amount: exit.amount };
      const refused = await collector('POST', `/exits/${exit.id}/debit-intent`, cash);
      expect(refused.statusCode, refused.body).toBe(409);
      expect(refused.json().code).toBe('STN_ERR_ARREARS_PAYBACK_FIRST');
      expect(refused.json().message).toMatch(/补缴/);
      // Nothing was taken: the exit is still priced.
      expect((await collector('GET', `/exits/${exit.id}`)).json().state).toBe('priced');

      const owed = (await collector('GET', `/arrears/${encodeURIComponent(BLACK)}?colour=0`)).json() as Json;
      const entries = owed.entries as { id: string }[];
      const opened = await collector('POST', '/arrears-paybacks', {
        laneId: TEST_WORLD.laneId,
        plate: BLACK,
        colour: 0,
        entryIds: entries.map((e) => e.id),
        amount: owed.total,
        exitTxnId: exit.id,
      });
      expect(opened.statusCode, opened.body).toBe(201);
      const pid = opened.json().id as string;
      const paid = await collector('POST', `/arrears-paybacks/${pid}/payment`, {
        payment: 'cash',
        amount: owed.total,
      });
      expect(paid.statusCode, paid.body).toBe(200);
      // Paid but not committed: still refused (the payback could yet be undone).
      const early = await collector('POST', `/exits/${exit.id}/debit-intent`, cash);
      expect(early.json().code).toBe('STN_ERR_ARREARS_PAYBACK_FIRST');
      const committed = await collector('POST', `/arrears-paybacks/${pid}/commit`, {
        tradeId: paid.json().tradeId,
      });
      expect(committed.statusCode, committed.body).toBe(201);

      // The centre still lists the entries until the record reaches it; the committed payback here holds them.
      const taken = await collector('POST', `/exits/${exit.id}/debit-intent`, cash);
      expect(taken.statusCode, taken.body).toBe(200);
      expect(taken.json().tradeId).toMatch(/^.{21}\d{16}$/);
    });

    it('lets a plate with no hit pay at once', async () => {
      const { collector, priced } = steps(first, '3700ABAC');
      const exit = await priced('鲁A12345');
      const ok = await collector('POST', `/exits/${exit.id}/debit-intent`, {
        payment: 'cash',
        amount: exit.amount,
      });
      expect(ok.statusCode, ok.body).toBe(200);
    });

    it('by default (off) the exit of a plate with open arrears is paid without the payback', async () => {
      const { collector, priced } = steps(lax, '3700ABAD');
      const exit = await priced(GREY);
      const t = (await collector('GET', `/exits/${exit.id}`)).json() as Json;
      const image = (t.checks as { imageSpecials: { code: number }[] }).imageSpecials.map((s) => s.code);
      expect(image).toContain(127);
      const ok = await collector('POST', `/exits/${exit.id}/debit-intent`, {
        payment: 'cash',
        amount: exit.amount,
      });
      expect(ok.statusCode, ok.body).toBe(200);
    });
  });
}
