/**
 * The end-of-day reconciliation, pure: the card ground truth (the virtual cards' own debit logs and
 * balances), the station's records and shift reports, and the centre's records and clearing totals go in;
 * one line per check comes out, each true or false with the numbers behind it.
 */

export interface CardFact {
  cardNo: string;
  /** null for a bystander card (only ever presented by mistake, in a card swap). */
  vehicle: number | null;
  initialBalance: number;
  finalBalance: number;
  /** The card's own debit log: ATC before the debit and the amount. */
  debits: readonly { atc: number; amount: number; datetime?: string }[];
}

export interface RecordFact {
  tradeId: string;
  /** What the vehicle carried (`etc` when absent; `cpc`…); the card-trade lines take the ETC records only. */
  medium?: string;
  /** The ETC card number, or the CPC ID of a CPC record. */
  cardNo: string;
  /** The card ATC the debit was made at (record cardTransNo; −1 for a record with no card trade). */
  atc: number;
  /** Amount taken from the card (record transFee; 0 for a record with no card trade). */
  transFee: number;
  /** Record fee (what the shift report and clearing add up). */
  fee: number;
  /** Record exTime as Beijing YYYYMMDDhhmmss (the TAC input at the centre). */
  exTimeBeijing?: string;
  /** National mediaType and payType of the record (null: an ETC card trade), for the clearing per group. */
  mediaType?: number;
  payType?: number | null;
}

export interface CentreRecordFact extends RecordFact {
  tacVerified: boolean;
}

export interface ReconcileInput {
  cards: readonly CardFact[];
  stationRecords: readonly RecordFact[];
  centreRecords: readonly CentreRecordFact[];
  shiftTotals: readonly { shiftId: string; vehicles: number; amount: number }[];
  clearing: { records: number; transFee: number; fee: number };
  outbox: { backlog: number; rejected: number };
  /** Exit transactions the station still holds in debit_pending (a debit announced, never settled). */
  debitPending: number;
  /** Records the centre refused (the station's outbox rows marked rejected), by refusal code. */
  centreRefusals?: Readonly<Record<string, number>>;
}

export interface ReconcileLine {
  id: string;
  label: string;
  ok: boolean;
  detail: string;
}

const key = (cardNo: string, atc: number) => `${cardNo}:${atc}`;

function countBy<T>(items: readonly T[], k: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of items) m.set(k(t), (m.get(k(t)) ?? 0) + 1);
  return m;
}

