import { hash, randomUUID } from 'node:crypto';
import type { AuditRepository, AuditRow } from '../repositories/audit.repository';
import type { Executor } from '../repositories/executor';
import { AuditAppender, GENESIS } from './audit-appender';

export type AuditAction =
  | 'login.ok'
  | 'login.failed'
  | 'login.lock'
  | 'logout'
  | 'account.create'
  | 'account.unlock'
  | 'account.disable'
  | 'account.enable'
  | 'account.role'
  | 'account.password'
  | 'config.plaza'
  | 'config.lane'
  | 'config.lane.enable'
  | 'config.terminal'
  | 'config.terminal.bind'
  | 'config.terminal.unbind'
  | 'config.versions'
  | 'config.station'
  | 'shift.open'
  | 'shift.close'
  | 'shift.handover'
  | 'receipt.reprint'
  | 'exit.authorise'
  | 'exit.refuse'
  | 'exit.cancel'
  | 'exit.commit'
  | 'exit.recover'
  | 'payment.refund'
  | 'payment.refund.outcome'
  | 'payment.refund.conflict'
  | 'record.correct'
  | 'reference.swap'
  | 'sync.run'
  | 'outbox.rejected'
  | 'outbox.requeue'
  | 'arrears.open'
  | 'arrears.commit'
  | 'arrears.recover';

export interface AuditEntry {
  actor: string;
  action: AuditAction;
  target: string;
  detail?: Record<string, unknown>;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  /** First sequence number whose hash or link does not match, when not ok. */
  brokenAt?: number;
}

/** hash_n = sha256(hash_{n-1} ‖ canonical fields of entry n): editing or removing any entry breaks the chain. */
export function auditHash(prevHash: string, r: Omit<AuditRow, 'hash' | 'prev_hash'>): string {
  const canonical = JSON.stringify([r.seq, r.at, r.actor, r.action, r.target, r.detail]);
  // One-shot hash (no Hash object): the same bytes as hashing prevHash, '\n' and canonical in turn.
  return hash('sha256', `${prevHash}\n${canonical}`, 'hex');
}

let lastMs = 0;
let inMs = 0;

/**
 * A pending entry's key: the order the appender chains in. Milliseconds, then a counter within the
 * millisecond, so this process's entries committed by the same batch keep the order they were recorded in
 * (a UUIDv7's random tail would not), then a random tail that keeps keys of different processes apart.
 */
function pendingId(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    inMs = 0;
  } else inMs++;
  return `${lastMs.toString(16).padStart(12, '0')}-${inMs.toString(16).padStart(6, '0')}-${randomUUID().slice(0, 8)}`;
}

/**
 * Append-only, hash-chained audit log of logins, authorisations, config and record changes. An entry
 * commits with the change it audits; the appender chains it right after (audit-appender.ts), and every
 * read of the log first chains what has committed, so a reader never sees the log behind the changes.
 */
export class AuditService {
  private readonly appender: AuditAppender;

  constructor(
    private readonly repo: AuditRepository,
    private readonly db: Executor,
    private readonly now: () => Date,
  ) {
    this.appender = new AuditAppender(repo, db, auditHash);
  }

  /** Records inside the caller's transaction when given, so the audit entry commits with the change. */
  async record(entry: AuditEntry, trx?: Executor): Promise<void> {
    const row = {
      id: pendingId(),
      at: this.now().toISOString(),
      actor: entry.actor,
      action: entry.action,
      target: entry.target,
      detail: JSON.stringify(entry.detail ?? {}),
    };
    await this.repo.insertPending(row, trx ?? this.db);
    this.appender.kick();
  }

  /** Chains every entry committed so far. */
  flush(): Promise<void> {
    return this.appender.flush();
  }

  /** Chains what is pending and stops the appender's timers (before the database closes). */
  close(): Promise<void> {
    return this.appender.close();
  }

  /**
   * Walks the chain from genesis up to the head read first, and checks it ends at that head. Entries
   * chained while the walk runs lie beyond that head: they are not part of what this call verifies, and
   * cannot make the head look ahead of the walk.
   */
  async verify(): Promise<AuditVerification> {
    await this.flush();
    const head = await this.repo.head();
    const headSeq = Number(head.seq);
    let prev = GENESIS;
    let checked = 0;
    while (checked < headSeq) {
      const rows = await this.repo.page(checked, Math.min(1000, headSeq - checked));
      if (rows.length === 0) break;
      for (const r of rows) {
        const seq = Number(r.seq);
        if (seq !== checked + 1 || r.prev_hash !== prev || auditHash(prev, { ...r, seq }) !== r.hash) {
          return { ok: false, checked, brokenAt: checked + 1 };
        }
        prev = r.hash;
        checked++;
      }
    }
    if (checked !== headSeq || head.hash !== prev) return { ok: false, checked, brokenAt: checked + 1 };
    return { ok: true, checked };
  }

  async list(afterSeq: number, limit: number): Promise<AuditRow[]> {
    await this.flush();
    return this.repo.page(afterSeq, limit);
  }
}
