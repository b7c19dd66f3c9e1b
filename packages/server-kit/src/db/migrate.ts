import { type Kysely, type Migration, Migrator } from 'kysely';

/**
 * Runs migrations kept in code (no file loader) up to the latest, and fails loudly naming the one that
 * failed. Kysely's migrator takes a lock, so two servers starting on one database do not race. Each app
 * has one ordered history.
 */
export async function runMigrations<DB>(
  db: Kysely<DB>,
  migrations: Record<string, Migration>,
): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error !== undefined || failed !== undefined) {
    throw new Error(`migration failed: ${failed?.migrationName ?? ''}`, { cause: error });
  }
}
