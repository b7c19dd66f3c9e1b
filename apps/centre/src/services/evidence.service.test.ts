import { formatPassId } from '@tollpad/domain';
import { fitPath } from '@tollpad/tariff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';
import { DIALECTS } from '../testing/test-db';
import { testJpeg } from '../testing/test-jpeg';
import { MAX_PHOTO_BYTES } from './evidence.service';
import type { CompiledTariff } from './tariff.service';

const t0 = new Date('2026-11-23T06:00:00.000Z');
const at = (min: number) => new Date(t0.getTime() + min * 60_000).toISOString();
const b64 = (b: Buffer) => b.toString('base64');
/** A lane of a station: plaza 1 01, lane 01 (TEST). */
const laneOf = (station: string) => `${station}1010010`;

describe.each(DIALECTS)('lane captures, gantry photos and the path on %s', (dialect) => {
  let h: Harness;
  let t: CompiledTariff;
  let home: string;
  let other: string;
  let foreign: string;

  beforeAll(async () => {
    h = await startHarness(dialect);
    t = await h.centre.services.tariffs.activeAt();
    home = t.network.stations[0]!.id;
    other = t.network.stations[6]!.id;
    foreign = t.network.stations.find((_, i) => t.network.stationIsHome[i] === 0)!.id;
  });
  afterAll(async () => h?.close());

  const as = (peer: string) => ({ headers: { 'x-tollpad-test-peer': peer } });
  const capture = (station: string, body: Record<string, unknown>, peer = station) =>
    h.call('POST', '/lane-captures', {
      body: { station, lane: laneOf(station), colour: 0, kind: 'entry', ...body },
      ...as(peer),
    });

  it('keeps a capture with its photo, once; a station posts its own lanes only', async () => {
    const photo = testJpeg('lane 1');
    const res = await capture(home, { time: at(0), plate: '鲁A7E001', photo: b64(photo) });
    expect(res.statusCode, res.body).toBe(200);
    const { photoId } = res.json();
    expect(photoId).toMatch(/^[0-9a-f]{64}$/);
    const again = await capture(home, { time: at(0), plate: '鲁A7E001' });
    expect(again.json()).toEqual(res.json());
    const wrong = await capture(home, { time: at(1), plate: '鲁A7E001' }, other);
    expect([wrong.statusCode, wrong.json().code]).toEqual([403, 'CTR_ERR_LANE_CAPTURE_WRONG_STATION']);
    const notLane = await h.call('POST', '/lane-captures', {
      body: { station: home, lane: laneOf(other), time: at(1), plate: '鲁A7E001', colour: 0, kind: 'entry' },
      ...as(home),
    });
    expect([notLane.statusCode, notLane.json().code]).toEqual([422, 'CTR_ERR_LANE_CAPTURE_INVALID']);
    const stranger = await h.call('POST', '/lane-captures', {
      body: { station: home, lane: laneOf(home), time: at(1), plate: '鲁A7E001', colour: 0, kind: 'entry' },
      headers: { 'x-tollpad-test-peer': 'nobody' },
    });
    expect([stranger.statusCode, stranger.json().code]).toEqual([401, 'CTR_ERR_AUTH_CERTIFICATE']);
    // The photo: its province's stations read it; a publisher, another province's station cannot.
    const got = await h.call('GET', `/photos/${photoId}`, as(other));
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/jpeg');
    expect(Buffer.from(got.rawPayload).equals(photo)).toBe(true);
    const pub = await h.call('GET', `/photos/${photoId}`);
    expect([pub.statusCode, pub.json().code]).toEqual([403, 'CTR_ERR_AUTH_STATION_REQUIRED']);
    const far = await h.call('GET', `/photos/${photoId}`, as(foreign));
    expect([far.statusCode, far.json().code]).toEqual([403, 'CTR_ERR_PHOTO_WRONG_PROVINCE']);
    const none = await h.call('GET', `/photos/${'0'.repeat(64)}`, as(other));
    expect([none.statusCode, none.json().code]).toEqual([404, 'CTR_ERR_PHOTO_NOT_FOUND']);
    const notId = await h.call('GET', '/photos/..%2F..%2Fetc', as(other));
    expect([notId.statusCode, notId.json().code]).toEqual([400, 'CTR_ERR_REQ_INVALID']);
  });

  it('refuses a photo too large or not a JPEG with its own code, and one past the schema before reading it', async () => {
    const big = Buffer.concat([testJpeg('big'), Buffer.alloc(MAX_PHOTO_BYTES)]);
    const tooLarge = await capture(home, { time: at(2), plate: '鲁A7E002', photo: b64(big) });
    expect([tooLarge.statusCode, tooLarge.json().code]).toEqual([413, 'CTR_ERR_PHOTO_TOO_LARGE']);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    const notJpeg = await capture(home, { time: at(2), plate: '鲁A7E002', photo: b64(png) });
    expect([notJpeg.statusCode, notJpeg.json().code]).toEqual([415, 'CTR_ERR_PHOTO_NOT_JPEG']);
    const huge = await capture(home, {
      time: at(2),
      plate: '鲁A7E002',
      photo: 'A'.repeat(3 * MAX_PHOTO_BYTES),
    });
    expect([huge.statusCode, huge.json().code]).toEqual([400, 'CTR_ERR_REQ_INVALID']);
    // Nothing of the refused captures was kept.
    const rows = await h.centre.services.evidence.capturesOfPlate('鲁A7E002', at(0), at(10));
    expect(rows).toEqual([]);
  });

  it('serves the fitted path of a plate with no card: entry capture, gantries with photos or null, exit', async () => {
    const net = t.network;
    const fit = fitPath(t.tables, { entryStation: home, exitStation: other, vehicleClass: 1, gantries: [] });
    if (!fit.ok) throw new Error(fit.reason);
    const plate = '鲁A7E003';
    const passId = formatPassId({ media: 'cpc', cpcId: '3700FFFF00000078', entryTime: new Date(at(10)) });
    const passages = fit.gantries.map((g, i) => ({ passId, gantry: g.hex, time: at(15 + i), plate }));
    expect((await h.call('POST', '/gantry-passages', { body: { passages } })).statusCode).toBe(200);
    const gp = await h.call('POST', '/gantry-photos', {
      body: {
        passId,
        gantry: passages[0]!.gantry,
        time: passages[0]!.time,
        photo: b64(testJpeg('gantry 1')),
      },
    });
    expect(gp.statusCode, gp.body).toBe(200);
    // The same photo again is the same answer; another photo for that passage cannot replace it.
    const again = await h.call('POST', '/gantry-photos', {
      body: {
        passId,
        gantry: passages[0]!.gantry,
        time: passages[0]!.time,
        photo: b64(testJpeg('gantry 1')),
      },
    });
    expect([again.statusCode, again.json().photoId]).toEqual([200, gp.json().photoId]);
    const swap = await h.call('POST', '/gantry-photos', {
      body: { passId, gantry: passages[0]!.gantry, time: passages[0]!.time, photo: b64(testJpeg('forged')) },
    });
    expect([swap.statusCode, swap.json().code]).toEqual([409, 'CTR_ERR_GANTRY_PHOTO_HELD']);
    const missing = await h.call('POST', '/gantry-photos', {
      body: { passId, gantry: passages[0]!.gantry, time: at(500), photo: b64(testJpeg('gantry x')) },
    });
    expect([missing.statusCode, missing.json().code]).toEqual([404, 'CTR_ERR_PASSAGE_NOT_FOUND']);
    const entry = await capture(home, { time: at(10), plate, photo: b64(testJpeg('entry 3')) });
    const exitLane = await capture(other, {
      time: at(60),
      plate,
      kind: 'exit',
      photo: b64(testJpeg('exit 3')),
    });
    expect(exitLane.statusCode).toBe(200);

    const res = await h.call('GET', `/plates/${encodeURIComponent(plate)}/path?before=${at(70)}`, as(other));
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json();
    expect(p.fit).toMatchObject({ ok: true, fee: fit.fee });
    expect(p.entry).toMatchObject({
      station: home,
      source: 'lane-capture',
      time: at(10),
      photo: { id: entry.json().photoId, source: 'lane' },
    });
    expect(p.exit).toMatchObject({ station: other, photo: { id: exitLane.json().photoId, source: 'lane' } });
    expect(p.gantries.map((g: { id: string }) => g.id)).toEqual(fit.gantries.map((g) => g.id));
    expect(p.gantries[0]).toMatchObject({ observed: true, time: at(15), photo: { id: gp.json().photoId } });
    expect(p.gantries.slice(1).every((g: { photo: unknown }) => g.photo === null)).toBe(true);
    const feeOf = new Map(fit.intervals.map((id, i) => [id, fit.intervalFees[i]]));
    const g0 = net.gantries[net.gantryIndex.get(fit.gantries[0]!.id)!]!;
    expect(p.gantries[0].fee).toBe(feeOf.get(g0.interval));
    // By PassID, the exit named by the query (no record yet): the same gantries.
    const byPass = await h.call(
      'GET',
      `/passes/${passId}/path?exitStation=${other}&entryStation=${home}&exitTime=${at(60)}`,
      as(other),
    );
    expect(byPass.statusCode, byPass.body).toBe(200);
    expect(byPass.json()).toMatchObject({ fit: { ok: true, fee: fit.fee }, entry: { source: 'stated' } });
    expect(byPass.json().gantries[0].photo).toMatchObject({ id: gp.json().photoId });
    // The online fee by that plate infers the same entry, from the capture.
    const fee = await h.call('POST', '/online-fee', {
      body: { plate, exitStation: other, vehicleClass: 1, exitTime: at(60) },
    });
    expect(fee.json()).toMatchObject({
      ok: true,
      fee: fit.fee,
      entryStation: home,
      entrySource: 'lane-capture',
    });
  });

  it('refuses paths to a publisher and answers an unknown pass or plate with its code', async () => {
    const pub = await h.call('GET', `/plates/${encodeURIComponent('鲁A7E003')}/path`);
    expect([pub.statusCode, pub.json().code]).toEqual([403, 'CTR_ERR_AUTH_STATION_REQUIRED']);
    const stranger = await h.call('GET', `/plates/${encodeURIComponent('鲁A7E003')}/path`, as('nobody'));
    expect(stranger.statusCode).toBe(401);
    const unknown = await h.call('GET', `/plates/${encodeURIComponent('鲁B0N001')}/path`, as(other));
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'CTR_ERR_PATH_NOT_FOUND']);
    const pid = formatPassId({ media: 'cpc', cpcId: '3700FFFF00000079', entryTime: t0 });
    const noPass = await h.call('GET', `/passes/${pid}/path`, as(other));
    expect([noPass.statusCode, noPass.json().code]).toEqual([404, 'CTR_ERR_PATH_NOT_FOUND']);
  });
});
