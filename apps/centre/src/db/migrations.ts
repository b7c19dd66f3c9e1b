import type { AnyExitRecord } from '@tollpad/domain';
import { runMigrations } from '@tollpad/server-kit';
import { type Kysely, type Migration, sql } from 'kysely';
import { cardTradeKeyOf } from '../services/card-trade-key';
import type { DialectOps } from './dialect/types';
import type { Database } from './schema';

/** Migrations live in code (no file loader), keyed by a sortable name. Never edit one that shipped. */
export function centreMigrations(ops: DialectOps): Record<string, Migration> {
  return {
    '2026112301_initial': {
      async up(db: Kysely<unknown>) {
        for (const stmt of ops.exitRecordsDdl()) await sql.raw(stmt).execute(db);
        await db.schema
          .createTable('rejected_records')
          .addColumn('id', ops.serialType, (c) =>
            ops.name === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
          )
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('code', 'text', (c) => c.notNull())
          .addColumn('ref', 'text')
          .addColumn('digest', 'text', (c) => c.notNull())
          .addColumn('detail', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('first_at', 'text', (c) => c.notNull())
          .addColumn('last_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('rejected_records_once', ['kind', 'code', 'digest'])
          .execute();
        await db.schema.createIndex('rejected_records_ref').on('rejected_records').column('ref').execute();
        await db.schema
          .createTable('gantry_passages')
          .addColumn('pass_id', 'text', (c) => c.notNull())
          .addColumn('gantry_id', 'text', (c) => c.notNull())
          .addColumn('gantry_hex', 'text', (c) => c.notNull())
          .addColumn('pass_time', 'text', (c) => c.notNull())
          .addColumn('vehicle_class', 'integer')
          .addColumn('received_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('gantry_passages_pk', ['pass_id', 'pass_time', 'gantry_id'])
          .execute();
        await db.schema
          .createTable('tariff_versions')
          .addColumn('version', 'text', (c) => c.primaryKey())
          .addColumn('activate_at', 'text', (c) => c.notNull())
          .addColumn('published_at', 'text', (c) => c.notNull())
          .addColumn('label', 'text', (c) => c.notNull())
          .addColumn('sha256', 'text', (c) => c.notNull())
          .addColumn('content', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('list_versions')
          .addColumn('list_kind', 'text', (c) => c.notNull())
          .addColumn('version', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('base_version', 'text')
          .addColumn('entry_count', 'integer', (c) => c.notNull())
          .addColumn('added', 'integer', (c) => c.notNull())
          .addColumn('removed', 'integer', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('payload', ops.bytesType, (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('list_versions_pk', ['list_kind', 'type', 'version'])
          .execute();
        await db.schema
          .createTable('list_pending')
          .addColumn('id', ops.serialType, (c) =>
            ops.name === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
          )
          .addColumn('list_kind', 'text', (c) => c.notNull())
          .addColumn('entry_key', 'text', (c) => c.notNull())
          .addColumn('status_type', 'integer', (c) => c.notNull())
          .addColumn('issuer', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('submitted_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('psam_auth_log')
          .addColumn('id', ops.serialType, (c) =>
            ops.name === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
          )
          .addColumn('terminal_no', 'text', (c) => c.notNull())
          .addColumn('psam_no', 'text', (c) => c.notNull())
          .addColumn('lane_id', 'text', (c) => c.notNull())
          .addColumn('challenge', 'text', (c) => c.notNull())
          .addColumn('result', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '2026120601_publication_signatures': {
      // The publisher's detached signature of each published file (JSON envelope); null only for rows
      // published before signing, which are signed when first served.
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('tariff_versions').addColumn('signature', 'text').execute();
        await db.schema.alterTable('list_versions').addColumn('signature', 'text').execute();
      },
    },
    '2026120701_psam_station': {
      // The station each PSAM authorisation was for (the caller's certificate, else the lane's station), so
      // a station may read the state of its own PSAMs only; null for rows logged before.
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('psam_auth_log').addColumn('station_id', 'text').execute();
        await db.schema
          .createIndex('psam_auth_log_terminal')
          .on('psam_auth_log')
          .columns(['terminal_no', 'id'])
          .execute();
      },
    },
    '2026120702_exit_records_medium': {
      // The clearing view groups a record by what was paid with: an ETC card trade by its issuer, any other
      // payment (a CPC's cash) by medium and national payType, never as a TAC-verified card trade. Rows
      // before it: a CPC record is the one with no card network, and cash was its only payment then.
      async up(db: Kysely<unknown>) {
        await db.schema
          .alterTable('exit_records')
          .addColumn('media_type', 'integer', (c) => c.notNull().defaultTo(1))
          .execute();
        await db.schema.alterTable('exit_records').addColumn('pay_type', 'integer').execute();
        await sql`UPDATE exit_records SET media_type = 2, pay_type = 1 WHERE card_net = ''`.execute(db);
      },
    },
    '2026120703_gantry_passages_plate': {
      // A CPC's online fee is asked by the actual plate (cpc-card.md §5.3 step 2): a passage keeps the plate
      // the gantry saw, when it reported one, and the online fee finds a plate's passages by time.
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('gantry_passages').addColumn('plate', 'text').execute();
        await db.schema
          .createIndex('gantry_passages_plate')
          .on('gantry_passages')
          .columns(['plate', 'pass_time'])
          .execute();
      },
    },
    '2026120704_card_trades': {
      // One ETC card trade clears once: the key is what its TAC covers (a second trade ID naming the same
      // purchase verifies too). exit_records is partitioned by day, so the key has its own table. Rows
      // before it: every stored record with a card trade claims its own (the first stored wins).
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('card_trades')
          .addColumn('card_id', 'text', (c) => c.notNull())
          .addColumn('terminal_no', 'text', (c) => c.notNull())
          .addColumn('terminal_trans_no', 'text', (c) => c.notNull())
          .addColumn('ex_time', 'text', (c) => c.notNull())
          .addColumn('trade_id', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('card_trades_pk', [
            'card_id',
            'terminal_no',
            'terminal_trans_no',
            'ex_time',
          ])
          .execute();
        const typed = db as Kysely<Database>;
        const rows = await typed
          .selectFrom('exit_records')
          .select(['trade_id', 'record_json'])
          .orderBy('received_at')
          .execute();
        for (const row of rows) {
          const key = cardTradeKeyOf(JSON.parse(row.record_json) as AnyExitRecord);
          if (!key) continue;
          await typed
            .insertInto('card_trades')
            .values({ ...key, trade_id: row.trade_id })
            .onConflict((oc) => oc.doNothing())
            .execute();
        }
      },
    },
    '2026121202_evidence': {
      // Evidence for an exit without a usable card (#22): the lane cameras' captures by plate (an entry capture
      // names where a card-less vehicle came in), photos (JPEG, content-addressed, kept with the province
      // that may read them) and a photo per gantry passage. Lookups by plate go through (plate, time).
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('photos')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('province', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('station_id', 'text')
          .addColumn('bytes', 'integer', (c) => c.notNull())
          .addColumn('content', ops.bytesType, (c) => c.notNull())
          .addColumn('received_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('lane_captures')
          .addColumn('id', ops.serialType, (c) =>
            ops.name === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
          )
          .addColumn('station_id', 'text', (c) => c.notNull())
          .addColumn('lane_id', 'text', (c) => c.notNull())
          .addColumn('capture_time', 'text', (c) => c.notNull())
          .addColumn('plate', 'text', (c) => c.notNull())
          .addColumn('plate_colour', 'integer', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('photo_id', 'text')
          .addColumn('received_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('lane_captures_once', ['lane_id', 'capture_time', 'plate', 'kind'])
          .execute();
        await db.schema
          .createIndex('lane_captures_plate')
          .on('lane_captures')
          .columns(['plate', 'capture_time'])
          .execute();
        await db.schema.alterTable('gantry_passages').addColumn('photo_id', 'text').execute();
      },
    },
    '2026121204_arrears': {
      // The arrears book (追缴, payments.md §9): entries per plate_colour, open until a payback clears them,
      // and the paybacks (their own record kind, idempotent on the trade ID; one payback per entry).
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('arrears_entries')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('vehicle_id', 'text', (c) => c.notNull())
          .addColumn('pass_id', 'text', (c) => c.notNull())
          .addColumn('real_en_station_id', 'text', (c) => c.notNull())
          .addColumn('real_ex_station_id', 'text', (c) => c.notNull())
          .addColumn('escape_type', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('owe_fee', 'integer', (c) => c.notNull())
          .addColumn('evasion_count', 'integer', (c) => c.notNull())
          .addColumn('is_pre_black', 'integer', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('creation_time', 'text', (c) => c.notNull())
          .addColumn('cleared_by', 'text')
          .addColumn('cleared_at', 'text')
          .execute();
        await db.schema
          .createIndex('arrears_entries_vehicle')
          .on('arrears_entries')
          .columns(['vehicle_id', 'status'])
          .execute();
        await db.schema
          .createTable('arrears_paybacks')
          .addColumn('trade_id', 'text', (c) => c.primaryKey())
          .addColumn('station_id', 'text', (c) => c.notNull())
          .addColumn('vehicle_id', 'text', (c) => c.notNull())
          .addColumn('payback_fee', 'integer', (c) => c.notNull())
          .addColumn('pay_type', 'integer', (c) => c.notNull())
          .addColumn('digest', 'text', (c) => c.notNull())
          .addColumn('record_json', 'text', (c) => c.notNull())
          .addColumn('received_at', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '2026121203_green_inspections': {
      // 绿通查验 uploaded by the stations beside their records (#22): linked to the record by trade ID, photos
      // referenced by SHA-256. `passed` 0/1: the plaza day asks for passes without one.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('green_inspections')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('trade_id', 'text', (c) => c.notNull().unique())
          .addColumn('station_id', 'text', (c) => c.notNull())
          .addColumn('vehicle_id', 'text', (c) => c.notNull())
          .addColumn('result', 'text', (c) => c.notNull())
          .addColumn('passed', 'integer', (c) => c.notNull())
          .addColumn('digest', 'text', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('received_at', 'text', (c) => c.notNull())
          .execute();
      },
    },
  };
}

/** Brings the schema up to date. */
export async function migrateToLatest(db: Kysely<Database>, ops: DialectOps): Promise<void> {
  await runMigrations(db, centreMigrations(ops));
}
