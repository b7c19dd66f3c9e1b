import { createHash } from 'node:crypto';
import { buildMinFeeTables, fitPath, type Network } from '@tollpad/tariff';
import { testJpeg } from '../../apps/centre/src/testing/test-jpeg';

/** The TEST gantry photo the fake centre holds (its id is its SHA-256, as the centre's). */
const PHOTO = testJpeg('browser-path');
const PHOTO_ID = createHash('sha256').update(PHOTO).digest('hex');

/**
 * The fake centre's 【通行路径】 (apps/centre INTERFACES.md, GET /passes/:passId/path, /plates/:plate/path, GET
 * /photos/:id): the minimum-fee path from the province's first station to the query's exit, its first gantry
 * observed with a TEST photo, the rest fitted. Null for any other request.
 */
export function answerPath(
  method: string | undefined,
  url: string | undefined,
  net: Network,
): { status: number; type: string; body: Buffer | string } | null {
  if (method !== 'GET' || !url) return null;
  if (url === `/photos/${PHOTO_ID}`) return { status: 200, type: 'image/jpeg', body: PHOTO };
  const m = /^\/(passes|plates)\/([^/?]+)\/path\?(.*)$/.exec(url);
  if (!m) return null;
  const q = new URLSearchParams(m[3]);
  const exitStation = q.get('exitStation') ?? '';
  const entry = net.stations[0]!;
  const r = fitPath(buildMinFeeTables(net), {
    entryStation: entry.id,
    exitStation,
    vehicleClass: Number(q.get('vehicleClass') ?? 1),
    gantries: [],
  });
  if (!r.ok)
    return {
      status: 404,
      type: 'application/json',
      body: JSON.stringify({ code: 'CTR_ERR_PATH_NOT_FOUND' }),
    };
  const exitTime = q.get('exitTime') ?? q.get('before') ?? new Date().toISOString();
  const at = (minBefore: number) => new Date(new Date(exitTime).getTime() - minBefore * 60_000).toISOString();
  const exit = net.stations.find((s) => s.id === exitStation);
  const path = {
    passId: m[1] === 'passes' ? decodeURIComponent(m[2]!) : null,
    plate: m[1] === 'plates' ? decodeURIComponent(m[2]!) : null,
    version: r.version,
    fit: { ok: true, fee: r.fee, fee95: r.fee95, mileageM: r.mileageM, fittedCount: r.gantries.length - 1 },
    entry: {
      station: entry.id,
      stationHex: entry.hex,
      name: entry.name,
      time: at(90),
      source: 'gantry',
      photo: null,
    },
    gantries: r.gantries.map((g, i) => ({
      id: g.id,
      hex: g.hex,
      time: i === 0 ? at(60) : null,
      fee: r.intervalFees[i] ?? null,
      observed: i === 0,
      photo: i === 0 ? { id: PHOTO_ID, source: 'gantry' } : null,
    })),
    exit: exit ? { station: exit.id, stationHex: exit.hex, name: exit.name, time: null, photo: null } : null,
  };
  return { status: 200, type: 'application/json', body: JSON.stringify(path) };
}
