import { beijingDate, type Fen, formatYuan } from '@tollpad/domain';
import {
  type AttemptRecord,
  lineKey,
  matchSettlement,
  type SettlementDifference as PaymentDifference,
  parseOutTradeNo,
  type QrChannel,
  type SettlementLine,
  type StationLine,
  stationLinesOf,
} from '@tollpad/payment';
import type { ChannelTotals, SettlementDifference, SideTotals } from '@tollpad/station-api';
import type { PaymentRow, RefundRow } from '../../db/schema';
import { attemptOf } from '../../repositories/payments.repository';

/** Chinese names of the QR channels, for reports. */
export const CHANNEL_NAMES: Record<QrChannel, string> = {
  WECHAT: '微信',
  ALIPAY: '支付宝',
  UNIONPAY_QR: '银联云闪付',
  OTHER_QR: '其他扫码',
};
const CHANNEL_ORDER: readonly QrChannel[] = ['WECHAT', 'ALIPAY', 'UNIONPAY_QR', 'OTHER_QR'];

const yuan = (fen: number) => `¥${formatYuan(fen as Fen)}`;
const KIND_NAMES = { pay: '收款', reverse: '撤销', refund: '退款' } as const;

export interface Reconciled {
  matched: number;
  platformLines: number;
  stationLines: number;
  differences: SettlementDifference[];
  byChannel: ChannelTotals[];
}

const payIdOf = (outTradeNo: string): string | null => {
  const p = parseOutTradeNo(outTradeNo);
  return p.ok ? p.value.payId : null;
};

/** The Beijing day a station refund moved money: the platform's refund time, else when it was asked. */
export function refundDayOf(r: RefundRow): string {
  return beijingDate(new Date(r.refunded_at ?? r.created_at));
}

/** The Beijing day a station attempt moved money: the platform's capture time, else when it was opened. */
export function moneyDayOf(row: PaymentRow): string {
  const a = attemptOf(row);
  return beijingDate(new Date(a.paid?.paidAt ?? row.created_at));
}

/** The Beijing day a reversed attempt gave the money back: its last update, the reverse's answer. */
export function reverseDayOf(row: PaymentRow): string {
  return beijingDate(new Date(row.updated_at));
}

/**
 * The platform's lines against the station's payment rows (packages/payment matchSettlement), each difference
 * named with the station's transaction and record when it has them and said in Chinese; and a capture the
 * platform and the station agree on but no exit record holds (`not-recorded`), which the pure matcher cannot see.
 */
