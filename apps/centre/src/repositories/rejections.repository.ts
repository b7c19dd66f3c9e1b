import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { ErrorCode } from '../errors';
import { canonicalJson, sha256Hex } from '../services/digest';

export type RejectionKind = 'record' | 'gantry' | 'list' | 'tariff';

export interface Rejection {
  kind: RejectionKind;
  code: ErrorCode;
  ref: string | null;
  detail: string;
  /** The refused input exactly as received (parsed JSON, or raw text). */
  body: unknown;
}

export interface RejectedRow {
  id: number;
  kind: string;
  code: string;
  ref: string | null;
  digest: string;
  detail: string;
  body: string;
  attempts: number;
  firstAt: string;
  lastAt: string;
}

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
    return rows.map((x) => ({
      id: x.id,
      kind: x.kind,
      code: x.code,
      ref: x.ref,
      digest: x.digest,
      detail: x.detail,
      body: x.body,
      attempts: x.attempts,
      firstAt: x.first_at,
      lastAt: x.last_at,
    }));
  }
}

function safeCanonical(v: unknown): string {
  try {
    return canonicalJson(v);
  } catch {
    return String(v);
  }
}
