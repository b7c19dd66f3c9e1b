/**
 * The reconciliation of the payments taken at the handheld on a mixed day (cash and QR for the CPC exits),
 * pure: the payment platform's ledger (its settlement files: the ground truth for QR captures), the
 * handhelds' cash logs (the ground truth for cash), the virtual CPCs themselves (the ground truth for the
 * cards collected) and what the station holds (its payments, its CPC records, its shift reports) go in; one
 * line per check comes out, each true or false with the numbers behind it.
 */
import type { EtcCardTaken } from './etc-card-payment';
import type { ReconcileLine } from './reconcile';
import type { CashTaken, CpcFact } from './served-vehicle';
import type { Capture } from './settlement-file';

/** One attempt of a platform payment at the station (its `payments` table). */
export interface StationPaymentFact {
  outTradeNo: string;
  payId: string;
  txnId: string;
  phase: string;
  amount: number;
  /** The exit record the payment was committed with. */
  recordedTradeId: string | null;
}

/** An exit record paid at the handheld (a CPC, a vehicle with no card) at the station. */
export interface PaidRecordFact {
  tradeId: string;
  /** The station's medium of the exit: `cpc`, `none`, `arrears` (a payback). */
  medium: string;
  /** `exit`, or `arrears-payback` (a payback's own record, never a toll). */
  kind: string;
  txnId: string | null;
  passId: string;
  /** The CPC ID (a damaged CPC's label ID for a no-card exit; empty when none). */
  cpcId: string;
  /** National payType (payments.md §1): 1 cash, 6 Alipay, 7 WeChat, 2 other third party, 4 ETC card. */
  payType: number;
  fee: number;
  /** The record carries special 523 CPC写卡失败过车. */
  writeFailed: boolean;
  /** A free green-channel exit (special 128, fee 0). */
  greenPass?: boolean;
  /** The arrears entries a payback record clears. */
  entryIds?: string[];
}

export interface PaymentFacts {
  captures: readonly Capture[];
  stationPayments: readonly StationPaymentFact[];
  paidRecords: readonly PaidRecordFact[];
  cashLog: readonly CashTaken[];
  /** The drivers' ETC cards that paid (their own debit logs: the ground truth for payType 4). */
  etcCardLog?: readonly EtcCardTaken[];
  cpcCards: readonly CpcFact[];
  /** The shift reports' CPC stock, summed over the day's shifts. */
  cpcStock: { collected: number; writeFailed: number };
  /** The PassID of each exit transaction the handhelds opened. */
  passOfTxn: ReadonlyMap<string, string>;
}

/** payments.md §1: the national payType of a capture on each paygate channel (UnionPay QR: other third party). */
const PAY_TYPE_OF_CHANNEL: Readonly<Record<string, number>> = { WECHAT: 7, ALIPAY: 6, UNIONPAY: 2 };
const PAY_TYPE_CASH = 1;
const PAY_TYPE_ETC_CARD = 4;
/** @tollpad/payment's final phases: nothing moves any more without the collector. */
const FINAL_PHASES = new Set(['succeeded', 'failed', 'cancelled', 'reversed']);

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

function groupBy<T>(items: readonly T[], k: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const t of items) {
    const key = k(t);
    const list = m.get(key);
    if (list) list.push(t);
    else m.set(key, [t]);
  }
  return m;
}

