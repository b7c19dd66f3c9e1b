import { fitPath } from '@tollpad/tariff';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PEER_HEADER } from '../../apps/centre/src/http/peer';
import {
  type Harness as CentreHarness,
  startHarness as startCentre,
} from '../../apps/centre/src/testing/harness';
import { testJpeg } from '../../apps/centre/src/testing/test-jpeg';
import { centrePath } from '../../apps/station/src/ports/centre-path';
import { type Harness, startHarness } from '../../apps/station/src/testing/harness';
import { otherCollector } from '../../apps/station/src/testing/other-collector';
import { collectorHandheld, plainVehicle } from '../../apps/station/src/testing/plain-vehicle';
import { TEST_PNG } from '../../apps/station/src/testing/sim-handheld';
import { testCpcRead } from '../../apps/station/src/testing/test-cpc';
import { DIALECTS } from '../../apps/station/src/testing/test-db';
import { configureWorld, TEST_NETWORK, TEST_WORLD } from '../../apps/station/src/testing/world';

const HOUR = 3_600_000;
const ZEROS = '0'.repeat(64);

/** A stand-in centre (TEST) whose path names one gantry photo, served at `photoBytes` bytes. */
async function oversizeCentre(photoBytes: number) {
  const app = Fastify({ forceCloseConnections: true });
  const photoId = 'a'.repeat(64);
  const path = {
    passId: null,
    plate: null,
    version: 'TEST',
    fit: { ok: false, reason: 'TEST', special: null },
    entry: null,
    gantries: [
      {
        id: 'G0001',
        hex: '000001',
        time: null,
        fee: null,
        observed: true,
        photo: { id: photoId, source: 'gantry' },
      },
    ],
    exit: null,
  };
  app.get('/passes/:passId/path', async () => path);
  app.get('/plates/:plate/path', async () => path);
  app.get('/photos/:id', async (_req, reply) => {
    const big = Buffer.alloc(photoBytes, 0x20);
    big.set([0xff, 0xd8], 0);
    big.set([0xff, 0xd9], photoBytes - 2);
    return reply.type('image/jpeg').send(big);
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, photoRef: `c-${photoId}`, close: () => app.close() };
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: an exit's path through the station`, () => {
    let centre: CentreHarness;
    let h: Harness;
    let offline: Harness;
    let slow: Harness;
    let big: Awaited<ReturnType<typeof oversizeCentre>>;
    let bigStation: Harness;
    const hangs = Fastify({ forceCloseConnections: true });

    beforeAll(async () => {
      centre = await startCentre(dialect);
      const centreUrl = await centre.centre.app.listen({ port: 0, host: '127.0.0.1' });
      // The real centre in its plain-HTTP test mode: the station's certificate is the TEST peer header.
      const asStation: typeof fetch = (url, init) =>
        fetch(url, {
          ...init,
          headers: { ...(init?.headers ?? {}), [TEST_PEER_HEADER]: TEST_WORLD.stationId },
        });
      h = await startHarness(dialect, {}, { path: centrePath(centreUrl, undefined, asStation) });
      await configureWorld(h);
      // A centre that does not answer (a closed port), and one that answers too late.
      offline = await startHarness(dialect, {}, { path: centrePath('http://127.0.0.1:9') });
      await configureWorld(offline);
      // Answers after the station stopped waiting (its bound is 200 ms here).
      hangs.get('/*', () => new Promise((done) => setTimeout(() => done({}), 2_000)));
      const hangsUrl = await hangs.listen({ port: 0, host: '127.0.0.1' });
      slow = await startHarness(dialect, {}, { path: centrePath(hangsUrl), pathTimeoutMs: 200 });
      await configureWorld(slow);
      big = await oversizeCentre(600 * 1024);
      bigStation = await startHarness(dialect, {}, { path: centrePath(big.url) });
      await configureWorld(bigStation);
    });
    afterAll(async () => {
      for (const x of [h, offline, slow, bigStation]) await x?.close();
      await centre?.close();
      await big?.close();
      await hangs.close();
    });

    const get = (x: Harness, url: string, token = x.tokens.collector) => x.call('GET', url, { token });

    it('serves the centre’s path for the exit’s PassID: entry, gantry with time, fee and photo, exit, map positions', async () => {
      const { txnId, record } = await collectorHandheld(h).runExit(plainVehicle(h, 9101));
      const net = (await centre.centre.services.tariffs.activeAt()).network;
      const fit = await centre.centre.services.tariffs.activeAt();
      const planned = fitPath(fit.tables, {
        entryStation: net.stations[0]!.id,
        exitStation: TEST_WORLD.stationId,
        vehicleClass: 1,
        gantries: [],
      });
      if (!planned.ok || planned.gantries.length === 0) throw new Error('TEST tariff: no gantry on the path');
      const gantry = planned.gantries[0]!.hex;
      const time = new Date(h.clock.now.getTime() - HOUR).toISOString();
      const posted = await centre.call('POST', '/gantry-passages', {
        body: { passages: [{ passId: record.passId, gantry, time }] },
      });
      expect(posted.statusCode, posted.body).toBe(200);
      const jpeg = testJpeg('exit-path');
      const photo = await centre.call('POST', '/gantry-photos', {
        body: { passId: record.passId, gantry, time, photo: jpeg.toString('base64') },
      });
      expect(photo.statusCode, photo.body).toBe(200);

      const res = await get(h, `/exits/${txnId}/path`);
      expect(res.statusCode, res.body).toBe(200);
      const path = res.json();
      expect(path).toMatchObject({ exitId: txnId, source: 'centre', note: null, passId: record.passId });
      expect(path.fit.ok).toBe(true);
      expect(path.entry).toMatchObject({ station: net.stations[0]!.id, source: 'card' });
      expect(path.entry.at).not.toBeNull();
      const seen = path.gantries.find((g: { hex: string }) => g.hex === gantry);
      expect(seen).toMatchObject({ observed: true, time });
      expect(typeof seen.fee).toBe('number');
      expect(seen.photo).toMatchObject({ source: 'gantry' });
      expect(path.exit).toMatchObject({ station: TEST_WORLD.stationId, photo: { source: 'exit' } });
      expect(path.exit.at).toEqual(
        TEST_NETWORK.nodePositions[TEST_NETWORK.nodeIndex.get(TEST_WORLD.stationId)!],
      );

      // The gantry photo comes through the station as the centre holds it; the exit photo is the station's own.
      const g = await get(h, `/exits/${txnId}/path/photos/${seen.photo.ref}`);
      expect(g.statusCode).toBe(200);
      expect(g.headers['content-type']).toBe('image/jpeg');
      expect(g.rawPayload.equals(jpeg)).toBe(true);
      const e = await get(h, `/exits/${txnId}/path/photos/${path.exit.photo.ref}`);
      expect(e.statusCode).toBe(200);
      expect(e.rawPayload.equals(TEST_PNG)).toBe(true);

      // A monitor may look too.
      expect((await get(h, `/exits/${txnId}/path`, h.tokens.monitor)).statusCode).toBe(200);
    });

    it('serves a no-card exit’s path by its plate (entry from the plate’s entry-lane capture)', async () => {
      const plate = '鲁A7P001';
      const net = (await centre.centre.services.tariffs.activeAt()).network;
      const entry = net.stations[0]!;
      const cap = await centre.call('POST', '/lane-captures', {
        body: {
          station: entry.id,
          lane: `${entry.id}1010010`,
          time: new Date(h.clock.now.getTime() - 2 * HOUR).toISOString(),
          plate,
          colour: 0,
          kind: 'entry',
          photo: testJpeg('entry-lane').toString('base64'),
        },
      });
      expect(cap.statusCode, cap.body).toBeLessThan(300);
      const created = await h.call('POST', '/exits', {
        token: h.tokens.collector,
        body: { laneId: TEST_WORLD.laneId, none: { reason: 'no-card' } },
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as string;
      const photoSha = (
        await h.call('POST', '/images', {
          token: h.tokens.collector,
          body: TEST_PNG,
          headers: { 'content-type': 'image/png' },
        })
      ).json().sha256;
      const imaged = await h.call('POST', `/exits/${id}/image`, {
        token: h.tokens.collector,
        body: { plate, plateColour: 0, photoSha256: photoSha },
      });
      expect(imaged.statusCode, imaged.body).toBe(200);
      const path = (await get(h, `/exits/${id}/path`)).json();
      expect(path).toMatchObject({
        source: 'centre',
        plate,
        entry: { station: entry.id, source: 'lane-capture' },
      });
      expect(path.entry.photo).toMatchObject({ source: 'lane' });
      const p = await get(h, `/exits/${id}/path/photos/${path.entry.photo.ref}`);
      expect(p.statusCode).toBe(200);
    });

    it('answers from what the station knows when the centre is down or slow: the CPC’s own gantries, marked station', async () => {
      for (const x of [offline, slow]) {
        const now = x.clock.now.getTime();
        const read = testCpcRead({
          cpcId: `3700FFFF0000${x === offline ? '0091' : '0092'}`,
          entryTime: new Date(now - 2 * HOUR),
          gantries: [{ hex: '000001', time: new Date(now - HOUR), fee: 100 }],
        });
        const created = await x.call('POST', '/exits', {
          token: x.tokens.collector,
          body: { laneId: TEST_WORLD.laneId, cpc: read },
        });
        expect(created.statusCode, created.body).toBe(201);
        const res = await get(x, `/exits/${created.json().id}/path`);
        expect(res.statusCode, res.body).toBe(200);
        const path = res.json();
        expect(path).toMatchObject({ source: 'station', fit: null, version: null });
        expect(path.note).toMatch(/省中心暂时无法连接/);
        expect(path.entry).toMatchObject({ stationHex: TEST_WORLD.entryStationHex, source: 'card' });
        expect(path.gantries).toMatchObject([{ hex: '000001', observed: true, fee: null, photo: null }]);
        expect(path.gantries[0].at).not.toBeNull();
        expect(path.exit).toMatchObject({ station: TEST_WORLD.stationId, photo: null });
      }
    });

    it('refuses a stranger, someone else’s exit, a ref not on the path, a malformed ref and an oversize photo', async () => {
      const { txnId } = await collectorHandheld(h).runExit(plainVehicle(h, 9102));
      const url = `/exits/${txnId}/path`;
      expect((await h.call('GET', url)).statusCode).toBe(401);
      const b = await otherCollector(h);
      const theirs = await get(h, url, b.token);
      expect(theirs.statusCode).toBe(403);
      expect(theirs.json().code).toBe('STN_ERR_EXIT_NOT_YOURS');
      const theirPhoto = await get(h, `${url}/photos/c-${ZEROS}`, b.token);
      expect(theirPhoto.json().code).toBe('STN_ERR_EXIT_NOT_YOURS');
      // The owner asking for a photo that is not on the path (another exit's, a guess): refused before any fetch.
      const guess = await get(h, `${url}/photos/c-${ZEROS}`);
      expect(guess.statusCode).toBe(404);
      expect(guess.json().code).toBe('STN_ERR_PATH_PHOTO_UNKNOWN');
      const stationGuess = await get(h, `${url}/photos/s-${ZEROS}`);
      expect(stationGuess.json().code).toBe('STN_ERR_PATH_PHOTO_UNKNOWN');
      for (const bad of [
        `x-${ZEROS}`,
        `c-${ZEROS}00`,
        `c-${ZEROS.toUpperCase().replace(/0/g, 'A')}`,
        '..%2F..%2Fetc',
      ])
        expect((await get(h, `${url}/photos/${bad}`)).json().code).toBe('STN_ERR_REQ_INVALID');
      expect((await get(h, `/exits/${'x'.repeat(65)}/path`)).json().code).toBe('STN_ERR_REQ_INVALID');

      // A photo the centre answers larger than its own bound is refused, not passed on (nor truncated).
      const { txnId: id2 } = await collectorHandheld(bigStation).runExit(plainVehicle(bigStation, 9103));
      const path = (await get(bigStation, `/exits/${id2}/path`)).json();
      expect(path.gantries[0].photo.ref).toBe(big.photoRef);
      const over = await get(bigStation, `/exits/${id2}/path/photos/${big.photoRef}`);
      expect(over.statusCode).toBe(503);
      expect(over.json().code).toBe('STN_ERR_PATH_PHOTO_UNAVAILABLE');
    });
  });
}
