import type { Harness } from './harness';

/** The trade IDs of the exit records stored for one trade or one transaction (to count what was kept). */
export async function storedRecords(
  h: Harness,
  of: { tradeId: string } | { txnId: string },
): Promise<string[]> {
  const [column, value] =
    'tradeId' in of ? (['trade_id', of.tradeId] as const) : (['txn_id', of.txnId] as const);
  const rows = await h.station.services.db.db
    .selectFrom('exit_records')
    .select('trade_id')
    .where(column, '=', value)
    .execute();
  return rows.map((r) => r.trade_id);
}

/** The outbox entries queued for one record (its trade ID is the upload's idempotency key). */
export async function queuedUploads(h: Harness, tradeId: string): Promise<number[]> {
  const rows = await h.station.services.db.db
    .selectFrom('outbox')
    .select('id')
    .where('idempotency_key', '=', tradeId)
    .execute();
  return rows.map((r) => Number(r.id));
}
