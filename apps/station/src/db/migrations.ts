import { runMigrations } from '@tollpad/server-kit';
import { type Kysely, type Migration, sql } from 'kysely';
import type { DialectOps } from './dialect/types';
import { greenInspectionsMigration } from './green-inspections-migration';
import { receiptsHandoversMigration } from './receipts-handovers-migration';
import { refundsMigration } from './refunds-migration';
import type { Database } from './schema';

/** Migrations live in code (no file loader), keyed by a sortable name. Never edit one that shipped. */
export function stationMigrations(ops: DialectOps): Record<string, Migration> {
  return {
    '2026112301_initial': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('accounts')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('username', 'text', (c) => c.notNull().unique())
          .addColumn('display_name', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('locked_until', 'text')
          .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('demo', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('sessions')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
          .addColumn('terminal_id', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('revoked', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema
          .createTable('audit_log')
          .addColumn('seq', 'integer', (c) => c.primaryKey())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('detail', 'text', (c) => c.notNull())
          .addColumn('prev_hash', 'text', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('audit_head')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('seq', 'integer', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .execute();
        await sql`INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, ${'0'.repeat(64)})`.execute(db);
        await db.schema
          .createTable('plazas')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('station_id', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('lanes')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('plaza_id', 'text', (c) => c.notNull().references('plazas.id'))
          .addColumn('hex', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('handheld_enabled', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('terminals')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('psam_terminal_no', 'text', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('settings')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('shifts')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
          .addColumn('terminal_id', 'text')
          .addColumn('opened_at', 'text', (c) => c.notNull())
          .addColumn('closed_at', 'text')
          .execute();
        await db.schema
          .createIndex('shifts_account')
          .on('shifts')
          .columns(['account_id', 'closed_at'])
          .execute();
        await db.schema
          .createTable('exit_txns')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('lane_id', 'text', (c) => c.notNull())
          .addColumn('terminal_id', 'text', (c) => c.notNull())
          .addColumn('shift_id', 'text', (c) => c.notNull())
          .addColumn('collector_id', 'text', (c) => c.notNull())
          .addColumn('card_no', 'text', (c) => c.notNull())
          .addColumn('read_json', 'text', (c) => c.notNull())
          .addColumn('checks_json', 'text', (c) => c.notNull())
          .addColumn('plate', 'text')
          .addColumn('plate_colour', 'integer')
          .addColumn('photo_sha256', 'text')
          .addColumn('vehicle_class', 'integer')
          .addColumn('vehicle_kind', 'integer')
          .addColumn('fee_json', 'text')
          .addColumn('amount', 'integer')
          .addColumn('auth_status', 'text', (c) => c.notNull())
          .addColumn('auth_by', 'text')
          .addColumn('auth_reason', 'text')
          .addColumn('auth_at', 'text')
          .addColumn('trade_id', 'text', (c) => c.unique())
          .addColumn('debit_json', 'text')
          .addColumn('cancel_reason', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('exit_txns_card').on('exit_txns').columns(['card_no', 'state']).execute();
        await db.schema
          .createTable('exit_records')
          .addColumn('trade_id', 'text', (c) => c.primaryKey())
          .addColumn('txn_id', 'text', (c) => c.unique())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('supersedes', 'text')
          .addColumn('pass_id', 'text', (c) => c.notNull())
          .addColumn('lane_id', 'text', (c) => c.notNull())
          .addColumn('terminal_id', 'text', (c) => c.notNull())
          .addColumn('shift_id', 'text', (c) => c.notNull())
          .addColumn('collector_id', 'text', (c) => c.notNull())
          .addColumn('card_no', 'text', (c) => c.notNull())
          .addColumn('vehicle_id', 'text', (c) => c.notNull())
          .addColumn('ex_time', 'text', (c) => c.notNull())
          .addColumn('special_types', 'text', (c) => c.notNull())
          .addColumn('exit_fee_type', 'integer', (c) => c.notNull())
          .addColumn('vehicle_class', 'integer', (c) => c.notNull())
          .addColumn('vehicle_kind', 'integer', (c) => c.notNull())
          .addColumn('fee', 'integer', (c) => c.notNull())
          .addColumn('pay_fee', 'integer', (c) => c.notNull())
          .addColumn('auth_by', 'text')
          .addColumn('commit_digest', 'text', (c) => c.notNull())
          .addColumn('record_json', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        for (const col of ['ex_time', 'lane_id', 'card_no', 'vehicle_id', 'shift_id']) {
          await db.schema.createIndex(`exit_records_${col}`).on('exit_records').column(col).execute();
        }
        await db.schema
          .createTable('outbox')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('topic', 'text', (c) => c.notNull())
          .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('next_attempt_at', 'text', (c) => c.notNull())
          .addColumn('acked_at', 'text')
          .execute();
        await db.schema
          .createTable('trade_serials')
          .addColumn('lane_id', 'text', (c) => c.notNull())
          .addColumn('batch', 'text', (c) => c.notNull())
          .addColumn('next_serial', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('trade_serials_pk', ['lane_id', 'batch'])
          .execute();
        await db.schema
          .createTable('images')
          .addColumn('sha256', 'text', (c) => c.primaryKey())
          .addColumn('mime', 'text', (c) => c.notNull())
          .addColumn('size', 'integer', (c) => c.notNull())
          .addColumn('width', 'integer')
          .addColumn('height', 'integer')
          .addColumn('thumb_sha256', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        // The engine itself refuses to rewrite history: audit entries and committed records.
        for (const table of ['audit_log', 'exit_records']) {
          for (const stmt of ops.appendOnlyTriggers(table)) await sql.raw(stmt).execute(db);
        }
      },
    },
    '2026112401_exit_txns_lane_state': {
      // The relay asks, per record, whether a debit of the same lane with an earlier trade ID is still
      // pending; without this index that was a range scan over every trade ID ever issued (the plaza day's
      // throughput decayed as the day went on).
      async up(db: Kysely<unknown>) {
        await db.schema
          .createIndex('exit_txns_lane_state')
          .on('exit_txns')
          .columns(['lane_id', 'state', 'trade_id'])
          .execute();
      },
    },
    '2026112501_exit_txns_shift': {
      // exit_txns_card was read by no query, yet every state change rewrote one of its entries (a random
      // page per step, on SQLite a WAL frame). The shift report's cancelled and authorised lists filter by
      // shift, which no index served: each report scanned every transaction ever made.
      async up(db: Kysely<unknown>) {
        await db.schema.dropIndex('exit_txns_card').execute();
        await db.schema.createIndex('exit_txns_shift').on('exit_txns').column('shift_id').execute();
      },
    },
    '2026112601_login_backoff': {
      // Login back-off moves from the account (which let anyone lock anyone out) to (username, source).
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('login_backoff')
          .addColumn('username', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('failures', 'integer', (c) => c.notNull())
          .addColumn('last_attempt_at', 'text', (c) => c.notNull())
          .addColumn('blocked_until', 'text')
          .addPrimaryKeyConstraint('login_backoff_pk', ['username', 'source'])
          .execute();
        await db.schema
          .createIndex('login_backoff_last_attempt')
          .on('login_backoff')
          .column('last_attempt_at')
          .execute();
        await db.schema.alterTable('accounts').dropColumn('failed_logins').execute();
        await db.schema.alterTable('accounts').dropColumn('locked_until').execute();
      },
    },
    '2026120601_lane_enabled_by': {
      // 系统配置 shows who last switched a lane's handheld linkage, without scanning the audit log.
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('lanes').addColumn('enabled_by', 'text').execute();
      },
    },
    '2026120602_outbox_relay_state': {
      // The relay's state on the outbox rows (status, last error, refusal code).
      async up(db: Kysely<unknown>) {
        await addOutboxRelayState(db);
      },
    },
    '2026120701_audit_pending': {
      // Audited writes leave their entry here, committed with the change; one appender then chains the
      // entries into audit_log in batches. Claiming the chain's head inside every audited transaction would
      // hold its row lock through each commit's WAL flush: on PostgreSQL, commits one at a time.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('audit_pending')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('detail', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '2026120702_audit_pending_guard': {
      // A committed entry is as safe while it waits as once chained: the engine refuses to change it, and
      // to remove it before the appender has chained it (audit_chained, itself append-only, says which).
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('audit_chained')
          .addColumn('pending_id', 'text', (c) => c.primaryKey())
          .addColumn('seq', 'integer', (c) => c.notNull().unique())
          .execute();
        for (const stmt of ops.appendOnlyTriggers('audit_chained')) await sql.raw(stmt).execute(db);
        for (const stmt of ops.pendingAuditGuard()) await sql.raw(stmt).execute(db);
      },
    },
    '2026120703_terminals_psam_unique': {
      // A PSAM is bound to one handheld at most; the engine holds to it even against writers that did not
      // take the station's binding lock. Unbound terminals ('') are many.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createIndex('terminals_psam_bound')
          .unique()
          .on('terminals')
          .column('psam_terminal_no')
          .where(sql.ref('psam_terminal_no'), '<>', '')
          .execute();
      },
    },
    '2026120704_exit_medium': {
      // Each exit transaction and record names its medium (DESIGN.md §7): the exit service routes a row to
      // that medium's parts, and the shift report counts the CPCs collected. Rows before it were all ETC.
      async up(db: Kysely<unknown>) {
        for (const table of ['exit_txns', 'exit_records']) {
          await db.schema
            .alterTable(table)
            .addColumn('medium', 'text', (c) => c.notNull().defaultTo('etc'))
            .execute();
        }
      },
    },
    '2026120705_exit_pass_claims': {
      // A CPC's payment is not written on the card, so the card cannot refuse a second one: the station
      // holds one payment intent per trip (PassID) instead, by the engine's key.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('exit_pass_claims')
          .addColumn('pass_id', 'text', (c) => c.primaryKey())
          .addColumn('txn_id', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('exit_pass_claims_txn').on('exit_pass_claims').column('txn_id').execute();
      },
    },
    '2026120801_payments': {
      // The payment outbox: each platform payment attempt's record, persisted before every request.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('payments')
          .addColumn('out_trade_no', 'text', (c) => c.primaryKey())
          .addColumn('pay_id', 'text', (c) => c.notNull())
          .addColumn('txn_id', 'text', (c) => c.notNull())
          .addColumn('trade_id', 'text', (c) => c.notNull())
          .addColumn('attempt', 'integer', (c) => c.notNull())
          .addColumn('phase', 'text', (c) => c.notNull())
          .addColumn('amount', 'integer', (c) => c.notNull())
          .addColumn('record_json', 'text', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('recorded_trade_id', 'text', (c) => c.unique())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('payments_txn').on('payments').columns(['txn_id', 'attempt']).execute();
        await db.schema.createIndex('payments_phase').on('payments').column('phase').execute();
      },
    },
    '2026120910_refunds': refundsMigration,
    '2026120901_receipts_handovers': receiptsHandoversMigration(ops),
    '2026121203_green_inspections': greenInspectionsMigration,
  };
}

/**
 * Before this migration the relay kept its own history (bookkeeping tables `outbox_relay_migration*`),
 * run when the relay started: a database it already ran on has some or all of these columns, which stay.
 */
async function addOutboxRelayState(db: Kysely<unknown>): Promise<void> {
  const outbox = (await db.introspection.getTables()).find((t) => t.name === 'outbox');
  const has = new Set(outbox?.columns.map((c) => c.name));
  if (!has.has('status')) {
    await db.schema
      .alterTable('outbox')
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
      .execute();
    // Rows acknowledged before the relay kept a status stay acknowledged.
    await sql`UPDATE outbox SET status = 'acked' WHERE acked_at IS NOT NULL`.execute(db);
  }
  for (const column of ['last_error', 'reject_code', 'rejected_at']) {
    if (!has.has(column)) await db.schema.alterTable('outbox').addColumn(column, 'text').execute();
  }
  await db.schema
    .createIndex('outbox_status_key')
    .ifNotExists()
    .on('outbox')
    .columns(['status', 'idempotency_key'])
    .execute();
  await db.schema.dropTable('outbox_relay_migration').ifExists().execute();
  await db.schema.dropTable('outbox_relay_migration_lock').ifExists().execute();
}

/** Brings the schema up to date. */
export async function migrateToLatest(db: Kysely<Database>, ops: DialectOps): Promise<void> {
  await runMigrations(db, stationMigrations(ops));
}
