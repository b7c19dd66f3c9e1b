import { formatPassId } from '@tollpad/domain';
import { fitPath } from '@tollpad/tariff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';
import { DIALECTS } from '../testing/test-db';
import type { CompiledTariff } from './tariff.service';
import { upstreamStation } from './upstream-station';

const t0 = new Date('2026-11-23T06:00:00.000Z');
const at = (min: number) => new Date(t0.getTime() + min * 60_000).toISOString();

describe.each(DIALECTS)('online fee by plate with no entry (no card) on %s', (dialect) => {
  let h: Harness;
  let t: CompiledTariff;

  beforeAll(async () => {
    h = await startHarness(dialect);
    t = await h.centre.services.tariffs.activeAt();
  });
  afterAll(async () => h?.close());

  /** A TEST trip: the passages of the min-fee path from station a to b, reported with `plate`. */
  async function trip(a: number, b: number, plate: string, startMin: number) {
    const net = t.network;
    const r = fitPath(t.tables, {
      entryStation: net.stations[a]!.id,
      exitStation: net.stations[b]!.id,
      vehicleClass: 1,
      gantries: [],
    });
    if (!r.ok || r.gantries.length === 0) throw new Error('TEST tariff: no gantry on the path');
    const passId = formatPassId({
      media: 'cpc',
      cpcId: '3700FFFF00000077',
      entryTime: new Date(at(startMin)),
    });
    const passages = r.gantries.map((g, i) => ({ passId, gantry: g.hex, time: at(startMin + 5 + i), plate }));
    const post = await h.call('POST', '/gantry-passages', { body: { passages } });
    expect(post.statusCode, post.body).toBe(200);
    return { fit: r, passages };
  }

  const ask = (body: Record<string, unknown>) =>
    h.call('POST', '/online-fee', { body: { vehicleClass: 1, ...body } });

  it('infers the entry from the station upstream of the first gantry when no lane saw the plate', async () => {
    const net = t.network;
    const { fit, passages } = await trip(0, 6, '鲁A7G001', 0);
    const up = upstreamStation(net, passages[0]!.gantry);
    expect(up).toBeDefined();
    const res = await ask({ plate: '鲁A7G001', exitStation: net.stations[6]!.id, exitTime: at(120) });
    expect(res.statusCode, res.body).toBe(200);
    const own = fitPath(t.tables, {
      entryStation: net.stations[up!]!.id,
      exitStation: net.stations[6]!.id,
      vehicleClass: 1,
      gantries: passages.map((p) => ({ gantry: p.gantry, time: new Date(p.time) })),
    });
    if (!own.ok) throw new Error(own.reason);
    expect(res.json()).toMatchObject({
      ok: true,
      fee: own.fee,
      entryStation: net.stations[up!]!.id,
      entrySource: 'gantry',
      passagesUsed: passages.length,
    });
    expect(own.fee).toBe(fit.fee);
  });

  it('prefers the plate’s latest entry-lane capture in the window to its first gantry', async () => {
    const net = t.network;
    await trip(0, 6, '鲁A7G002', 0);
    // An entry lane at another station saw the plate after an older capture; the latest one counts.
    const capture = (station: number, min: number) =>
      h.centre.services.db.db
        .insertInto('lane_captures')
        .values({
          station_id: net.stations[station]!.id,
          lane_id: `${net.stations[station]!.id}0101E01`,
          capture_time: at(min),
          plate: '鲁A7G002',
          plate_colour: 0,
          kind: 'entry',
          photo_id: null,
          received_at: at(min),
        })
        .execute();
    await capture(3, -600);
    await capture(2, -1);
    const res = await ask({ plate: '鲁A7G002', exitStation: net.stations[6]!.id, exitTime: at(120) });
    expect(res.json()).toMatchObject({ entryStation: net.stations[2]!.id, entrySource: 'lane-capture' });
    const own = fitPath(t.tables, {
      entryStation: net.stations[2]!.id,
      exitStation: net.stations[6]!.id,
      vehicleClass: 1,
      gantries: (await h.centre.services.passages.passagesOfPlate('鲁A7G002', at(-1), at(120))).map((p) => ({
        gantry: p.gantry,
        time: new Date(p.time),
      })),
    });
    expect(res.json().ok).toBe(own.ok);
    if (own.ok) expect(res.json().fee).toBe(own.fee);
    else expect(res.json().special).toBe(own.special);
  });

  it('answers a plate the centre never saw with ok: false and a reason (the station falls back)', async () => {
    const res = await ask({ plate: '鲁B0N000', exitStation: t.network.stations[6]!.id, exitTime: at(120) });
    expect(res.statusCode).toBe(200);
    const b = res.json();
    expect(b).toMatchObject({ ok: false, plateUnknown: true, passagesUsed: 0 });
    expect(b.special).toBeUndefined();
    expect(b.reason).toContain('鲁B0N000');
    // A plate seen only outside the window is not seen either.
    await trip(0, 6, '鲁A7G003', 0);
    const late = new Date(Date.parse(at(0)) + 30 * 3_600_000).toISOString();
    const old = await ask({ plate: '鲁A7G003', exitStation: t.network.stations[6]!.id, exitTime: late });
    expect(old.json()).toMatchObject({ ok: false, plateUnknown: true });
  });

  it('refuses a request with neither entry nor plate, and a plate that is none', async () => {
    const none = await ask({ exitStation: t.network.stations[6]!.id });
    expect([none.statusCode, none.json().code]).toEqual([400, 'CTR_ERR_REQ_INVALID']);
    const bad = await ask({ plate: 'X', exitStation: t.network.stations[6]!.id });
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'CTR_ERR_REQ_INVALID']);
  });
});
