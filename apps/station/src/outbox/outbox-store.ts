import { type Kysely, sql } from 'kysely';
import type { Database, OutboxStatus } from '../db/schema';

export interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  payload: string;
  createdAt: string;
  attempts: number;
  nextAttemptAt: string;
}

export interface RejectedRow {
  tradeId: string;
  code: string;
  detail: string | null;
  rejectedAt: string;
  attempts: number;
}

/** [I] Exit trade IDs start with the 21-char lane ID: the relay keeps trade-ID order within each lane. */
export const LANE_PREFIX_LENGTH = 21;

/** Queries of the outbox relay. Rows are never deleted: acked and rejected rows are the upload history. */
export class OutboxStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Lanes (trade-ID prefixes) with pending rows. */
  async pendingLanes(): Promise<string[]> {
    const lane = sql<string>`substr(idempotency_key, 1, ${sql.lit(LANE_PREFIX_LENGTH)})`;
    const rows = await this.db
      .selectFrom('outbox')
      .select(lane.as('lane'))
      .where('status', '=', 'pending')
      .groupBy(lane)
      .execute();
    return rows.map((r) => r.lane);
  }

  /** The next pending rows of one lane, in trade-ID order. */
  async pendingOfLane(lane: string, limit: number): Promise<OutboxRow[]> {
    const rows = await this.db
      .selectFrom('outbox')
      .select(['id', 'topic', 'idempotency_key', 'payload', 'created_at', 'attempts', 'next_attempt_at'])
      .where('status', '=', 'pending')
      .where(sql<string>`substr(idempotency_key, 1, ${sql.lit(LANE_PREFIX_LENGTH)})`, '=', lane)
      .orderBy('idempotency_key')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      topic: r.topic,
      key: r.idempotency_key,
      payload: r.payload,
      createdAt: r.created_at,
      attempts: Number(r.attempts),
      nextAttemptAt: r.next_attempt_at,
    }));
  }

  /**
   * A debit of this lane with an earlier trade ID is announced but not yet committed (another handheld
   * mid-purchase): its record will come, and must go first. Intents older than `since` are ignored (an
   * abandoned debit is resolved by recovery, which can take long).
   */
  async earlierDebitPending(lane: string, tradeId: string, since: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('exit_txns')
      .select('id')
      .where('lane_id', '=', lane)
      .where('state', '=', 'debit_pending')
      .where('trade_id', '<', tradeId)
      .where('updated_at', '>=', since)
      .limit(1)
      .executeTakeFirst();
    return r !== undefined;
  }

  /** A pending row of the lane with a smaller trade ID than `tradeId` (committed after the batch was read). */
  async earlierUnsent(lane: string, tradeId: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('outbox')
      .select('id')
      .where('status', '=', 'pending')
      .where(sql<string>`substr(idempotency_key, 1, ${sql.lit(LANE_PREFIX_LENGTH)})`, '=', lane)
      .where('idempotency_key', '<', tradeId)
      .limit(1)
      .executeTakeFirst();
    return r !== undefined;
  }

  async markAcked(id: string, at: string): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set((eb) => ({ status: 'acked', acked_at: at, attempts: eb('attempts', '+', 1), last_error: null }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute();
  }

  async markRetry(id: string, nextAttemptAt: string, error: string): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        next_attempt_at: nextAttemptAt,
        last_error: error.slice(0, 500),
      }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute();
  }

  async markRejected(id: string, code: string, detail: string, at: string): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set((eb) => ({
        status: 'rejected',
        attempts: eb('attempts', '+', 1),
        reject_code: code,
        rejected_at: at,
        last_error: detail.slice(0, 500),
      }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute();
  }

  /** An operator sends a rejected row again (after fixing the cause at the centre). */
  async requeue(tradeId: string, at: string): Promise<boolean> {
    const r = await this.db
      .updateTable('outbox')
      .set({ status: 'pending', next_attempt_at: at, reject_code: null, rejected_at: null })
      .where('idempotency_key', '=', tradeId)
      .where('status', '=', 'rejected')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Backlog size and the creation time of its oldest row. */
  async backlog(): Promise<{ count: number; oldestCreatedAt: string | null }> {
    const r = await this.db
      .selectFrom('outbox')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    return { count: Number(r.n), oldestCreatedAt: (r.oldest as string | null) ?? null };
  }

  async rejectedByCode(): Promise<{ code: string; count: number }[]> {
    const rows = await this.db
      .selectFrom('outbox')
      .select((eb) => ['reject_code', eb.fn.countAll<number>().as('n')])
      .where('status', '=', 'rejected')
      .groupBy('reject_code')
      .execute();
    return rows.map((r) => ({ code: r.reject_code ?? 'UNKNOWN', count: Number(r.n) }));
  }

  async rejected(limit: number): Promise<RejectedRow[]> {
    const rows = await this.db
      .selectFrom('outbox')
      .select(['idempotency_key', 'reject_code', 'last_error', 'rejected_at', 'attempts'])
      .where('status', '=', 'rejected')
      .orderBy('rejected_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      tradeId: r.idempotency_key,
      code: r.reject_code ?? 'UNKNOWN',
      detail: r.last_error,
      rejectedAt: r.rejected_at ?? '',
      attempts: Number(r.attempts),
    }));
  }

  async statusOf(tradeId: string): Promise<{ status: OutboxStatus; attempts: number } | undefined> {
    const r = await this.db
      .selectFrom('outbox')
      .select(['status', 'attempts'])
      .where('idempotency_key', '=', tradeId)
      .executeTakeFirst();
    return r ? { status: r.status, attempts: Number(r.attempts) } : undefined;
  }
}
