import { type Kysely, type Migration, Migrator } from 'kysely';

/**
 * Runs migrations kept in code (no file loader) up to the latest, and fails loudly naming the one that
 * failed. Kysely's migrator takes a lock, so two servers starting on one database do not race. A part with
 * a history of its own (the station's outbox relay) passes its own bookkeeping table names.
 */
export async function runMigrations<DB>(
  db: Kysely<DB>,
  migrations: Record<string, Migration>,
  opts: { label?: string; migrationTableName?: string; migrationLockTableName?: string } = {},
): Promise<void> {
  const { label = 'migration', ...tables } = opts;
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, ...tables });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error !== undefined || failed !== undefined) {
    throw new Error(`${label} failed: ${failed?.migrationName ?? ''}`, { cause: error });
  }
}
