import { beijingDate, PAY_TYPE } from '@tollpad/domain';
import { FINAL, type QrChannel, type SettlementLine } from '@tollpad/payment';
import type { HandoverReport, HandoverRequest, PayTypeTotal } from '@tollpad/station-api';
import type { PaymentRow, RefundRow, ShiftRow } from '../db/schema';
import { StationError } from '../errors';
import type { Executor } from '../repositories/executor';
import type { HandoverRepository, ShiftExitRow } from '../repositories/handover.repository';
import { attemptOf } from '../repositories/payments.repository';
import type { ReceiptsRepository } from '../repositories/receipts.repository';
import type { ShiftsRepository } from '../repositories/shifts.repository';
import type { AuditService } from './audit.service';
import type { Principal } from './auth.service';
import { paybackCash, paybackTotals } from './payback-totals';
import { beijingDayStart, type DayFile, type SettlementService } from './payments/settlement.service';
import { CHANNEL_NAMES, reconcile, refundDayOf } from './payments/settlement-match';

/** National payType names (payments.md §1). */
export const PAY_TYPE_NAMES: Record<number, string> = {
  1: '现金',
  2: '其他第三方支付',
  3: '银联卡',
  4: 'ETC用户卡',
  6: '支付宝',
  7: '微信',
};

/** [P] A shift spans at most this many Beijing days of settlement files (a night shift spans two). */
const MAX_SHIFT_DAYS = 3;

const DAY_MS = 86_400_000;

/**
 * 交班 (payments.md §9): the collector closing a shift enters the cash counted; the hand-over report sets it
 * against the cash expected — Σ amounts due of the shift's cash exits, never Σ tendered (the change went back) —
 * and the shift's QR payments per channel against the platform's settlement of those payments, with the ETC-card
 * and every other payType, the CPC stock, receipts issued and reprinted, and what is still open.
 */
export class ShiftHandoverService {
  constructor(
    private readonly d: {
      shifts: ShiftsRepository;
      repo: HandoverRepository;
      receipts: ReceiptsRepository;
      settlement: SettlementService;
      audit: AuditService;
      db: Executor;
      now: () => Date;
      cpcWriteFailedSpecial: number;
    },
  ) {}

  /** Closes the shift if still open and records the count, once; audited with who and how much. */
  async handover(id: string, p: Principal, body: HandoverRequest): Promise<HandoverReport> {
    const at = this.d.now().toISOString();
    await this.d.shifts.closing(() =>
      this.d.db.transaction().execute(async (t) => {
        await this.d.repo.lockShift(id, t);
        const s = await this.owned(id, p, t);
        if (await this.d.repo.find(id, t)) throw new StationError('STN_ERR_HANDOVER_ALREADY_DONE');
        if (!s.closed_at) {
          await this.d.shifts.close(id, at, t);
          await this.d.audit.record({ actor: p.accountId, action: 'shift.close', target: id }, t);
        }
        await this.d.repo.insert(
          {
            shift_id: id,
            cash_counted: body.cashCounted,
            closed_by: p.accountId,
            remark: body.remark ?? null,
            at,
          },
          t,
        );
        await this.d.audit.record(
          {
            actor: p.accountId,
            action: 'shift.handover',
            target: id,
            detail: { cashCounted: body.cashCounted, ...(body.remark ? { remark: body.remark } : {}) },
          },
          t,
        );
      }),
    );
    return this.report(id, p);
  }

