/**
 * The money lines of a mixed day (issue #23), pure: the cash in each collector's till against what the
 * station expects at the hand-over, the station's QR records against the platform's settlement files per
 * channel, and the centre's clearing against the station's records per medium and payType — to the fen.
 */
import type { ReconcileLine } from './reconcile';
import type { PaidRecordFact } from './reconcile-payments';
import type { Capture } from './settlement-file';

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** One shift's hand-over as the station reports it once the cash was counted (GET /shifts/:id/handover). */
export interface ShiftHandoverFact {
  shiftId: string;
  /** Σ amounts due of the shift's cash exits and cash paybacks (the station's figure). */
  expected: number;
  /** What was entered at the hand-over (the till: the handhelds' cash logs of that shift). */
  counted: number;
  /** counted − expected, as the station computed it. */
  difference: number;
}

/** A cash payment a collector took, with the shift it went into (the handheld's cash log). */
export interface CashInShift {
  shiftId: string;
  amount: number;
}

/**
 * Cash counted = cash expected, per shift: the till of each shift (the sum of the cash its handheld logged:
 * tendered − change) is handed over, and the station's expected figure must equal it, with no difference.
 */
export function cashPerShiftLine(
  handovers: readonly ShiftHandoverFact[],
  cashLog: readonly CashInShift[],
): ReconcileLine {
  const till = new Map<string, number>();
  for (const c of cashLog) till.set(c.shiftId, (till.get(c.shiftId) ?? 0) + c.amount);
  const byShift = new Map(handovers.map((h) => [h.shiftId, h]));
  const differ = handovers.filter(
    (h) => h.expected !== (till.get(h.shiftId) ?? 0) || h.counted !== h.expected || h.difference !== 0,
  );
  const unknownShifts = [...till.keys()].filter((s) => !byShift.has(s)).length;
  const examples = differ
    .slice(0, 3)
    .map(
      (h) => `${h.shiftId}: till ${till.get(h.shiftId) ?? 0}, expected ${h.expected}, counted ${h.counted}`,
    );
  return {
    id: 'cash-per-shift',
    label: 'cash counted = cash expected, per shift (the hand-over)',
    ok: differ.length === 0 && unknownShifts === 0,
    detail: `${handovers.length} shifts handed over, ${sum(handovers.map((h) => h.counted))} fen counted, ${sum(handovers.map((h) => h.expected))} fen expected by the station (${cashLog.length} cash payments, ${sum(cashLog.map((c) => c.amount))} fen in the handhelds’ logs): ${differ.length} shifts differ${examples.length ? ` (${examples.join('; ')})` : ''}, ${unknownShifts} tills of a shift the station did not hand over`,
  };
}

/** payments.md §1: the national payType of a QR payment on each platform channel (UnionPay QR: other third party). */
export const CHANNEL_OF_PAY_TYPE: Readonly<Record<number, string>> = {
  7: 'WECHAT',
  6: 'ALIPAY',
  2: 'UNIONPAY',
};

/**
 * Station records = the platform's settlement files, per channel, to the fen: the records paid by QR (exits
 * and paybacks) summed per channel against the captures the files hold there (what stays captured once the
 * reverses and refunds are taken off).
 */
export function settlementPerChannelLine(
  records: readonly PaidRecordFact[],
  captures: readonly Capture[],
): ReconcileLine {
  const station = new Map<string, { count: number; fen: number }>();
  const platform = new Map<string, { count: number; fen: number }>();
  const addTo = (m: Map<string, { count: number; fen: number }>, k: string, fen: number) => {
    const e = m.get(k) ?? { count: 0, fen: 0 };
    e.count++;
    e.fen += fen;
    m.set(k, e);
  };
  for (const r of records) {
    const ch = CHANNEL_OF_PAY_TYPE[r.payType];
    if (ch && r.fee > 0) addTo(station, ch, r.fee);
  }
  for (const c of captures) {
    const held = c.amount - c.returned;
    if (held > 0) addTo(platform, c.channel, held);
  }
  const channels = [...new Set([...station.keys(), ...platform.keys()])].sort();
  const differ: string[] = [];
  const parts = channels.map((ch) => {
    const s = station.get(ch) ?? { count: 0, fen: 0 };
    const p = platform.get(ch) ?? { count: 0, fen: 0 };
    if (s.count !== p.count || s.fen !== p.fen) differ.push(ch);
    return `${ch} station ${s.count} / ${s.fen} fen, platform ${p.count} / ${p.fen} fen`;
  });
  return {
    id: 'settlement-per-channel',
    label: 'station records = the platform’s settlement file, per channel, to the fen',
    ok: differ.length === 0,
    detail: `${parts.join('; ') || 'no QR payment'}${differ.length ? `; differ: ${differ.join(', ')}` : ''}`,
  };
}

