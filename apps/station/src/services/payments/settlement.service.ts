import { beijingDate } from '@tollpad/domain';
import type { PaymentPort, SettlementLine } from '@tollpad/payment';
import type { SettlementReport } from '@tollpad/station-api';
import type { PaymentRow, RefundRow } from '../../db/schema';
import { StationError } from '../../errors';
import type { SettlementRepository } from '../../repositories/settlement.repository';
import { moneyDayOf, reconcile, refundDayOf, reverseDayOf } from './settlement-match';

const DAY_MS = 86_400_000;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** 00:00 Beijing of a 'YYYY-MM-DD'. */
export const beijingDayStart = (day: string): Date => new Date(`${day}T00:00:00+08:00`);

/** The platform's file of one day, or why there is none (nothing at the station depends on it). */
export type DayFile =
  | { kind: 'ready'; lines: readonly SettlementLine[] }
  | { kind: 'not-ready'; availableAt: string }
  | { kind: 'unreachable' }
  | { kind: 'unconfigured' };

/**
 * Settlement at the station (payments.md §5 step 4, §10.11): the platform's daily file for the station's merchant,
 * matched against the station's payment attempts of that Beijing day. Read-only: differences are listed for a
 * monitor, never resolved here (a missing capture is refunded by a monitor with a reason, the refunds area).
 */
export class SettlementService {
  constructor(
    private readonly d: {
      port: PaymentPort | undefined;
      repo: SettlementRepository;
      now: () => Date;
    },
  ) {}

  /** The platform's file of a day, as it answers now. */
  async file(day: string): Promise<DayFile> {
    if (!this.d.port) return { kind: 'unconfigured' };
    const a = await this.d.port.settlement(day);
    if (a.kind === 'ready') return { kind: 'ready', lines: a.lines };
    if (a.kind === 'not-yet') return { kind: 'not-ready', availableAt: a.availableAt };
    return { kind: 'unreachable' };
  }

  async day(date: string): Promise<SettlementReport> {
    const start = checkedDay(date, this.d.now());
    const f = await this.file(date);
    if (f.kind === 'unconfigured') throw new StationError('STN_ERR_PAY_UNAVAILABLE');
    if (f.kind === 'not-ready') throw new StationError('STN_ERR_SETTLE_NOT_READY', f.availableAt);
    if (f.kind === 'unreachable') throw new StationError('STN_ERR_SETTLE_UNREACHABLE');
    const rows = await this.stationRowsOf(date, start, f.lines);
    const refunds = await this.refundsOfDay(date, start, f.lines);
    // A refund's payment is usually captured on another day: named to describe the refund, no pay line here.
    const have = new Set(rows.map((r) => r.out_trade_no));
    const refunded = [...refunds.map((r) => r.out_trade_no), ...f.lines.map((l) => l.outTradeNo)];
    const context = await this.d.repo.byOutTradeNo([...new Set(refunded.filter((no) => !have.has(no)))]);
    return { date, ...reconcile(f.lines, rows, refunds, { context, days: new Set([date]) }) };
  }

  /**
   * The station's refunds that moved money on the day, whatever day their payment was captured (the platform's
   * file lists a refund on the day it was made), and every refund the platform's lines name.
   */
  private async refundsOfDay(
    date: string,
    start: Date,
    lines: readonly SettlementLine[],
  ): Promise<RefundRow[]> {
    const named = new Set(lines.map((l) => l.refundNo).filter((n) => n !== undefined));
    const around = await this.d.repo.refundsBetween(
      new Date(start.getTime() - DAY_MS).toISOString(),
      new Date(start.getTime() + 2 * DAY_MS).toISOString(),
    );
    const ofNamed = await this.d.repo.refundsOf([
      ...new Set(lines.filter((l) => l.kind === 'refund').map((l) => l.outTradeNo)),
    ]);
    const byNo = new Map<string, RefundRow>();
    for (const r of [...around, ...ofNamed])
      if (named.has(r.refund_no) || refundDayOf(r) === date) byNo.set(r.refund_no, r);
    return [...byNo.values()];
  }

  /** The station's refunds of these attempts (the refunds area's rows). */
  refundsOf(rows: readonly PaymentRow[]): Promise<RefundRow[]> {
    return this.d.repo.refundsOf(rows.map((r) => r.out_trade_no));
  }

  /**
   * The station's attempts of the day: those that moved money on it (opened within a day either side, a capture
   * can come late), and every attempt the platform's lines name whatever its phase (a capture the station holds
   * as failed is exactly what must show).
   */
  private async stationRowsOf(
    date: string,
    start: Date,
    lines: readonly SettlementLine[],
  ): Promise<PaymentRow[]> {
    const around = await this.d.repo.moneyMovedBetween(
      new Date(start.getTime() - DAY_MS).toISOString(),
      new Date(start.getTime() + 2 * DAY_MS).toISOString(),
    );
    // A refund line names a payment captured on any day: only a pay or reverse line makes it the day's.
    const named = new Set(lines.filter((l) => l.kind !== 'refund').map((l) => l.outTradeNo));
    const rows = new Map(
      around
        .filter(
          (r) =>
            named.has(r.out_trade_no) ||
            moneyDayOf(r) === date ||
            (r.phase === 'reversed' && reverseDayOf(r) === date),
        )
        .map((r) => [r.out_trade_no, r]),
    );
    const more = await this.d.repo.byOutTradeNo([...named].filter((no) => !rows.has(no)));
    for (const r of more) rows.set(r.out_trade_no, r);
    return [...rows.values()];
  }
}

/** A real calendar day, not after today in Beijing; else STN_ERR_SETTLE_DATE_INVALID. */
function checkedDay(date: string, now: Date): Date {
  const start = beijingDayStart(date);
  const valid = DATE_RE.test(date) && !Number.isNaN(start.getTime()) && beijingDate(start) === date;
  if (!valid) throw new StationError('STN_ERR_SETTLE_DATE_INVALID', date);
  if (date > beijingDate(now)) throw new StationError('STN_ERR_SETTLE_DATE_INVALID', `${date} 尚未到来`);
  return start;
}