  async report(id: string, p: Principal): Promise<HandoverReport> {
    const s = await this.owned(id, p);
    const [handover, exits, payments, prints, cpcStock, paybacks] = await Promise.all([
      this.d.repo.find(id),
      this.d.repo.exitsOfShift(id),
      this.d.repo.paymentsOfShift(id),
      this.d.receipts.ofShift(id),
      this.d.shifts.cpcStock(id, this.d.cpcWriteFailedSpecial),
      this.d.shifts.paybacksOf(id),
    ]);
    const refunds = await this.d.settlement.refundsOf(payments);
    // [P] A blind count (issue #21): the shift's own collector sees no cash figure before counting — what the
    // till should hold (expected, its cash payType's amount, tendered less change) would become the count.
    const blind = p.role === 'collector' && !handover;
    const allPayTypes = payTypeTotals(exits);
    const byPayType = blind ? allPayTypes.filter((g) => g.payType !== PAY_TYPE.CASH) : allPayTypes;
    // The cash paybacks (补缴) are in the till beside the tolls' cash: the collector hands both over.
    const tolls = cashOf(exits);
    const paid = paybackCash(paybacks);
    const cash = {
      vehicles: tolls.vehicles,
      expected: tolls.expected + paid.expected,
      tendered: tolls.tendered + paid.tendered,
      change: tolls.change + paid.change,
      paybacks: paid.count,
    };
    const counted = handover?.cash_counted ?? null;
    const etc = byPayType.find((g) => g.payType === PAY_TYPE.ETC_CARD);
    return {
      blind,
      shift: {
        id: s.id,
        accountId: s.account_id,
        terminalId: s.terminal_id,
        openedAt: s.opened_at,
        closedAt: s.closed_at,
      },
      handover: handover
        ? {
            cashCounted: handover.cash_counted,
            by: handover.closed_by,
            at: handover.at,
            remark: handover.remark,
          }
        : null,
      cash: blind
        ? {
            vehicles: cash.vehicles,
            paybacks: cash.paybacks,
            expected: null,
            tendered: null,
            change: null,
            counted: null,
            difference: null,
          }
        : { ...cash, counted, difference: counted === null ? null : counted - cash.expected },
      byPayType,
      etcCard: { vehicles: etc?.vehicles ?? 0, amount: etc?.amount ?? 0 },
      paybacks: paybackTotals(paybacks, PAY_TYPE_NAMES, { blind }),
      qr: await this.qrOf(s, payments, refunds),
      cpcStock,
      receipts: {
        printed: prints.filter((r) => r.kind === 'print').length,
        reprinted: prints.filter((r) => r.kind === 'reprint').length,
        reprints: prints
          .filter((r) => r.kind === 'reprint')
          .map((r) => ({ id: r.id, tradeId: r.trade_id, kind: 'reprint' as const, by: r.actor, at: r.at })),
      },
      openItems: openItemsOf(payments, refunds),
    };
  }

  /** The shift as the caller may see it: a collector only their own. */
  async owned(id: string, p: Principal, x?: Executor): Promise<ShiftRow> {
    const s = await this.d.shifts.find(id, x);
    if (!s) throw new StationError('STN_ERR_SHIFT_NOT_FOUND');
    if (p.role === 'collector' && s.account_id !== p.accountId)
      throw new StationError('STN_ERR_AUTH_FORBIDDEN');
    return s;
  }

  /** The shift's QR payments per channel, and the platform's lines of those payments from its daily files. */
  private async qrOf(
    s: ShiftRow,
    payments: readonly PaymentRow[],
    refunds: readonly RefundRow[],
  ): Promise<HandoverReport['qr']> {
    const recorded = payments.filter((r) => r.phase === 'succeeded' && r.recorded_trade_id !== null);
    const stationBy = new Map<QrChannel, { count: number; amount: number }>();
    for (const r of recorded) {
      const a = attemptOf(r);
      const c = a.paid?.channel ?? a.channel;
      const t = stationBy.get(c) ?? { count: 0, amount: 0 };
      t.count += 1;
      t.amount += a.paid?.amountFen ?? r.amount;
      stationBy.set(c, t);
    }
    const settlement = {
      state: 'none' as HandoverReport['qr']['settlement']['state'],
      availableAt: null as string | null,
      matched: 0,
      missing: [] as HandoverReport['qr']['settlement']['missing'],
      extra: [] as HandoverReport['qr']['settlement']['extra'],
      other: [] as HandoverReport['qr']['settlement']['other'],
    };
    let platformBy: Map<QrChannel, { count: number; amount: number }> | null = null;
    if (payments.length > 0) {
      const files = await this.filesOf(s);
      const waiting = files.find((f) => f.kind !== 'ready');
      if (waiting) {
        settlement.state = waiting.kind === 'not-ready' ? 'not-ready' : waiting.kind;
        settlement.availableAt = waiting.kind === 'not-ready' ? waiting.availableAt : null;
      } else {
        const payIds = new Set(payments.map((r) => r.pay_id));
        const lines = files.flatMap((f) => (f.kind === 'ready' ? f.lines : []));
        // The platform's lines of this shift's pay IDs, whatever attempt: a capture under another attempt
        // of one of them is exactly what must show.
        const mine = lines.filter((l) => payIds.has(l.outTradeNo.replace(/-\d+$/, '')));
        // The station's refunds of the days the files cover: a refund made after the shift's last day is in a
        // file not read here, and is no difference (the day's settlement holds it).
        const days = new Set(files.map((f) => f.day));
        const named = new Set(mine.map((l) => l.refundNo).filter((n) => n !== undefined));
        const inFiles = refunds.filter((f) => named.has(f.refund_no) || days.has(refundDayOf(f)));
        const r = reconcile(mine, payments, inFiles, { days });
        settlement.matched = r.matched;
        settlement.missing = r.differences.filter((d) => d.kind === 'missing-at-station');
        settlement.extra = r.differences.filter((d) => d.kind === 'missing-at-platform');
        settlement.other = r.differences.filter(
          (d) => d.kind !== 'missing-at-station' && d.kind !== 'missing-at-platform',
        );
        settlement.state = r.differences.length === 0 ? 'matched' : 'differences';
        platformBy = platformTotals(mine);
      }
    }
    const channels = new Set<QrChannel>([...stationBy.keys(), ...(platformBy?.keys() ?? [])]);
    const order: QrChannel[] = ['WECHAT', 'ALIPAY', 'UNIONPAY_QR', 'OTHER_QR'];
    return {
      byChannel: order
        .filter((c) => channels.has(c))
        .map((c) => ({
          channel: c,
          name: CHANNEL_NAMES[c],
          station: stationBy.get(c) ?? { count: 0, amount: 0 },
          platform: platformBy ? (platformBy.get(c) ?? { count: 0, amount: 0 }) : null,
        })),
      settlement,
    };
  }

