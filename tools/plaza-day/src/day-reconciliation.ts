import { join } from 'node:path';
import type { VirtualEtcCard } from '@tollpad/card/sim';
import { centreClearing, centreRecords, exitDayOf, openStationStore } from './collect';
import type { MediumId, Shares } from './mix';
import { pathEvidence } from './path-evidence';
import type { DayPaygate } from './paygate';
import { sleep } from './processes';
import { type CardFact, type ReconcileLine, reconcile } from './reconcile';
import {
  arrearsLine,
  type CentreInspection,
  greenBanLine,
  greenLine,
  noCardEvidenceLine,
} from './reconcile-cases';
import {
  type CashInShift,
  cashPerShiftLine,
  clearingPerMediumLine,
  type ShiftHandoverFact,
  settlementPerChannelLine,
} from './reconcile-money';
import { type PaidRecordFact, reconcilePayments } from './reconcile-payments';
import type { EvidenceFact, VehicleResult } from './served-vehicle';
import type { RetryStats } from './station-client';
import { ApiError, callJson } from './station-client';
import type { StationCall } from './station-setup';
import { BYSTANDER_SERIAL_BASE, cardNumberOf } from './vehicles';

/** Waits until the station's outbox is empty (30 s after an interrupted day, 10 min otherwise). */
export async function drainOutbox(
  sc: StationCall,
  monitorToken: string,
  interrupted: boolean,
): Promise<{ backlog: number }> {
  const drainUntil = Date.now() + (interrupted ? 30_000 : 600_000);
  let outbox = { backlog: -1, rejected: [] as unknown[] };
  while (Date.now() < drainUntil) {
    outbox = await sc<{ backlog: number; rejected: unknown[] }>('GET', '/outbox', monitorToken);
    if (outbox.backlog === 0) break;
    await sleep(500);
  }
  return outbox;
}

export interface DayFacts {
  runDir: string;
  stationDbUrl: string | undefined;
  centreUrl: string;
  sc: StationCall;
  monitorToken: string;
  retry: RetryStats;
  results: readonly VehicleResult[];
  bystanders: readonly VirtualEtcCard[];
  outboxBacklog: number;
  /** A mixed day: the payment platform whose ledger the handheld payments are reconciled with. */
  paygate?: DayPaygate | undefined;
  /** When the day started (its first settlement day). */
  startedAt: Date;
  /** The mixed day's shares (null: ETC-only). */
  media: Shares<MediumId> | null;
  /** The arrears vehicles' book entries the day added at the centre. */
  arrears: readonly { plate: string; colour: number; entryId: string }[];
}