export function reconcile(
  platform: readonly SettlementLine[],
  rows: readonly PaymentRow[],
  refunds: readonly RefundRow[] = [],
  opts: {
    /** Attempts named only to describe a line (a refund's payment captured on another day): no pay line of theirs. */
    context?: readonly PaymentRow[];
    /**
     * The Beijing days the platform's lines cover: a capture or a reverse of another day is in another day's file
     * (a reverse can come days after its capture), so it is a station line here only if the platform names it.
     */
    days?: ReadonlySet<string>;
  } = {},
): Reconciled {
  const byNo = new Map([...(opts.context ?? []), ...rows].map((r) => [r.out_trade_no, r]));
  const attempts = new Map<string, AttemptRecord>([...byNo].map(([no, r]) => [no, attemptOf(r)]));
  const platformByKey = new Map(platform.map((l) => [lineKey(l), l]));
  const days = opts.days;
  const onDays = (l: StationLine): boolean => {
    const row = byNo.get(l.outTradeNo);
    if (!days || l.kind === 'refund' || !row || platformByKey.has(lineKey(l))) return true;
    return days.has(l.kind === 'pay' ? moneyDayOf(row) : reverseDayOf(row));
  };
  // Only a refund the platform confirmed moved money; one still asked for shows as the platform's line.
  const station = stationLinesOf(
    rows.map((r) => attemptOf(r)),
    refunds
      .filter((r) => r.state === 'refunded')
      .map((r) => ({ outTradeNo: r.out_trade_no, refundNo: r.refund_no, amountFen: r.amount })),
  ).filter(onDays);
  const { matched, differences } = matchSettlement(platform, station);
  const channelOfStation = (no: string): QrChannel => {
    const a = attempts.get(no);
    return a?.paid?.channel ?? a?.channel ?? 'OTHER_QR';
  };
  const stationByKey = new Map(station.map((l) => [lineKey(l), l]));

  const out: SettlementDifference[] = differences.map((d) => describe(d));
  for (const r of rows) {
    if (r.phase !== 'succeeded' || r.recorded_trade_id !== null) continue;
    const key = lineKey({ kind: 'pay', outTradeNo: r.out_trade_no, amountFen: r.amount });
    const p = platformByKey.get(key);
    if (!p) continue; // already listed as missing at the platform
    out.push({
      ...blank(key),
      kind: 'not-recorded',
      lineKind: 'pay',
      outTradeNo: r.out_trade_no,
      payId: r.pay_id,
      channel: p.channel,
      stationAmount: r.amount,
      platformAmount: p.amountFen,
      txnId: r.txn_id,
      message: `已收款 ${yuan(p.amountFen)}（${CHANNEL_NAMES[p.channel]}）但尚无出口流水：请核查交易 ${r.txn_id} 是否已【提交数据】`,
    });
  }

  function blank(key: string): SettlementDifference {
    return {
      kind: 'duplicate',
      key,
      lineKind: null,
      outTradeNo: null,
      payId: null,
      channel: null,
      stationAmount: null,
      platformAmount: null,
      side: null,
      count: null,
      txnId: null,
      tradeId: null,
      message: '',
    };
  }

  function linked(outTradeNo: string) {
    const row = byNo.get(outTradeNo);
    return {
      outTradeNo,
      payId: row?.pay_id ?? payIdOf(outTradeNo),
      txnId: row?.txn_id ?? null,
      tradeId: row?.recorded_trade_id ?? null,
    };
  }

  function describe(d: PaymentDifference): SettlementDifference {
    switch (d.kind) {
      case 'missing-at-station': {
        const l = d.platform;
        const what = KIND_NAMES[l.kind];
        return {
          ...blank(d.key),
          ...linked(l.outTradeNo),
          kind: d.kind,
          lineKind: l.kind,
          channel: l.channel,
          platformAmount: l.amountFen,
          message:
            l.kind === 'pay'
              ? `支付平台有收款 ${yuan(l.amountFen)}（${CHANNEL_NAMES[l.channel]}，${l.outTradeNo}），本站没有对应的支付成功记录：请核查是否漏记流水，需退款的请班长处理`
              : `支付平台有${what} ${yuan(l.amountFen)}（${l.outTradeNo}${l.refundNo ? `，${l.refundNo}` : ''}），本站没有该${what}记录：请核实`,
        };
      }
      case 'missing-at-platform': {
        const l: StationLine = d.station;
        const channel = channelOfStation(l.outTradeNo);
        return {
          ...blank(d.key),
          ...linked(l.outTradeNo),
          kind: d.kind,
          lineKind: l.kind,
          channel,
          stationAmount: l.amountFen,
          message: `本站记有${KIND_NAMES[l.kind]} ${yuan(l.amountFen)}（${CHANNEL_NAMES[channel]}，${l.outTradeNo}），支付平台对账单中没有：请向支付平台核实`,
        };
      }
      case 'amount-differs': {
        const l = platformByKey.get(d.key) ?? stationByKey.get(d.key);
        const no = l?.outTradeNo ?? null;
        return {
          ...blank(d.key),
          ...(no ? linked(no) : {}),
          kind: d.kind,
          lineKind: l?.kind ?? null,
          channel: no ? channelOfStation(no) : null,
          stationAmount: d.stationFen,
          platformAmount: d.platformFen,
          message: `金额不一致：本站 ${yuan(d.stationFen)}，支付平台 ${yuan(d.platformFen)}（${no ?? d.key}）：请核实`,
        };
      }
      case 'duplicate': {
        const side = d.side === 'platform' ? '支付平台' : '本站';
        const payId = d.scope === 'pay-id' ? d.key.slice('pay-id:'.length) : null;
        const l = platformByKey.get(d.key) ?? stationByKey.get(d.key);
        return {
          ...blank(d.key),
          ...(l ? linked(l.outTradeNo) : {}),
          kind: d.kind,
          lineKind: d.scope === 'line' ? (l?.kind ?? null) : 'pay',
          payId: payId ?? (l ? payIdOf(l.outTradeNo) : null),
          side: d.side,
          count: d.count,
          message:
            d.scope === 'pay-id'
              ? `${side}同一支付号 ${payId} 下有 ${d.count} 笔收款：一次通行只收一次，后一笔应由班长退款`
              : `${side}同一笔（${d.key}）出现 ${d.count} 次：请核实`,
        };
      }
    }
  }

  return {
    matched,
    platformLines: platform.length,
    stationLines: station.length,
    differences: out,
    byChannel: channelTotals(platform, station, channelOfStation),
  };
}

function channelTotals(
  platform: readonly SettlementLine[],
  station: readonly StationLine[],
  channelOfStation: (outTradeNo: string) => QrChannel,
): ChannelTotals[] {
  const zero = (): SideTotals => ({ payCount: 0, payAmount: 0, refundCount: 0, refundAmount: 0 });
  const totals = new Map<QrChannel, { station: SideTotals; platform: SideTotals }>();
  const add = (channel: QrChannel, side: 'station' | 'platform', l: StationLine) => {
    const t = totals.get(channel) ?? { station: zero(), platform: zero() };
    const s = t[side];
    if (l.kind === 'pay') {
      s.payCount += 1;
      s.payAmount += l.amountFen;
    } else {
      s.refundCount += 1;
      s.refundAmount += l.amountFen;
    }
    totals.set(channel, t);
  };
  for (const l of platform) add(l.channel, 'platform', l);
  for (const l of station) add(channelOfStation(l.outTradeNo), 'station', l);
  return CHANNEL_ORDER.filter((c) => totals.has(c)).map((c) => {
    const t = totals.get(c) as { station: SideTotals; platform: SideTotals };
    return { channel: c, name: CHANNEL_NAMES[c], ...t };
  });
}
