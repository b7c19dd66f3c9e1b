import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { TEST_KDF } from '../services/password';
import { createStation, type Station } from '../station';
import { type Harness, startHarness } from '../testing/harness';
import { uploadLoadPhotos } from '../testing/load-photos';
import { testCpcRead } from '../testing/test-cpc';
import { DIALECTS } from '../testing/test-db';
import { configureWorld, TEST_WORLD, testReference } from '../testing/world';

type Json = Record<string, unknown>;
const HOUR = 3600_000;
// TEST plate with an appointment (SYNTHETIC).
const LISTS = { green: { version: 'TEST-GREEN-1', entries: [{ key: '鲁B6T301_1', type: 1 }] } };

/**
 * 【算费】 asks the database for an exit's inspection only when it may have one (inspected by this process, or
 * opened before it started): an exit inspected before a restart is still priced free after it.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect}: an inspection made before the station restarted still counts`, () => {
    let h: Harness;
    let again: Station | undefined;

    beforeAll(async () => {
      h = await startHarness(dialect, {}, { reference: testReference(LISTS) });
      await configureWorld(h);
    });
    afterAll(async () => {
      await again?.close();
      await h?.db.drop();
    });

    it('inspected, restarted, priced free', async () => {
      const call = (s: Station, method: 'GET' | 'POST', url: string, body?: unknown) =>
        s.app.inject({
          method,
          url,
          headers: { authorization: `Bearer ${h.tokens.collector}` },
          ...(body === undefined ? {} : { payload: body as object }),
        });
      const now = h.clock.now.getTime();
      const read = testCpcRead({
        cpcId: '3700FFEC00000001',
        entryTime: new Date(now - 2 * HOUR),
        gantries: [{ hex: '000001', time: new Date(now - HOUR), fee: 1000 }],
      });
      const id = (await call(h.station, 'POST', '/exits', { laneId: TEST_WORLD.laneId, cpc: read })).json()
        .id as string;
      const [photo, ...load] = await uploadLoadPhotos(h, 4);
      await call(h.station, 'POST', `/exits/${id}/image`, {
        plate: '鲁B6T301',
        plateColour: 1,
        photoSha256: photo,
      });
      const r = await call(h.station, 'POST', `/exits/${id}/green-inspection`, {
        cargo: ['L03'],
        result: 'pass',
        photos: load,
      });
      expect(r.statusCode, r.body).toBe(201);

      h.clock.now = new Date(now + 60_000);
      await h.station.close(); // the station stops; the database stays
      again = await createStation({
        config: { ...loadConfig({}), databaseUrl: h.db.databaseUrl, dataDir: h.db.dataDir },
        kdf: TEST_KDF,
        logger: false,
        now: () => h.clock.now,
        reference: testReference(LISTS),
      });
      const priced = await call(again, 'POST', `/exits/${id}/fee`, { vehicleClass: 1, vehicleKind: 21 });
      expect(priced.statusCode, priced.body).toBe(200);
      expect((priced.json().fee as Json).fee).toBe(0);
    });
  });
}
