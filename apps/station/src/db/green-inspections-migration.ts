import type { Kysely, Migration } from 'kysely';

/**
 * 绿通查验 (issue #22): one row per inspection a collector made of an exit's load, kept whatever it found (a pass, a
 * fail, a mixed load, a banned plate). The exit's fee names the inspection it was priced with and the record
 * carries its ID; the inspection is uploaded beside the record (outbox topic `green-inspection`).
 */
export const greenInspectionsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('green_inspections')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('txn_id', 'text', (c) => c.notNull())
      .addColumn('collector_id', 'text', (c) => c.notNull())
      .addColumn('vehicle_id', 'text', (c) => c.notNull())
      .addColumn('result', 'text', (c) => c.notNull())
      .addColumn('passed', 'integer', (c) => c.notNull())
      .addColumn('refusal', 'text')
      .addColumn('cargo_json', 'text', (c) => c.notNull())
      .addColumn('photos_json', 'text', (c) => c.notNull())
      .addColumn('appointment_json', 'text')
      .addColumn('ban_json', 'text')
      .addColumn('note', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('green_inspections_txn')
      .on('green_inspections')
      .columns(['txn_id', 'created_at'])
      .execute();
  },
};