  /** The platform's files of the Beijing days the shift spans (until now while it is open). */
  private async filesOf(s: ShiftRow): Promise<(DayFile & { day: string })[]> {
    const from = new Date(s.opened_at).getTime();
    const to = s.closed_at ? new Date(s.closed_at).getTime() : this.d.now().getTime();
    const days: string[] = [];
    for (
      let t = beijingDayStart(beijingDate(new Date(from))).getTime();
      t <= to && days.length < MAX_SHIFT_DAYS;
      t += DAY_MS
    )
      days.push(beijingDate(new Date(t)));
    const files: (DayFile & { day: string })[] = [];
    for (const day of days) {
      const f = await this.d.settlement.file(day);
      files.push({ ...f, day });
      if (f.kind !== 'ready') break;
    }
    return files;
  }
}

function payTypeOf(e: ShiftExitRow): number {
  const r = JSON.parse(e.record_json) as { payType?: unknown };
  return typeof r.payType === 'number' ? r.payType : 0;
}

function payTypeTotals(exits: readonly ShiftExitRow[]): PayTypeTotal[] {
  const by = new Map<number, PayTypeTotal>();
  for (const e of exits) {
    const payType = payTypeOf(e);
    const g = by.get(payType) ?? {
      payType,
      name: PAY_TYPE_NAMES[payType] ?? String(payType),
      vehicles: 0,
      amount: 0,
    };
    g.vehicles += 1;
    g.amount += e.fee;
    by.set(payType, g);
  }
  return [...by.values()].sort((a, b) => a.payType - b.payType);
}

/** Cash exits: the amount due is the record's fee; what was tendered and given back is on the transaction. */
function cashOf(exits: readonly ShiftExitRow[]): {
  vehicles: number;
  expected: number;
  tendered: number;
  change: number;
} {
  let vehicles = 0;
  let expected = 0;
  let tendered = 0;
  let change = 0;
  for (const e of exits) {
    if (payTypeOf(e) !== PAY_TYPE.CASH) continue;
    const debit = e.debit_json ? (JSON.parse(e.debit_json) as { tendered?: unknown; change?: unknown }) : {};
    vehicles += 1;
    expected += e.fee;
    tendered += typeof debit.tendered === 'number' ? debit.tendered : e.fee;
    change += typeof debit.change === 'number' ? debit.change : 0;
  }
  return { vehicles, expected, tendered, change };
}

function platformTotals(lines: readonly SettlementLine[]): Map<QrChannel, { count: number; amount: number }> {
  const by = new Map<QrChannel, { count: number; amount: number }>();
  for (const l of lines) {
    if (l.kind !== 'pay') continue;
    const t = by.get(l.channel) ?? { count: 0, amount: 0 };
    t.count += 1;
    t.amount += l.amountFen;
    by.set(l.channel, t);
  }
  return by;
}

function openItemsOf(
  payments: readonly PaymentRow[],
  refunds: readonly RefundRow[],
): HandoverReport['openItems'] {
  const byPhase = new Map<string, number>();
  for (const r of payments) byPhase.set(r.phase, (byPhase.get(r.phase) ?? 0) + 1);
  return {
    payments: payments
      .filter((r) => !FINAL.includes(r.phase as (typeof FINAL)[number]))
      .map((r) => ({ outTradeNo: r.out_trade_no, txnId: r.txn_id, phase: r.phase, amount: r.amount })),
    // A conflict (the platform contradicts the refund) is never asked again: open until a person checks.
    refundsPending: refunds
      .filter((r) => r.state === 'requested' || r.state === 'unknown' || r.state === 'conflict')
      .map((r) => ({ refundNo: r.refund_no, outTradeNo: r.out_trade_no, state: r.state, amount: r.amount })),
    capturedNotRecorded: payments.filter((r) => r.phase === 'succeeded' && r.recorded_trade_id === null)
      .length,
    byPhase: [...byPhase.entries()].sort().map(([phase, count]) => ({ phase, count })),
  };
}
