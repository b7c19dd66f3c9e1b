import type { OpenedDatabase } from '../db/database';
import type { AuditService } from './audit.service';
import type { AuthService } from './auth.service';

/** Every service the HTTP layer may call (immich style: routes → services → repositories). */
export interface Services {
  db: OpenedDatabase;
  auth: AuthService;
  audit: AuditService;
  now: () => Date;
}
