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
  pendingAuditGuard() {
    return [
      `CREATE OR REPLACE FUNCTION tollpad_audit_pending_guard() RETURNS trigger AS $$ BEGIN
         IF TG_OP = 'UPDATE' THEN RAISE EXCEPTION 'audit_pending entries cannot be changed'; END IF;
         IF NOT EXISTS (SELECT 1 FROM audit_chained WHERE pending_id = OLD.id) THEN
           RAISE EXCEPTION 'audit_pending entry % is not chained yet', OLD.id;
         END IF;
         RETURN OLD;
       END $$ LANGUAGE plpgsql`,
      `CREATE TRIGGER audit_pending_guard BEFORE UPDATE OR DELETE ON audit_pending FOR EACH ROW EXECUTE FUNCTION tollpad_audit_pending_guard()`,
    ];
  },
};

export function openPostgres(url: string, poolSize = 10): OpenedDatabase {
  const db = openPostgresKysely<Database>(url, poolSize);
  return openedWith(db, postgresOps);
}
