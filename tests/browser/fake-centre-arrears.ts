import { TRAINING_ARREARS } from '@tollpad/card/sim';
import {
  type ArrearsEntry,
  type ArrearsPaybackRecord,
  ArrearsPaybackRecordSchema,
  formatVehicleId,
  type PlateColour,
} from '@tollpad/domain';
import type { Network } from '@tollpad/tariff';
import { Value } from 'typebox/value';

/** An answer of the fake centre's arrears book, or null when the request is not for it. */
type Answer = { status: number; body: unknown } | null;

/**
 * The fake centre's arrears book (追缴) for the browser suite: the training plates' TEST entries as the real centre
 * seeds them (apps/centre seed-arrears.ts), `GET /arrears/:plate?colour=` answering the open ones, and
 * `POST /arrears-paybacks` clearing the entries a payback record names, once (idempotent on its trade ID; a second
 * payback of a cleared entry refused CTR_ERR_ARREARS_ALREADY_CLEARED, a sum that is not theirs
 * CTR_ERR_ARREARS_AMOUNT_MISMATCH), as the real centre's service does.
 */
export function fakeArrearsBook(net: Network) {
  const stationAt = (offset: number) => net.stations[offset % Math.max(1, net.stations.length)]?.id ?? '';
  const book = new Map<string, ArrearsEntry>();
  for (const v of TRAINING_ARREARS)
    for (const e of v.entries)
      book.set(e.id, {
        id: e.id,
        vehicleId: formatVehicleId(v.plate, v.colour as PlateColour),
        passId: e.passId,
        realEnStationId: stationAt(e.realEnStationOffset),
        realExStationId: stationAt(0),
        confirmedEscapeTypeName: e.confirmedEscapeTypeName,
        reason: e.reason,
        oweFee: e.oweFee,
        evasionCount: e.evasionCount,
        isPreBlack: e.isPreBlack,
        status: 'open',
        creationTime: '2026-11-01T08:00:00.000Z',
      });
  const paybacks = new Map<string, ArrearsPaybackRecord>();

  function answer(method: string | undefined, url: string | undefined, body: string, key: unknown): Answer {
    const u = new URL(url ?? '/', 'http://fake');
    const plate = /^\/arrears\/([^/]+)$/.exec(u.pathname);
    if (method === 'GET' && plate) {
      const vehicleId = formatVehicleId(
        decodeURIComponent(plate[1] ?? ''),
        Number(u.searchParams.get('colour') ?? 0) as PlateColour,
      );
      const entries = [...book.values()].filter((e) => e.vehicleId === vehicleId && e.status === 'open');
      return { status: 200, body: { vehicleId, entries, total: entries.reduce((t, e) => t + e.oweFee, 0) } };
    }
    if (method !== 'POST' || u.pathname !== '/arrears-paybacks') return null;
    const r: unknown = JSON.parse(body);
    if (!Value.Check(ArrearsPaybackRecordSchema, r) || key !== r.id)
      return { status: 422, body: { code: 'CTR_ERR_ARREARS_INVALID' } };
    if (paybacks.has(r.id)) return { status: 200, body: { tradeId: r.id } };
    const named = r.entryIds.map((id) => book.get(id));
    if (named.some((e) => !e || e.vehicleId !== r.vehicleId))
      return { status: 409, body: { code: 'CTR_ERR_ARREARS_ENTRY_UNKNOWN' } };
    if (named.some((e) => e?.status !== 'open'))
      return { status: 409, body: { code: 'CTR_ERR_ARREARS_ALREADY_CLEARED' } };
    if (named.reduce((t, e) => t + (e?.oweFee ?? 0), 0) !== r.paybackFee)
      return { status: 422, body: { code: 'CTR_ERR_ARREARS_AMOUNT_MISMATCH' } };
    for (const e of named) if (e) e.status = 'cleared';
    paybacks.set(r.id, r);
    return { status: 201, body: { tradeId: r.id } };
  }

  return { answer, paybacks: paybacks as ReadonlyMap<string, ArrearsPaybackRecord> };
}
