import type { Selectable } from 'kysely';
import type { LoginBackoffTable } from '../db/schema';
import type { Executor } from './executor';

export type LoginBackoffRow = Selectable<LoginBackoffTable>;

/** Login back-off per (username, client address). */
export class LoginBackoffRepository {
  constructor(private readonly db: Executor) {}

  find(username: string, source: string, x: Executor = this.db): Promise<LoginBackoffRow | undefined> {
    return x
      .selectFrom('login_backoff')
      .selectAll()
      .where('username', '=', username)
      .where('source', '=', source)
      .executeTakeFirst();
  }

  /** Failures on one username from every source whose last attempt is at or after `sinceIso`. */
  async recentFailures(username: string, sinceIso: string, x: Executor = this.db): Promise<number> {
    const r = await x
      .selectFrom('login_backoff')
      .select((eb) => eb.fn.sum<number | string | null>('failures').as('n'))
      .where('username', '=', username)
      .where('last_attempt_at', '>=', sinceIso)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async save(row: LoginBackoffRow, x: Executor = this.db): Promise<void> {
    await x
      .insertInto('login_backoff')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['username', 'source']).doUpdateSet({
          failures: row.failures,
          last_attempt_at: row.last_attempt_at,
          blocked_until: row.blocked_until,
        }),
      )
      .execute();
  }

  async clear(username: string, source: string, x: Executor = this.db): Promise<void> {
    await x
      .deleteFrom('login_backoff')
      .where('username', '=', username)
      .where('source', '=', source)
      .execute();
  }

  /** Clears every source's back-off on a username; returns the rows that were there. */
  async clearAll(username: string, x: Executor = this.db): Promise<LoginBackoffRow[]> {
    return x.deleteFrom('login_backoff').where('username', '=', username).returningAll().execute();
  }

  /** The latest wait still running per username. */
  async heldUntil(nowIso: string): Promise<Map<string, string>> {
    const rows = await this.db
      .selectFrom('login_backoff')
      .select(['username', (eb) => eb.fn.max<string>('blocked_until').as('until')])
      .where('blocked_until', '>', nowIso)
      .groupBy('username')
      .execute();
    return new Map(rows.map((r) => [r.username, r.until]));
  }

  /** Forgets sources not heard from since `beforeIso` and not waiting any more. */
  async prune(beforeIso: string, nowIso: string): Promise<void> {
    await this.db
      .deleteFrom('login_backoff')
      .where('last_attempt_at', '<', beforeIso)
      .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<=', nowIso)]))
      .execute();
  }
}
