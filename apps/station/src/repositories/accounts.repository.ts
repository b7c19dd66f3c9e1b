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

  async setDisabled(id: string, disabled: boolean, x: Executor = this.db): Promise<void> {
    await x
      .updateTable('accounts')
      .set({ disabled: disabled ? 1 : 0 })
      .where('id', '=', id)
      .execute();
  }
}