/** Each card debit ↔ exactly one record (matched on card number + ATC), and no record without a debit. */
function matchDebits(cards: readonly CardFact[], records: readonly RecordFact[]) {
  const byDebit = countBy(records, (r) => key(r.cardNo, r.atc));
  const debits = new Set<string>();
  let missing = 0;
  let duplicated = 0;
  let amountMismatch = 0;
  const amountOf = new Map<string, number>();
  for (const r of records) amountOf.set(key(r.cardNo, r.atc), r.transFee);
  for (const c of cards) {
    for (const d of c.debits) {
      const k = key(c.cardNo, d.atc);
      debits.add(k);
      const n = byDebit.get(k) ?? 0;
      if (n === 0) missing++;
      else if (n > 1) duplicated++;
      if (n > 0 && amountOf.get(k) !== d.amount) amountMismatch++;
    }
  }
  const orphans = records.filter((r) => !debits.has(key(r.cardNo, r.atc))).length;
  const dupTradeIds = [...countBy(records, (r) => r.tradeId).values()].filter((n) => n > 1).length;
  return {
    debits: debits.size,
    missing,
    duplicated,
    orphans,
    amountMismatch,
    dupTradeIds,
    ok: missing === 0 && duplicated === 0 && orphans === 0 && amountMismatch === 0 && dupTradeIds === 0,
  };
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

const isEtc = (r: RecordFact) => (r.medium ?? 'etc') === 'etc';

export function reconcile(i: ReconcileInput): ReconcileLine[] {
  const lines: ReconcileLine[] = [];
  // The card-trade lines follow the ETC debits; a mixed day's other records count in the totals only.
  const etcStation = i.stationRecords.filter(isEtc);
  const etcCentre = i.centreRecords.filter(isEtc);
  const vehicles = i.cards.filter((c) => c.vehicle !== null);
  const bystanders = i.cards.filter((c) => c.vehicle === null);
  const once = vehicles.filter((c) => c.debits.length === 1).length;
  const never = vehicles.filter((c) => c.debits.length === 0).length;
  const twice = vehicles.filter((c) => c.debits.length > 1).length;
  const bystanderDebits = sum(bystanders.map((c) => c.debits.length));
  lines.push({
    id: 'vehicle-at-most-once',
    label: 'each vehicle debited at most once',
    ok: twice === 0 && bystanderDebits === 0,
    detail: `${vehicles.length} vehicles: ${once} debited once, ${never} not debited, ${twice} more than once; ${bystanders.length} swapped-in cards debited ${bystanderDebits} times`,
  });

  const st = matchDebits(i.cards, etcStation);
  lines.push({
    id: 'debit-station-record',
    label: 'each debit has exactly one record at the station',
    ok: st.ok,
    detail: `${st.debits} debits, ${etcStation.length} records: ${st.missing} missing, ${st.duplicated} duplicated, ${st.orphans} without a debit, ${st.amountMismatch} amount mismatches, ${st.dupTradeIds} repeated trade IDs`,
  });
  const ce = matchDebits(i.cards, etcCentre);
  const refusals = Object.entries(i.centreRefusals ?? {})
    .map(([code, n]) => `${n} × ${code}`)
    .join(', ');
  lines.push({
    id: 'debit-centre-record',
    label: 'each debit has exactly one record at the centre',
    ok: ce.ok,
    detail: `${ce.debits} debits, ${etcCentre.length} records: ${ce.missing} missing, ${ce.duplicated} duplicated, ${ce.orphans} without a debit, ${ce.amountMismatch} amount mismatches, ${ce.dupTradeIds} repeated trade IDs${refusals ? `; refused by the centre: ${refusals}` : ''}`,
  });

  // The centre checks the TAC over the record's exTime: it must be the datetime the card was debited with.
  const debitTime = new Map<string, string>();
  for (const c of i.cards)
    for (const d of c.debits) if (d.datetime) debitTime.set(key(c.cardNo, d.atc), d.datetime);
  let compared = 0;
  let differ = 0;
  const examples: string[] = [];
  for (const r of etcStation) {
    const dt = debitTime.get(key(r.cardNo, r.atc));
    if (!dt || !r.exTimeBeijing) continue;
    compared++;
    if (dt !== r.exTimeBeijing) {
      differ++;
      if (examples.length < 3) examples.push(`${r.tradeId}: card ${dt}, record ${r.exTimeBeijing}`);
    }
  }
  lines.push({
    id: 'extime-is-debit-time',
    label: 'record exTime = the datetime the card was debited with (the TAC input)',
    ok: differ === 0,
    detail: `${compared} records compared, ${differ} differ${examples.length ? ` (e.g. ${examples.join('; ')})` : ''}`,
  });

  const charged = new Map<string, number>();
  for (const r of etcStation) charged.set(r.cardNo, (charged.get(r.cardNo) ?? 0) + r.transFee);
  let balanceWrong = 0;
  let logWrong = 0;
  for (const c of i.cards) {
    if (c.finalBalance !== c.initialBalance - (charged.get(c.cardNo) ?? 0)) balanceWrong++;
    if (c.finalBalance !== c.initialBalance - sum(c.debits.map((d) => d.amount))) logWrong++;
  }
  const debitedFen = sum(i.cards.map((c) => c.initialBalance - c.finalBalance));
  lines.push({
    id: 'card-balances',
    label: 'card balances = initial − Σ debits',
    ok: balanceWrong === 0 && logWrong === 0,
    detail: `${i.cards.length} cards, ${debitedFen} fen taken: ${balanceWrong} differ from the station records, ${logWrong} from the card's own log`,
  });

  const shiftVehicles = sum(i.shiftTotals.map((s) => s.vehicles));
  const shiftAmount = sum(i.shiftTotals.map((s) => s.amount));
  const stationFee = sum(i.stationRecords.map((r) => r.fee));
  const stationTransFee = sum(i.stationRecords.map((r) => r.transFee));
  const centreFee = sum(i.centreRecords.map((r) => r.fee));
  const totalsOk =
    shiftVehicles === i.stationRecords.length &&
    shiftAmount === stationFee &&
    i.clearing.records === i.stationRecords.length &&
    i.clearing.fee === stationFee &&
    i.clearing.transFee === stationTransFee &&
    centreFee === i.clearing.fee;
  lines.push({
    id: 'totals',
    label: 'shift reports = station records = centre clearing, to the fen',
    ok: totalsOk,
    detail: `shifts ${shiftVehicles} veh / ${shiftAmount} fen; station ${i.stationRecords.length} rec / ${stationFee} fen (transFee ${stationTransFee}); clearing ${i.clearing.records} rec / ${i.clearing.fee} fen (transFee ${i.clearing.transFee})`,
  });

  lines.push({
    id: 'outbox-empty',
    label: 'no record stuck in the outbox',
    ok: i.outbox.backlog === 0 && i.outbox.rejected === 0,
    detail: `backlog ${i.outbox.backlog}, refused by the centre ${i.outbox.rejected}`,
  });
  lines.push({
    id: 'no-debit-pending',
    label: 'no debit left pending at the station',
    ok: i.debitPending === 0,
    detail: `${i.debitPending} transactions in debit_pending`,
  });
  const unverified = etcCentre.filter((r) => !r.tacVerified).length;
  const noTrade = i.centreRecords.length - etcCentre.length;
  lines.push({
    id: 'tac-verified',
    label: 'every centre record has a verified TAC',
    ok: unverified === 0,
    detail: `${etcCentre.length - unverified} verified, ${unverified} not${noTrade ? `; ${noTrade} records with no card trade (CPC), accepted without a TAC` : ''}`,
  });
  return lines;
}

export function allOk(lines: readonly ReconcileLine[]): boolean {
  return lines.length > 0 && lines.every((l) => l.ok);
}
