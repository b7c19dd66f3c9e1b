import type { Selectable } from 'kysely';
import type { LaneRow, PlazasTable, TerminalsTable } from '../db/schema';
import type { Executor } from './executor';

export type PlazaRow = Selectable<PlazasTable>;
export type TerminalRow = Selectable<TerminalsTable>;

/** Plazas, lanes, terminals and station settings. */
export class ConfigRepository {
  constructor(private readonly db: Executor) {}

  async upsertPlaza(row: PlazaRow, x: Executor = this.db): Promise<void> {
    await x
      .insertInto('plazas')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({ name: row.name }))
      .execute();
  }

  findPlaza(id: string, x: Executor = this.db): Promise<PlazaRow | undefined> {
    return x.selectFrom('plazas').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listPlazas(): Promise<PlazaRow[]> {
    return this.db.selectFrom('plazas').selectAll().orderBy('id').execute();
  }

  async upsertLane(row: LaneRow, x: Executor = this.db): Promise<void> {
    await x
      .insertInto('lanes')
      .values(row)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({ name: row.name, hex: row.hex, updated_at: row.updated_at }),
      )
      .execute();
  }

  findLane(id: string, x: Executor = this.db): Promise<LaneRow | undefined> {
    return x.selectFrom('lanes').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listLanes(): Promise<LaneRow[]> {
    return this.db.selectFrom('lanes').selectAll().orderBy('id').execute();
  }

  async setLaneEnabled(id: string, enabled: boolean, at: string, x: Executor = this.db): Promise<void> {
    await x
      .updateTable('lanes')
      .set({ handheld_enabled: enabled ? 1 : 0, updated_at: at })
      .where('id', '=', id)
      .execute();
  }

  async upsertTerminal(row: TerminalRow, x: Executor = this.db): Promise<void> {
    await x
      .insertInto('terminals')
      .values(row)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({
          psam_terminal_no: row.psam_terminal_no,
          description: row.description,
          enabled: row.enabled,
          updated_at: row.updated_at,
        }),
      )
      .execute();
  }

  findTerminal(id: string, x: Executor = this.db): Promise<TerminalRow | undefined> {
    return x.selectFrom('terminals').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listTerminals(): Promise<TerminalRow[]> {
    return this.db.selectFrom('terminals').selectAll().orderBy('id').execute();
  }

  async getSetting(key: string): Promise<string | undefined> {
    const r = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return r?.value;
  }

  async putSetting(key: string, value: string, at: string, x: Executor = this.db): Promise<void> {
    await x
      .insertInto('settings')
      .values({ key, value, updated_at: at })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at }))
      .execute();
  }
}