/** A record as cleared: its national mediaType and payType (null: an ETC card trade with no payment of its own). */
export interface ClearedRecordFact {
  mediaType: number;
  payType: number | null;
  fee: number;
}

/** One row of the centre's clearing view (GET /clearing): its group and what it clears. */
export interface ClearingRowFact {
  /** The issuer (card network) for ETC card trades, else medium·payment, e.g. 'CPC·现金'. */
  group: string;
  records: number;
  fee: number;
}

/** The names the centre's clearing groups use (apps/centre clearing.service.ts; payments.md §1). */
const PAY_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: '现金',
  2: '其他第三方',
  3: '银联卡',
  4: 'ETC用户卡',
  6: '支付宝',
  7: '微信',
};
const MEDIUM_NAMES: Readonly<Record<number, string>> = { 2: 'CPC', 9: '无卡' };

/** The clearing group of a record: ETC card trades (any issuer) together, else medium·payment. */
export function clearingGroupOf(r: { mediaType: number; payType: number | null }): string {
  if (r.payType === null) return 'ETC';
  const medium = MEDIUM_NAMES[r.mediaType] ?? `mediaType ${r.mediaType}`;
  return `${medium}·${PAY_TYPE_NAMES[r.payType] ?? `payType ${r.payType}`}`;
}

/** A centre row's group, ETC issuers taken together (their group is the card network alone). */
const centreGroupOf = (g: string) => (g.includes('·') ? g : 'ETC');

/**
 * Centre clearing = station records per medium and payType: each group of the centre's clearing view (ETC
 * card trades, CPC·现金, CPC·微信, 无卡·支付宝 …) holds as many records and fen as the station's records of it.
 */
export function clearingPerMediumLine(
  stationRecords: readonly ClearedRecordFact[],
  clearingRows: readonly ClearingRowFact[],
): ReconcileLine {
  const station = new Map<string, { records: number; fee: number }>();
  for (const r of stationRecords) {
    const k = clearingGroupOf(r);
    const e = station.get(k) ?? { records: 0, fee: 0 };
    e.records++;
    e.fee += r.fee;
    station.set(k, e);
  }
  const centre = new Map<string, { records: number; fee: number }>();
  for (const row of clearingRows) {
    const k = centreGroupOf(row.group);
    const e = centre.get(k) ?? { records: 0, fee: 0 };
    e.records += row.records;
    e.fee += row.fee;
    centre.set(k, e);
  }
  const groups = [...new Set([...station.keys(), ...centre.keys()])].sort();
  const differ: string[] = [];
  const parts = groups.map((g) => {
    const s = station.get(g) ?? { records: 0, fee: 0 };
    const c = centre.get(g) ?? { records: 0, fee: 0 };
    if (s.records !== c.records || s.fee !== c.fee) differ.push(g);
    return s.records === c.records && s.fee === c.fee
      ? `${g} ${s.records} / ${s.fee} fen`
      : `${g} station ${s.records} / ${s.fee} fen, centre ${c.records} / ${c.fee} fen`;
  });
  return {
    id: 'clearing-per-medium',
    label: 'centre clearing = station records, per medium and payType',
    ok: differ.length === 0,
    detail: `${parts.join('; ') || 'no record'}${differ.length ? `; differ: ${differ.join(', ')}` : ''}`,
  };
}
