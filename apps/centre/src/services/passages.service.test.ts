import { formatPassId } from '@tollpad/domain';
import { fitPath } from '@tollpad/tariff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';
import { DIALECTS } from '../testing/test-db';
import type { CompiledTariff } from './tariff.service';

const entryTime = new Date('2026-11-23T06:00:00.000Z');
const passId = (n: number) =>
  formatPassId({ media: 'card', cardNetwork: '9901', cardNo: String(n).padStart(16, '0'), entryTime });
const at = (min: number) => new Date(entryTime.getTime() + min * 60_000).toISOString();

describe.each(DIALECTS)('gantry passages and online fee on %s', (dialect) => {
  let h: Harness;
  let t: CompiledTariff;

  beforeAll(async () => {
    h = await startHarness(dialect);
    t = await h.centre.services.tariffs.activeAt();
  });
  afterAll(async () => h?.close());

  it('fits the path over the posted passages exactly as the tariff package does', async () => {
    const net = t.network;
    const entry = net.stations[0]!.id;
    const exit = net.stations[6]!.id;
    const direct = fitPath(t.tables, {
      entryStation: entry,
      exitStation: exit,
      vehicleClass: 1,
      gantries: [],
    });
    expect(direct.ok).toBe(true);
    // A detour: the first gantry off the minimum-fee path that the fit accepts (seeded, so deterministic).
    const fitVia = (gantry: string) =>
      fitPath(t.tables, {
        entryStation: entry,
        exitStation: exit,
        vehicleClass: 1,
        gantries: [{ gantry, time: new Date(at(30)) }],
      });
    const detour = net.gantries.find((g) => {
      const r = fitVia(g.id);
      return r.ok && direct.ok && r.fee > direct.fee;
    });
    expect(detour).toBeDefined();
    if (!detour) return;
    const viaDetour = fitVia(detour.id);
    if (!direct.ok || !viaDetour.ok) throw new Error('fit failed');
    expect(viaDetour.fee).toBeGreaterThan(direct.fee);
    // Post the passages the detour fit goes through (every third one, by hex, as gantries report).
    const observed = viaDetour.gantries.filter(
      (_, i) => i % 3 === 0 || viaDetour.gantries[i]!.id === detour.id,
    );
    const pid = passId(1);
    const passages = observed.map((g, i) => ({ passId: pid, gantry: g.hex, time: at(10 + i) }));
    const post = await h.call('POST', '/gantry-passages', { body: { passages } });
    expect(post.statusCode).toBe(200);
    expect(post.json()).toEqual({ accepted: passages.length, duplicates: 0 });
    // Posting again is harmless.
    expect((await h.call('POST', '/gantry-passages', { body: { passages } })).json()).toEqual({
      accepted: 0,
      duplicates: passages.length,
    });

    const res = await h.call('POST', '/online-fee', {
      body: { passId: pid, entryStation: entry, exitStation: exit, vehicleClass: 1, exitTime: at(200) },
    });
    expect(res.statusCode).toBe(200);
    const own = fitPath(t.tables, {
      entryStation: entry,
      exitStation: exit,
      vehicleClass: 1,
      gantries: observed.map((g, i) => ({ gantry: g.id, time: new Date(at(10 + i)) })),
    });
    expect(own.ok).toBe(true);
    if (!own.ok) return;
    const body = res.json();
    expect(body).toMatchObject({
      ok: true,
      level: 'province',
      exitFeeType: 4,
      fee: own.fee,
      fee95: own.fee95,
      mileageM: own.mileageM,
      fittedCount: own.fittedCount,
      passagesUsed: observed.length,
      version: t.version,
    });
    expect(body.intervals).toEqual(own.intervals);
    expect(body.fee).toBe(viaDetour.fee);

    // With no passages held, the fit is the minimum-fee path.
    const none = await h.call('POST', '/online-fee', {
      body: { passId: passId(2), entryStation: entry, exitStation: exit, vehicleClass: 1 },
    });
    expect(none.json().fee).toBe(direct.fee);
    // Gantries the station read from the OBU are merged with the held ones.
    const merged = await h.call('POST', '/online-fee', {
      body: {
        passId: passId(3),
        entryStation: entry,
        exitStation: exit,
        vehicleClass: 1,
        gantries: [{ gantry: detour.hex, time: at(30) }],
      },
    });
    expect(merged.json().fee).toBe(viaDetour.fee);
  });

  it('fits a CPC by the actual plate: the plate’s recent passages when the station sends no gantries', async () => {
    const net = t.network;
    const entry = net.stations[0]!.id;
    const exit = net.stations[6]!.id;
    const direct = fitPath(t.tables, {
      entryStation: entry,
      exitStation: exit,
      vehicleClass: 1,
      gantries: [],
    });
    const detour = net.gantries
      .map((g) =>
        fitPath(t.tables, {
          entryStation: entry,
          exitStation: exit,
          vehicleClass: 1,
          gantries: [{ gantry: g.id, time: new Date(at(30)) }],
        }),
      )
      .find((r) => r.ok && direct.ok && r.fee > direct.fee);
    if (!direct.ok || !detour?.ok) throw new Error('TEST tariff: no detour');
    // The gantries reported the trip under the CPC's PassID of its entry, with the plate they saw.
    const trip = formatPassId({ media: 'cpc', cpcId: '3700FFFF00000042', entryTime });
    const passages = detour.gantries.map((g, i) => ({
      passId: trip,
      gantry: g.hex,
      time: at(10 + i),
      plate: '鲁A12345',
    }));
    expect((await h.call('POST', '/gantry-passages', { body: { passages } })).statusCode).toBe(200);
    // The exit asks under another PassID (a card whose entry it cannot use), by plate, with no gantries.
    const other = formatPassId({ media: 'cpc', cpcId: '3700FFFF00000042', entryTime: new Date(at(200)) });
    const ask = (body: Record<string, unknown>) =>
      h.call('POST', '/online-fee', {
        body: {
          passId: other,
          entryStation: entry,
          exitStation: exit,
          vehicleClass: 1,
          exitTime: at(200),
          ...body,
        },
      });
    const byPlate = await ask({ plate: '鲁A12345' });
    expect(byPlate.statusCode, byPlate.body).toBe(200);
    expect(byPlate.json()).toMatchObject({ ok: true, fee: detour.fee, passagesUsed: passages.length });
    // Without the plate, or for another plate, or outside the window, nothing is held: the direct path.
    expect((await ask({})).json().fee).toBe(direct.fee);
    expect((await ask({ plate: '鲁B54321' })).json().fee).toBe(direct.fee);
    const late = new Date(Date.parse(at(200)) + 25 * 3600_000).toISOString();
    expect((await ask({ plate: '鲁A12345', exitTime: late })).json().fee).toBe(direct.fee);
    // Gantries sent by the station are the path: the plate adds nothing then.
    const sent = await ask({ plate: '鲁A12345', gantries: [{ gantry: direct.gantries[0]!.hex }] });
    expect(sent.json().passagesUsed).toBe(1);
    // A plate that is no plate is refused, at the fee and at the intake.
    const bad = await ask({ plate: 'NOT-A-PLATE' });
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'CTR_ERR_REQ_INVALID']);
    expect((await ask({ plate: '鲁'.repeat(17) })).statusCode).toBe(400);
    const badIntake = await h.call('POST', '/gantry-passages', {
      body: { passages: [{ ...passages[0]!, plate: '鲁A-12345' }] },
    });
    expect([badIntake.statusCode, badIntake.json().code]).toEqual([400, 'CTR_ERR_REQ_INVALID']);
  });

  it('answers a failed fit with its special code, not an error', async () => {
    const res = await h.call('POST', '/online-fee', {
      body: {
        passId: passId(4),
        entryStation: 'G9999370010990',
        exitStation: t.network.stations[1]!.id,
        vehicleClass: 1,
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: false, special: 68 });
  });

  it('refuses a passage at an unknown gantry and keeps the batch', async () => {
    const res = await h.call('POST', '/gantry-passages', {
      body: { passages: [{ passId: passId(5), gantry: 'FFFFFE', time: at(1) }] },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('CTR_ERR_GANTRY_UNKNOWN');
    const kept = (await h.call('GET', `/rejected?kind=gantry&ref=${passId(5)}`)).json().rejected;
    expect(kept).toHaveLength(1);
    expect((await h.call('GET', `/passes/${passId(5)}/passages`)).json().passages).toEqual([]);
  });
});
