import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PEER_HEADER } from '../../apps/centre/src/http/peer';
import {
  type Harness as CentreHarness,
  startHarness as startCentre,
} from '../../apps/centre/src/testing/harness';
import { centreArrears } from '../../apps/station/src/ports/centre-arrears';
import { type Harness, startHarness } from '../../apps/station/src/testing/harness';
import { DIALECTS } from '../../apps/station/src/testing/test-db';
import { configureWorld, testReference } from '../../apps/station/src/testing/world';

/** The training plates' TEST arrears at a seeded centre (packages/card training-arrears.ts). */
const BLACK = '鲁A11801';
const GREY = '鲁A12701';

for (const dialect of DIALECTS) {
  describe(`${dialect}: a plate's arrears through the station`, () => {
    let centre: CentreHarness;
    let centreUrl: string;
    let h: Harness;
    let offline: Harness;
    let asked = 0;

    beforeAll(async () => {
      centre = await startCentre(dialect);
      centreUrl = await centre.centre.app.listen({ port: 0, host: '127.0.0.1' });
      const stationId = (await centre.centre.services.tariffs.activeAt()).network.stations[1]!.id;
      // The real centre in its plain-HTTP test mode: the station's certificate is the TEST peer header.
      const asStation: typeof fetch = (url, init) => {
        asked++;
        return fetch(url, { ...init, headers: { ...(init?.headers ?? {}), [TEST_PEER_HEADER]: stationId } });
      };
      const reference = testReference({
        vehicle: { version: 'TEST-VEH-1', entries: [{ key: `${GREY}_0`, type: 2, reason: '预追缴 (TEST)' }] },
      });
      h = await startHarness(
        dialect,
        {},
        { reference, arrears: centreArrears(centreUrl, undefined, asStation) },
      );
      await configureWorld(h);
      // A centre that does not answer: a closed port.
      offline = await startHarness(
        dialect,
        {},
        { reference, arrears: centreArrears('http://127.0.0.1:9', undefined, fetch) },
      );
      await configureWorld(offline);
    });
    afterAll(async () => {
      await h?.close();
      await offline?.close();
      await centre?.close();
    });

    const ask = (x: Harness, plate: string, colour = 0, token = x.tokens.collector) =>
      x.call('GET', `/arrears/${encodeURIComponent(plate)}?colour=${colour}`, { token });

    it('answers the centre’s open entries with the amounts, why, and 118 for a black entry', async () => {
      const res = await ask(h, BLACK);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ vehicleId: `${BLACK}_0`, source: 'centre', total: 4_830, note: null });
      expect(body.entries.map((e: { confirmedEscapeTypeName: string }) => e.confirmedEscapeTypeName)).toEqual(
        ['闯关逃费', '倒换卡逃费'],
      );
      expect(body.specials.map((s: { code: number }) => s.code)).toEqual([118]);
    });

    it('answers 127 for a grey (预追缴) entry, with the list hit beside it', async () => {
      const body = (await ask(h, GREY)).json();
      expect(body.specials.map((s: { code: number }) => s.code)).toEqual([127]);
      expect(body.listHit).toMatchObject({ list: 'vehicle', type: 2 });
      expect(body.total).toBe(2_200);
    });

    it('reuses a recent answer instead of asking the centre again', async () => {
      const before = asked;
      await ask(h, '闽A11802');
      await ask(h, '闽A11802');
      expect(asked - before).toBe(1);
    });

    it('falls back to the chase list’s hit alone, with a Chinese note, when the centre is unreachable', async () => {
      const body = (await ask(offline, GREY)).json();
      expect(body).toMatchObject({ source: 'list', total: 0, entries: [] });
      expect(body.specials.map((s: { code: number }) => s.code)).toEqual([127]);
      expect(body.note).toMatch(/中心暂时无法连接/);
      expect((await ask(offline, BLACK)).json()).toMatchObject({ source: 'none', specials: [], note: null });
    });

    it('refuses a stranger and a plate that is not one', async () => {
      const anon = await h.call('GET', `/arrears/${encodeURIComponent(BLACK)}?colour=0`);
      expect(anon.statusCode).toBe(401);
      const bad = await ask(h, 'XX');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().code).toBe('STN_ERR_EXIT_PLATE_INVALID');
      expect((await ask(h, BLACK, 100)).statusCode).toBe(400);
    });
  });
}
