import type { Kysely, Selectable } from 'kysely';
import type { Database, RejectedRecordsTable } from '../db/schema';
import type { ErrorCode } from '../errors';
import { canonicalJson, sha256Hex } from '../services/digest';

export type RejectionKind = 'record' | 'gantry' | 'list' | 'tariff' | 'arrears' | 'green-inspection';

export interface Rejection {
  kind: RejectionKind;
  code: ErrorCode;
  ref: string | null;
  detail: string;
  /** The refused input exactly as received (parsed JSON, or raw text). */
  body: unknown;
}

/** A kept refusal as it is listed: its row, the two times in camelCase. */
export type RejectedRow = Omit<Selectable<RejectedRecordsTable>, 'first_at' | 'last_at'> & {
  firstAt: string;
  lastAt: string;
};

/**
 * Refused input is kept, never dropped: one row per (kind, code, content digest); a retried identical
 * input bumps `attempts` so a station's retrying outbox cannot flood the table.
 */
export class RejectionsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async keep(r: Rejection, at: Date): Promise<number> {
    const body = typeof r.body === 'string' ? r.body : safeCanonical(r.body);
    const digest = sha256Hex(body);
    const now = at.toISOString();
    const row = await this.db
      .insertInto('rejected_records')
      .values({
        kind: r.kind,
        code: r.code,
        ref: r.ref,
        digest,
        detail: r.detail.slice(0, 2000),
        body,
        attempts: 1,
        first_at: now,
        last_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['kind', 'code', 'digest']).doUpdateSet((eb) => ({
          attempts: eb('rejected_records.attempts', '+', 1),
          last_at: now,
        })),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async list(filter: { kind?: string; ref?: string; limit: number }): Promise<RejectedRow[]> {
    let q = this.db.selectFrom('rejected_records').selectAll().orderBy('id', 'desc').limit(filter.limit);
    if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
    if (filter.ref !== undefined) q = q.where('ref', '=', filter.ref);
    const rows = await q.execute();
    return rows.map(({ first_at, last_at, ...row }) => ({ ...row, firstAt: first_at, lastAt: last_at }));
  }
}

function safeCanonical(v: unknown): string {
  try {
    return canonicalJson(v);
  } catch {
    return String(v);
  }
}
