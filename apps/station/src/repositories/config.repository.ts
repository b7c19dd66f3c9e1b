import type { Selectable } from 'kysely';
import type { LaneRow, PlazasTable, TerminalsTable } from '../db/schema';
import type { Executor } from './executor';

export type PlazaRow = Selectable<PlazasTable>;
export type TerminalRow = Selectable<TerminalsTable>;
/** A lane with the display name of the account that last switched it (null for the seed and tools). */
export type LaneView = LaneRow & { enabled_by_name: string | null };

/**
 * psam_terminal_no of a terminal with no PSAM bound (the column predates unbinding and is NOT NULL; the
 * service maps this to null on the wire).
 */
export const NO_PSAM = '';

/** States in which a transaction is still open on its lane (it may already have debited the card). */
const OPEN_STATES = ['read', 'imaged', 'priced', 'debit_pending'] as const;

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

  listLaneViews(): Promise<LaneView[]> {
    return this.db
      .selectFrom('lanes')
      .leftJoin('accounts', 'accounts.id', 'lanes.enabled_by')
      .selectAll('lanes')
      .select('accounts.display_name as enabled_by_name')
      .orderBy('lanes.id')
      .execute();
  }

  async setLaneEnabled(
    id: string,
    enabled: boolean,
    by: string,
    at: string,
    x: Executor = this.db,
  ): Promise<void> {
    await x
      .updateTable('lanes')
      .set({ handheld_enabled: enabled ? 1 : 0, enabled_by: by, updated_at: at })
      .where('id', '=', id)
      .execute();
  }

  async countEnabledLanesBut(id: string, x: Executor = this.db): Promise<number> {
    const r = await x
      .selectFrom('lanes')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('handheld_enabled', '=', 1)
      .where('id', '<>', id)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async openTxnIds(laneId: string, x: Executor = this.db): Promise<string[]> {
    const rows = await x
      .selectFrom('exit_txns')
      .select('id')
      .where('lane_id', '=', laneId)
      .where('state', 'in', OPEN_STATES)
      .orderBy('created_at')
      .execute();
    return rows.map((r) => r.id);
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

  /** The terminal holding this PSAM terminal number, other than `exceptId`. */
  findTerminalByPsam(
    psam: string,
    exceptId: string,
    x: Executor = this.db,
  ): Promise<TerminalRow | undefined> {
    return x
      .selectFrom('terminals')
      .selectAll()
      .where('psam_terminal_no', '=', psam)
      .where('id', '<>', exceptId)
      .executeTakeFirst();
  }

  async setTerminalPsam(id: string, psam: string, at: string, x: Executor = this.db): Promise<void> {
    await x
      .updateTable('terminals')
      .set({ psam_terminal_no: psam, updated_at: at })
      .where('id', '=', id)
      .execute();
  }

  findTerminal(id: string, x: Executor = this.db): Promise<TerminalRow | undefined> {
    return x.selectFrom('terminals').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listTerminals(): Promise<TerminalRow[]> {
    return this.db.selectFrom('terminals').selectAll().orderBy('id').execute();
  }

  async getSetting(key: string, x: Executor = this.db): Promise<string | undefined> {
    const r = await x.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
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