export function reconcilePayments(f: PaymentFacts): ReconcileLine[] {
  const lines: ReconcileLine[] = [];
  // Only records that took money: a free exit (a green-channel pass) has no payment to match.
  const paying = f.paidRecords.filter((r) => r.fee > 0);
  const recordsByTrade = groupBy(paying, (r) => r.tradeId);
  const paymentByNo = new Map(f.stationPayments.map((p) => [p.outTradeNo, p]));

  // ── every QR capture at the platform ↔ exactly one exit record ─────────────────────────────────────
  const held = f.captures.filter((c) => c.amount - c.returned > 0);
  const returnedApart = f.captures.length - held.length;
  let missing = 0;
  let duplicated = 0;
  let mismatched = 0;
  const capturedTrades = new Set<string>();
  for (const c of held) {
    const trade = paymentByNo.get(c.outTradeNo)?.recordedTradeId ?? null;
    const recs = trade ? (recordsByTrade.get(trade) ?? []) : [];
    if (trade) capturedTrades.add(trade);
    if (recs.length === 0) missing++;
    else if (recs.length > 1) duplicated++;
    const r = recs[0];
    if (r && (r.fee !== c.amount - c.returned || r.payType !== PAY_TYPE_OF_CHANNEL[c.channel])) mismatched++;
  }
  const qrRecords = paying.filter((r) => r.payType !== PAY_TYPE_CASH && r.payType !== PAY_TYPE_ETC_CARD);
  const qrOrphans = qrRecords.filter((r) => !capturedTrades.has(r.tradeId)).length;
  lines.push({
    id: 'capture-one-record',
    label: 'every captured payment has exactly one exit record (the platform’s ledger)',
    ok: missing === 0 && duplicated === 0 && mismatched === 0 && qrOrphans === 0,
    detail: `${held.length} captures at the platform, ${sum(held.map((c) => c.amount - c.returned))} fen (${returnedApart} reversed or refunded in full, apart): ${missing} without a record, ${duplicated} with more than one, ${mismatched} amount or channel mismatches; ${qrRecords.length} QR records, ${qrOrphans} without a capture`,
  });

  // ── every cash payment the collectors took ↔ exactly one cash record ───────────────────────────────
  const cashRecords = paying.filter((r) => r.payType === PAY_TYPE_CASH);
  let cashMissing = 0;
  let cashDup = 0;
  let cashAmount = 0;
  const logged = new Set<string>();
  for (const e of f.cashLog) {
    logged.add(e.tradeId);
    const recs = (recordsByTrade.get(e.tradeId) ?? []).filter((r) => r.payType === PAY_TYPE_CASH);
    if (recs.length === 0) cashMissing++;
    else if (recs.length > 1) cashDup++;
    if (recs[0] && recs[0].fee !== e.amount) cashAmount++;
  }
  const cashOrphans = cashRecords.filter((r) => !logged.has(r.tradeId)).length;
  const changeWrong = f.cashLog.filter((e) => e.tendered - e.change !== e.amount).length;
  lines.push({
    id: 'cash-one-record',
    label: 'every cash payment has exactly one exit record (the handhelds’ cash logs)',
    ok: cashMissing === 0 && cashDup === 0 && cashAmount === 0 && cashOrphans === 0 && changeWrong === 0,
    detail: `${f.cashLog.length} cash payments, ${sum(f.cashLog.map((e) => e.amount))} fen (tendered ${sum(f.cashLog.map((e) => e.tendered))}, change ${sum(f.cashLog.map((e) => e.change))}): ${cashMissing} without a record, ${cashDup} with more than one, ${cashAmount} amount mismatches, ${changeWrong} with tendered − change ≠ fee; ${cashRecords.length} cash records, ${cashOrphans} not in a cash log`,
  });

  // ── every driver's ETC card debit ↔ exactly one record of payType 4 ───────────────────────────────
  const cardLog = f.etcCardLog ?? [];
  const cardRecords = paying.filter((r) => r.payType === PAY_TYPE_ETC_CARD);
  let cardMissing = 0;
  let cardDup = 0;
  let cardAmount = 0;
  const cardTrades = new Set<string>();
  for (const e of cardLog) {
    cardTrades.add(e.tradeId);
    const recs = (recordsByTrade.get(e.tradeId) ?? []).filter((r) => r.payType === PAY_TYPE_ETC_CARD);
    if (recs.length === 0) cardMissing++;
    else if (recs.length > 1) cardDup++;
    if (recs[0] && recs[0].fee !== e.amount) cardAmount++;
  }
  const cardOrphans = cardRecords.filter((r) => !cardTrades.has(r.tradeId)).length;
  const cardsNotOnce = cardLog.filter(
    (e) => e.debits.length !== 1 || e.debits[0]?.amount !== e.amount,
  ).length;
  lines.push({
    id: 'etc-card-one-record',
    label: 'every driver’s ETC card payment has exactly one exit record (the cards’ own debit logs)',
    ok: cardMissing === 0 && cardDup === 0 && cardAmount === 0 && cardOrphans === 0 && cardsNotOnce === 0,
    detail: `${cardLog.length} ETC card payments, ${sum(cardLog.map((e) => e.amount))} fen: ${cardsNotOnce} cards not debited exactly once by the fee, ${cardMissing} without a record, ${cardDup} with more than one, ${cardAmount} amount mismatches; ${cardRecords.length} payType-4 records, ${cardOrphans} without a card debit`,
  });

  // ── no vehicle paid twice: payments and records per PassID ─────────────────────────────────────────
  const paidPerPass = new Map<string, number>();
  const add = (k: string) => paidPerPass.set(k, (paidPerPass.get(k) ?? 0) + 1);
  for (const c of held) {
    const txn = paymentByNo.get(c.outTradeNo)?.txnId;
    add(f.passOfTxn.get(txn ?? '') ?? `pay ID ${c.payId}`);
  }
  for (const e of f.cashLog) add(e.passId);
  for (const e of cardLog) add(e.passId);
  const paidTwice = [...paidPerPass.values()].filter((n) => n > 1).length;
  const recordedTwice = [...groupBy(f.paidRecords, (r) => r.passId).values()].filter(
    (l) => l.length > 1,
  ).length;
  lines.push({
    id: 'paid-once-per-pass',
    label: 'no vehicle paid twice (per PassID)',
    ok: paidTwice === 0 && recordedTwice === 0,
    detail: `${paidPerPass.size} PassIDs paid: ${paidTwice} paid more than once, ${recordedTwice} with more than one record`,
  });

  // ── no payment left unknown ────────────────────────────────────────────────────────────────────────
  const open = f.stationPayments.filter((p) => !FINAL_PHASES.has(p.phase));
  const paidUnrecorded = f.stationPayments.filter(
    (p) => p.phase === 'succeeded' && !p.recordedTradeId,
  ).length;
  const phases = [...groupBy(open, (p) => p.phase).entries()].map(([k, l]) => `${l.length} ${k}`).join(', ');
  lines.push({
    id: 'no-payment-unknown',
    label: 'no payment left unknown at the end',
    ok: open.length === 0 && paidUnrecorded === 0,
    detail: `${f.stationPayments.length} platform payment attempts at the station: ${open.length} not final${phases ? ` (${phases})` : ''}, ${paidUnrecorded} paid without a record`,
  });

  // ── CPC cards collected = CPC exits (failed writes apart) ──────────────────────────────────────────
  const written = f.cpcCards.filter((c) => c.exitWritten);
  const closedUnwritten = f.cpcCards.filter((c) => c.closed && !c.exitWritten).length;
  const cardOf = new Map(f.cpcCards.map((c) => [c.cpcId, c]));
  // The CPCs collected at exits (a green truck's and an arrears plate's CPC too), paybacks apart.
  const cpcRecords = f.paidRecords.filter((r) => r.medium === 'cpc' && r.kind === 'exit');
  const failedRecords = cpcRecords.filter((r) => r.writeFailed);
  const writeFailed = failedRecords.length;
  const recordedCpcs = groupBy(cpcRecords, (r) => r.cpcId);
  const cpcTwice = [...recordedCpcs.values()].filter((l) => l.length > 1).length;
  const writtenUnrecorded = written.filter((c) => !recordedCpcs.has(c.cpcId)).length;
  const collectedUnrecorded = f.cpcCards.filter((c) => c.closed && !recordedCpcs.has(c.cpcId)).length;
  // A written record's card holds the write; a failed write's card was collected, and holds the write when it
  // was torn after the UPDATE and not put back (the handheld could not read it to confirm): counted apart.
  const confirmedNotOnCard = cpcRecords.filter(
    (r) => !r.writeFailed && !cardOf.get(r.cpcId)?.exitWritten,
  ).length;
  const failedNotCollected = failedRecords.filter((r) => !cardOf.get(r.cpcId)?.closed).length;
  const failedOnCard = failedRecords.filter((r) => cardOf.get(r.cpcId)?.exitWritten).length;
  lines.push({
    id: 'cpc-collected',
    label: 'CPC cards collected = CPC exits (failed writes apart)',
    ok:
      confirmedNotOnCard === 0 &&
      failedNotCollected === 0 &&
      collectedUnrecorded === 0 &&
      f.cpcStock.collected === cpcRecords.length &&
      f.cpcStock.writeFailed === writeFailed &&
      cpcTwice === 0 &&
      writtenUnrecorded === 0,
    detail: `${written.length} CPCs hold the exit write, ${closedUnwritten} collected without it; ${cpcRecords.length} CPC records, ${confirmedNotOnCard} written but not on the card, ${writeFailed} write failed (${failedOnCard} of those cards hold it after all: torn after the write, not put back to confirm; ${failedNotCollected} not collected); shift reports ${f.cpcStock.collected} collected (${f.cpcStock.writeFailed} write failed); ${cpcTwice} CPCs with more than one record, ${writtenUnrecorded} written without a record, ${collectedUnrecorded} collected without a record`,
  });
  return lines;
}
