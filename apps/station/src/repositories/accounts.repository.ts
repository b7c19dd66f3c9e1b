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

  async setRole(id: string, role: string, x: Executor = this.db): Promise<void> {
    await x.updateTable('accounts').set({ role }).where('id', '=', id).execute();
  }

  async setPasswordHash(id: string, passwordHash: string, x: Executor = this.db): Promise<void> {
    await x.updateTable('accounts').set({ password_hash: passwordHash }).where('id', '=', id).execute();
  }

  /** Enabled admin accounts other than `id`: the station must always keep one. */
  async countActiveAdminsBut(id: string, x: Executor = this.db): Promise<number> {
    const r = await x
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('role', '=', 'admin')
      .where('disabled', '=', 0)
      .where('id', '<>', id)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async setDisabled(id: string, disabled: boolean, x: Executor = this.db): Promise<void> {
    await x
      .updateTable('accounts')
      .set({ disabled: disabled ? 1 : 0 })
      .where('id', '=', id)
      .execute();
  }
}
