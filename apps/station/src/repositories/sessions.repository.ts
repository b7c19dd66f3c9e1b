import type { Selectable } from 'kysely';
import type { SessionsTable } from '../db/schema';
import type { Executor } from './executor';

export type SessionRow = Selectable<SessionsTable>;

export class SessionsRepository {
  constructor(private readonly db: Executor) {}

  async insert(row: SessionRow, x: Executor = this.db): Promise<void> {
    await x.insertInto('sessions').values(row).execute();
  }

  find(tokenHash: string): Promise<SessionRow | undefined> {
    return this.db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  }

  async revoke(tokenHash: string, x: Executor = this.db): Promise<void> {
    await x.updateTable('sessions').set({ revoked: 1 }).where('token_hash', '=', tokenHash).execute();
  }

  /** Every session of an account (its password was reset, or it was disabled): each device must log in again. */
  async revokeAccount(accountId: string, x: Executor = this.db): Promise<void> {
    await x.updateTable('sessions').set({ revoked: 1 }).where('account_id', '=', accountId).execute();
  }
}