/** The lines of the vehicles that cannot simply pay, each when the day sent some (reconcile-cases.ts). */
async function caseLines(f: DayFacts, paidRecords: readonly PaidRecordFact[]): Promise<ReconcileLine[]> {
  const lines: ReconcileLine[] = [];
  if ((f.media?.none ?? 0) > 0) {
    // The shift leader opens each no-card exit's path: what the station serves of it at the end of the day.
    const passagesOf = new Map(f.results.map((r) => [r.txnId ?? '', r.passages ?? 0]));
    const evidence: EvidenceFact[] = [];
    for (const r of paidRecords.filter((x) => x.medium === 'none' && x.txnId)) {
      const txnId = r.txnId ?? '';
      evidence.push(await pathEvidence(f.sc, f.monitorToken, txnId, r.tradeId, passagesOf.get(txnId) ?? 0));
    }
    lines.push(noCardEvidenceLine(paidRecords, evidence));
  }
  if ((f.media?.green ?? 0) > 0) {
    const passes = paidRecords.filter((r) => r.greenPass);
    const atCentre = new Map<string, CentreInspection | null>();
    for (const r of passes) {
      try {
        const i = await callJson<{
          passed?: boolean;
          inspection?: { passed?: boolean; photos?: unknown[] };
          photos?: unknown[];
        }>(f.centreUrl, 'GET', `/records/${r.tradeId}/green-inspection`, {}, f.retry);
        const v = i.value.inspection ?? i.value;
        atCentre.set(r.tradeId, {
          passed: v.passed === true,
          photos: Array.isArray(v.photos) ? v.photos.length : 0,
        });
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) throw e;
        atCentre.set(r.tradeId, null);
      }
    }
    const days = [...new Set(passes.map((r) => exitDayOf(r.tradeId)))].sort();
    let uninspected = 0;
    if (days.length > 0) {
      const u = await callJson<{ uninspected: unknown[] }>(
        f.centreUrl,
        'GET',
        `/green-channel/uninspected?from=${days[0]}&to=${days.at(-1)}&limit=1000`,
        {},
        f.retry,
      );
      uninspected = u.value.uninspected.length;
    }
    lines.push(
      greenLine(
        paidRecords,
        f.results.flatMap((r) => (r.green ? [r.green] : [])),
        atCentre,
        uninspected,
      ),
      greenBanLine(
        paidRecords,
        f.results.flatMap((r) => (r.green ? [r.green] : [])),
      ),
    );
  }
  if ((f.media?.arrears ?? 0) > 0) {
    const open = new Set<string>();
    for (const a of f.arrears) {
      const r = await callJson<{ entries: { id: string }[] }>(
        f.centreUrl,
        'GET',
        `/arrears/${encodeURIComponent(a.plate)}?colour=${a.colour}`,
        {},
        f.retry,
      );
      for (const e of r.value.entries) open.add(e.id);
    }
    lines.push(
      arrearsLine(
        f.arrears,
        open,
        paidRecords.filter((r) => r.kind === 'arrears-payback'),
        f.results.flatMap((r) => (r.payback ? [r.payback] : [])),
      ),
    );
  }
  return lines;
}

/**
 * 交班 at the end of the day: each shift is closed with the cash its collector's till holds (the handheld's cash
 * log: Σ tendered − change), as a monitor does it for the collectors; the station's report of it answers.
 */
async function handOver(
  f: DayFacts,
  shifts: readonly { id: string }[],
  tills: readonly CashInShift[],
): Promise<ShiftHandoverFact[]> {
  const out: ShiftHandoverFact[] = [];
  for (const s of shifts) {
    const cashCounted = tills.filter((t) => t.shiftId === s.id).reduce((a, t) => a + t.amount, 0);
    const r = await f.sc<{
      cash: { expected: number | null; counted: number | null; difference: number | null };
    }>('POST', `/shifts/${s.id}/handover`, f.monitorToken, {
      cashCounted,
      remark: 'plaza-day TEST: the till of the handheld’s cash log',
    });
    out.push({
      shiftId: s.id,
      expected: r.cash.expected ?? -1,
      counted: r.cash.counted ?? -1,
      difference: r.cash.difference ?? -1,
    });
  }
  return out;
}

/**
 * The day's facts gathered — the cards' own debit logs, the station's records (read-only from its
 * database), the centre's records and clearing, the shift reports — and reconciled line by line.
 */
