import type { SettlementDifference } from '@tollpad/station-api';

/** Each difference as `kind:lineKind:outTradeNo (or payId)`, sorted: what the settlement tests compare. */
export const differenceKinds = (ds: readonly SettlementDifference[]) =>
  ds.map((d) => `${d.kind}:${d.lineKind ?? ''}:${d.outTradeNo ?? d.payId ?? ''}`).sort();
