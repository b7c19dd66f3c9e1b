import { openedWith, openPostgresKysely, postgresErrors } from '@tollpad/server-kit';
import type { Database } from '../schema';
import type { DialectOps, OpenedDatabase } from './types';

export const postgresOps: DialectOps = {
  ...postgresErrors,
  appendOnlyTriggers(table) {
    return [
      `CREATE OR REPLACE FUNCTION tollpad_append_only() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$ LANGUAGE plpgsql`,
      `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION tollpad_append_only()`,
    ];
  },
};

export function openPostgres(url: string, poolSize = 10): OpenedDatabase {
  const db = openPostgresKysely<Database>(url, poolSize);
  return openedWith(db, postgresOps);
}