export async function reconcileDay(f: DayFacts): Promise<{ lines: ReconcileLine[]; notes: string[] }> {
  const store = openStationStore(
    f.stationDbUrl
      ? { databaseUrl: f.stationDbUrl }
      : { sqliteFile: join(f.runDir, 'station', 'station.sqlite') },
  );
  const stationRecords = await store.records();
  const debitPending = await store.debitPending();
  const refusals = await store.refusedByCode();
  const paidRecords = f.paygate ? await store.paidRecords() : [];
  const stationPayments = f.paygate ? await store.payments() : [];
  await store.close();
  const days = [...new Set(stationRecords.map((r) => exitDayOf(r.tradeId)))];
  const centreRecs = await centreRecords(f.centreUrl, days, f.retry);
  const clearing = await centreClearing(f.centreUrl, days, f.retry);
  const shifts = await f.sc<{ id: string }[]>('GET', '/shifts', f.monitorToken);
  const shiftTotals: { shiftId: string; vehicles: number; amount: number }[] = [];
  const cpcStock = { collected: 0, writeFailed: 0 };
  for (const s of shifts) {
    const r = await f.sc<{
      totals: { vehicles: number; amount: number };
      cpcStock?: { collected: number; writeFailed: number };
    }>('GET', `/shifts/${s.id}/report`, f.monitorToken);
    shiftTotals.push({ shiftId: s.id, vehicles: r.totals.vehicles, amount: r.totals.amount });
    cpcStock.collected += r.cpcStock?.collected ?? 0;
    cpcStock.writeFailed += r.cpcStock?.writeFailed ?? 0;
  }
  const cards: CardFact[] = [
    ...f.results.flatMap((r) => (r.card ? [r.card] : [])),
    ...f.bystanders.map((b, i) => ({
      cardNo: cardNumberOf(BYSTANDER_SERIAL_BASE + i),
      vehicle: null,
      initialBalance: 100_000,
      finalBalance: b.balance,
      debits: b.debits.map((d) => ({ atc: d.atc - 1, amount: d.amount, datetime: d.datetime })),
    })),
  ];
  const lines = reconcile({
    cards,
    stationRecords,
    centreRecords: centreRecs,
    shiftTotals,
    clearing,
    outbox: { backlog: f.outboxBacklog, rejected: Object.values(refusals).reduce((a, b) => a + b, 0) },
    debitPending,
    centreRefusals: refusals,
  });
  if (f.paygate) {
    const ledger = await f.paygate.ledger(f.startedAt);
    const passOfTxn = new Map<string, string>();
    for (const r of f.results) {
      if (r.txnId && r.payment) passOfTxn.set(r.txnId, r.payment.passId);
      if (r.payback?.payment) passOfTxn.set(r.payback.id, r.payback.payment.passId);
    }
    lines.push(
      ...reconcilePayments({
        captures: ledger.captures,
        stationPayments,
        paidRecords,
        cashLog: f.results.flatMap((r) => [
          ...(r.cash ? [r.cash] : []),
          ...(r.payback?.cash ? [r.payback.cash] : []),
        ]),
        etcCardLog: f.results.flatMap((r) => (r.etcCard ? [r.etcCard] : [])),
        cpcCards: f.results.flatMap((r) => (r.cpc ? [r.cpc] : [])),
        cpcStock,
        passOfTxn,
      }),
    );
    lines.push(...(await caseLines(f, paidRecords)));
    // The money lines (issue #23): each till handed over, the settlement per channel, clearing per group.
    const tills: CashInShift[] = f.results.flatMap((r) =>
      [r.cash, r.payback?.cash].flatMap((c) =>
        c && r.shiftId ? [{ shiftId: r.shiftId, amount: c.amount }] : [],
      ),
    );
    lines.push(cashPerShiftLine(await handOver(f, shifts, tills), tills));
    lines.push(settlementPerChannelLine(paidRecords, ledger.captures));
    lines.push(
      clearingPerMediumLine(
        stationRecords.map((r) => ({ mediaType: r.mediaType ?? 1, payType: r.payType ?? null, fee: r.fee })),
        clearing.rows,
      ),
    );
  }
  const notes: string[] = [];
  if (lines.some((l) => l.id === 'extime-is-debit-time' && !l.ok)) {
    notes.push(
      'exTime ≠ DEBIT datetime: the station stamps exTime with its own clock when it handles the debit intent, ' +
        'while the card TAC covers the datetime the handheld sent in INITIALIZE/DEBIT; the centre checks the TAC ' +
        'over exTime (apps/centre/src/services/tac.ts), so a record whose intent reached the station in a later ' +
        'second is refused (CTR_ERR_RECORD_TAC_MISMATCH). Fix: the debit intent carries the purchase datetime and ' +
        'the station uses it as exTime.',
    );
  }
  return { lines, notes };
}
