import { parseOutTradeNo } from './pay-id';
import type { AttemptRecord } from './payment-runner';
import type { SettlementLine } from './port';

/**
 * Matches a platform's daily settlement file against the station's own records of the same day
 * (payments.md §5 step 4, §10 item 11). Every difference is listed, none is resolved here: a missing line,
 * an amount that differs, a line twice, or two captures under one pay ID (refund the later, §7).
 */
export type StationLine = Pick<SettlementLine, 'kind' | 'outTradeNo' | 'refundNo' | 'amountFen'>;

export type SettlementDifference =
  | { readonly kind: 'missing-at-station'; readonly key: string; readonly platform: SettlementLine }
  | { readonly kind: 'missing-at-platform'; readonly key: string; readonly station: StationLine }
  | {
      readonly kind: 'amount-differs';
      readonly key: string;
      readonly stationFen: number;
      readonly platformFen: number;
    }
  | {
      readonly kind: 'duplicate';
      readonly key: string;
      readonly side: 'station' | 'platform';
      /** 'line': the same line twice; 'pay-id': more than one capture standing under one pay ID. */
      readonly scope: 'line' | 'pay-id';
      readonly count: number;
    };

export interface SettlementMatch {
  readonly matched: number;
  readonly differences: readonly SettlementDifference[];
}

export function lineKey(line: StationLine): string {
  return line.kind === 'refund'
    ? `refund:${line.outTradeNo}:${line.refundNo ?? ''}`
    : `${line.kind}:${line.outTradeNo}`;
}

function group<T extends StationLine>(lines: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const line of lines) {
    const key = lineKey(line);
    const list = groups.get(key);
    if (list) list.push(line);
    else groups.set(key, [line]);
  }
  return groups;
}

/** Pay IDs with more than one pay line not undone by a reverse. */
function doubleCaptures(lines: readonly StationLine[]): Map<string, number> {
  const reversed = new Set(lines.filter((l) => l.kind === 'reverse').map((l) => l.outTradeNo));
  const standing = new Map<string, Set<string>>();
  for (const line of lines) {
    if (line.kind !== 'pay' || reversed.has(line.outTradeNo)) continue;
    const parsed = parseOutTradeNo(line.outTradeNo);
    const payId = parsed.ok ? parsed.value.payId : line.outTradeNo;
    const set = standing.get(payId) ?? new Set<string>();
    set.add(line.outTradeNo);
    standing.set(payId, set);
  }
  return new Map([...standing].filter(([, set]) => set.size > 1).map(([payId, set]) => [payId, set.size]));
}

export function matchSettlement(
  platform: readonly SettlementLine[],
  station: readonly StationLine[],
): SettlementMatch {
  const differences: SettlementDifference[] = [];
  const p = group(platform);
  const s = group(station);
  let matched = 0;
  for (const key of [...new Set([...p.keys(), ...s.keys()])].sort()) {
    const pl = p.get(key) ?? [];
    const sl = s.get(key) ?? [];
    if (pl.length > 1)
      differences.push({ kind: 'duplicate', key, side: 'platform', scope: 'line', count: pl.length });
    if (sl.length > 1)
      differences.push({ kind: 'duplicate', key, side: 'station', scope: 'line', count: sl.length });
    const [pf] = pl;
    const [sf] = sl;
    if (pf && !sf) differences.push({ kind: 'missing-at-station', key, platform: pf });
    else if (sf && !pf) differences.push({ kind: 'missing-at-platform', key, station: sf });
    else if (pf && sf) {
      if (pf.amountFen !== sf.amountFen) {
        differences.push({
          kind: 'amount-differs',
          key,
          stationFen: sf.amountFen,
          platformFen: pf.amountFen,
        });
      } else matched++;
    }
  }
  for (const [side, lines] of [
    ['platform', platform],
    ['station', station],
  ] as const) {
    for (const [payId, count] of doubleCaptures(lines)) {
      differences.push({ kind: 'duplicate', key: `pay-id:${payId}`, side, scope: 'pay-id', count });
    }
  }
  return { matched, differences };
}

/**
 * The station's lines of a day from its attempt records and its refunds: a succeeded attempt is a pay
 * line; a reversed one a pay line and a reverse line (the money went both ways); nothing else moved money.
 */
export function stationLinesOf(
  attempts: readonly AttemptRecord[],
  refunds: readonly {
    readonly outTradeNo: string;
    readonly refundNo: string;
    readonly amountFen: number;
  }[] = [],
): StationLine[] {
  const lines: StationLine[] = [];
  for (const a of attempts) {
    if (a.phase !== 'succeeded' && a.phase !== 'reversed') continue;
    const amountFen = a.paid?.amountFen ?? a.intent.amountFen;
    lines.push({ kind: 'pay', outTradeNo: a.outTradeNo, amountFen });
    if (a.phase === 'reversed') lines.push({ kind: 'reverse', outTradeNo: a.outTradeNo, amountFen });
  }
  for (const r of refunds) {
    lines.push({ kind: 'refund', outTradeNo: r.outTradeNo, refundNo: r.refundNo, amountFen: r.amountFen });
  }
  return lines;
}
