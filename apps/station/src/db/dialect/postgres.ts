import { openedWith, openPostgresKysely, postgresErrors } from '@tollpad/server-kit';
import { sql } from 'kysely';
import type { Database } from '../schema';
import type { DialectOps, OpenedDatabase } from './types';

/** First key of the two-key advisory locks: the station's namespace among other users of the server. */
const LOCK_NAMESPACE = 0x7011;

export const postgresOps: DialectOps = {
  ...postgresErrors,
  async serialise(t, key) {
    await sql`SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}::int, ${key}::int)`.execute(t);
  },
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
      `CREATE OR REPLACE FUNCTION tollpad_audit_chained_guard() RETURNS trigger AS $$ BEGIN
         IF NOT EXISTS (SELECT 1 FROM audit_pending p JOIN audit_log l ON l.seq = NEW.seq
             WHERE p.id = NEW.pending_id AND l.at = p.at AND l.actor = p.actor AND l.action = p.action
               AND l.target = p.target AND l.detail = p.detail) THEN
           RAISE EXCEPTION 'audit_chained names an entry the chain does not hold as recorded';
         END IF;
         RETURN NEW;
       END $$ LANGUAGE plpgsql`,
      `CREATE TRIGGER audit_chained_as_recorded BEFORE INSERT ON audit_chained FOR EACH ROW EXECUTE FUNCTION tollpad_audit_chained_guard()`,
    ];
  },
};

export function openPostgres(url: string, poolSize = 10): OpenedDatabase {
  const db = openPostgresKysely<Database>(url, poolSize);
  return openedWith(db, postgresOps);
}
