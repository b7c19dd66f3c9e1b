import type { ListKind } from '@tollpad/lists';
import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../db/schema';

export type ListVersionRow = Insertable<Database['list_versions']>;

/** A change as it waits in the queue for the next delta. */
export interface QueuedChange {
  id: number;
  key: string;
  type: number;
  action: 'add' | 'remove';
}

/**
 * The status lists' tables: every published version (full or delta) as its binary file, and the changes
 * queued for the next delta.
 */
export class ListsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The most recently published full version of `kind`. */
  latestFull(kind: ListKind) {
    return this.db
      .selectFrom('list_versions')
      .select(['version', 'payload', 'created_at'])
      .where('list_kind', '=', kind)
      .where('type', '=', 'full')
      .orderBy('created_at', 'desc')
      .orderBy('version', 'desc')
      .executeTakeFirst();
  }

  /** The deltas of `kind` published at or after `createdAt`, oldest first. */
  deltasSince(kind: ListKind, createdAt: string) {
    return this.db
      .selectFrom('list_versions')
      .select(['version', 'base_version', 'payload'])
      .where('list_kind', '=', kind)
      .where('type', '=', 'delta')
      .where('created_at', '>=', createdAt)
      .orderBy('created_at')
      .execute();
  }

  /** Every version of `kind` in publication order (a full version before a delta of the same instant). */
  all(kind: ListKind) {
    return this.db
      .selectFrom('list_versions')
      .select([
        'version',
        'type',
        'base_version',
        'entry_count',
        'added',
        'removed',
        'source',
        'payload',
        'created_at',
      ])
      .where('list_kind', '=', kind)
      .orderBy('created_at')
      .orderBy('type', 'desc')
      .execute();
  }

  /** One stored file, or the latest of its type. */
  file(kind: ListKind, type: 'full' | 'delta', version: string | 'latest') {
    let q = this.db
      .selectFrom('list_versions')
      .select(['version', 'payload', 'signature', 'created_at'])
      .where('list_kind', '=', kind)
      .where('type', '=', type);
    q =
      version === 'latest'
        ? q.orderBy('created_at', 'desc').orderBy('version', 'desc')
        : q.where('version', '=', version);
    return q.executeTakeFirst();
  }

  async setSignature(kind: ListKind, type: 'full' | 'delta', version: string, signature: string) {
    await this.db
      .updateTable('list_versions')
      .set({ signature })
      .where('list_kind', '=', kind)
      .where('type', '=', type)
      .where('version', '=', version)
      .execute();
  }

  /** A full version; publishing the same one again is a no-op. */
  async insertFull(row: ListVersionRow): Promise<void> {
    await this.db
      .insertInto('list_versions')
      .values(row)
      .onConflict((oc) => oc.columns(['list_kind', 'type', 'version']).doNothing())
      .execute();
  }

  /** A delta, and in the same transaction the queued changes it was cut from (ids ≤ `consumedUpTo`). */
  async insertDelta(row: ListVersionRow, consumedUpTo?: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('list_versions').values(row).execute();
      if (consumedUpTo !== undefined) {
        await trx
          .deleteFrom('list_pending')
          .where('list_kind', '=', row.list_kind)
          .where('id', '<=', consumedUpTo)
          .execute();
      }
    });
  }

  async queue(
    kind: ListKind,
    changes: readonly { key: string; type: number; action: 'add' | 'remove'; issuer: string }[],
    at: string,
  ): Promise<void> {
    await this.db
      .insertInto('list_pending')
      .values(
        changes.map((c) => ({
          list_kind: kind,
          entry_key: c.key,
          status_type: c.type,
          issuer: c.issuer,
          action: c.action,
          submitted_at: at,
        })),
      )
      .execute();
  }

  /** The queued changes of `kind`, in submission order. */
  async queued(kind: ListKind): Promise<QueuedChange[]> {
    const rows = await this.db
      .selectFrom('list_pending')
      .select(['id', 'entry_key', 'status_type', 'action'])
      .where('list_kind', '=', kind)
      .orderBy('id')
      .execute();
    return rows.map((p) => ({
      id: p.id,
      key: p.entry_key,
      type: p.status_type,
      action: p.action === 'add' ? 'add' : 'remove',
    }));
  }
}
