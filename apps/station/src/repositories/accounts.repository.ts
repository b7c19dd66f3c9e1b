import type { AccountRow } from '../db/schema';
import type { Executor } from './executor';

export class AccountsRepository {
  constructor(private readonly db: Executor) {}

  findByUsername(username: string, x: Executor = this.db): Promise<AccountRow | undefined> {
    return x.selectFrom('accounts').selectAll().where('username', '=', username).executeTakeFirst();
  }

  findById(id: string, x: Executor = this.db): Promise<AccountRow | undefined> {
    return x.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  list(): Promise<AccountRow[]> {
    return this.db.selectFrom('accounts').selectAll().orderBy('username').execute();
  }

  async insert(row: AccountRow, x: Executor = this.db): Promise<void> {
    await x.insertInto('accounts').values(row).execute();
  }

  async recordFailure(id: string, failedLogins: number, lockedUntil: string | null, x: Executor = this.db) {
    await x
      .updateTable('accounts')
      .set({ failed_logins: failedLogins, locked_until: lockedUntil })
      .where('id', '=', id)
      .execute();
  }

  async resetFailures(id: string, x: Executor = this.db): Promise<void> {
    await x
      .updateTable('accounts')
      .set({ failed_logins: 0, locked_until: null })
      .where('id', '=', id)
      .execute();
  }

  async setDisabled(id: string, disabled: boolean, x: Executor = this.db): Promise<void> {
    await x
      .updateTable('accounts')
      .set({ disabled: disabled ? 1 : 0 })
      .where('id', '=', id)
      .execute();
  }
}
