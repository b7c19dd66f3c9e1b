import { hash, randomBytes, randomUUID } from 'node:crypto';
import type { AccountRow } from '../db/schema';
import { StationError } from '../errors';
import type { AccountsRepository } from '../repositories/accounts.repository';
import type { Executor } from '../repositories/executor';
import type { SessionsRepository } from '../repositories/sessions.repository';
import type { AuditService } from './audit.service';
import { DEFAULT_KDF, hashPassword, type KdfParams, verifyPassword } from './password';

export const ROLES = ['collector', 'monitor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(s: string): s is Role {
  return (ROLES as readonly string[]).includes(s);
}

export interface Principal {
  accountId: string;
  username: string;
  displayName: string;
  role: Role;
  terminalId: string | null;
  sessionHash: string;
}

export interface AuthOptions {
  sessionTtlMs: number;
  maxFailures: number;
  lockoutMs: number;
  kdf?: KdfParams;
}

export interface NewAccount {
  username: string;
  displayName: string;
  role: Role;
  password: string;
  demo?: boolean;
}

// A fixed dummy hash, so a login for an unknown user costs the same as a wrong password.
let dummyHash: Promise<string> | undefined;

/** Sessions are opaque bearer tokens; only their sha256 is stored, so a DB leak yields no live token. */
export function hashToken(token: string): string {
  // One-shot hash: on every request, and a Hash object costs more than the hashing itself.
  return hash('sha256', token, 'hex');
}

/** [P] How long a resolved session is reused without a DB read. Logout and disabling take effect at once
 * in this process; the TTL bounds staleness for changes made elsewhere (another server on the same DB). */
const PRINCIPAL_CACHE_MS = 2000;

export class AuthService {
  private readonly kdf: KdfParams;
  private readonly cache = new Map<string, { p: Principal; expiresAt: string; until: number }>();

  constructor(
    private readonly accounts: AccountsRepository,
    private readonly sessions: SessionsRepository,
    private readonly audit: AuditService,
    private readonly db: Executor,
    private readonly opts: AuthOptions,
    private readonly now: () => Date,
  ) {
    this.kdf = opts.kdf ?? DEFAULT_KDF;
  }

  async createAccount(a: NewAccount, actor: string): Promise<AccountRow> {
    if (a.password.length < 8) throw new StationError('STN_ERR_ACCOUNT_WEAK_PASSWORD');
    const row: AccountRow = {
      id: randomUUID(),
      username: a.username,
      display_name: a.displayName,
      role: a.role,
      password_hash: await hashPassword(a.password, this.kdf),
      failed_logins: 0,
      locked_until: null,
      disabled: 0,
      demo: a.demo ? 1 : 0,
      created_at: this.now().toISOString(),
    };
    await this.db.transaction().execute(async (t) => {
      if (await this.accounts.findByUsername(a.username, t)) throw new StationError('STN_ERR_ACCOUNT_EXISTS');
      await this.accounts.insert(row, t);
      await this.audit.record(
        { actor, action: 'account.create', target: row.id, detail: { username: a.username, role: a.role } },
        t,
      );
    });
    return row;
  }

  async setDisabled(id: string, disabled: boolean, actor: string): Promise<void> {
    this.cache.clear();
    await this.db.transaction().execute(async (t) => {
      if (!(await this.accounts.findById(id, t))) throw new StationError('STN_ERR_ACCOUNT_NOT_FOUND');
      await this.accounts.setDisabled(id, disabled, t);
      await this.audit.record(
        { actor, action: disabled ? 'account.disable' : 'account.enable', target: id },
        t,
      );
    });
  }

  listAccounts(): Promise<AccountRow[]> {
    return this.accounts.list();
  }

  /** Checks credentials with lockout after repeated failures; returns a fresh bearer token. */
  async login(
    username: string,
    password: string,
    terminalId: string | null,
  ): Promise<{ token: string; expiresAt: string; principal: Principal }> {
    const now = this.now();
    const acc = await this.accounts.findByUsername(username);
    if (!acc) {
      dummyHash ??= hashPassword('dummy-password', this.kdf);
      await verifyPassword(password, await dummyHash);
      await this.audit.record({ actor: `unknown:${username}`, action: 'login.failed', target: username });
      throw new StationError('STN_ERR_AUTH_BAD_CREDENTIALS');
    }
    if (acc.locked_until && acc.locked_until > now.toISOString()) {
      await this.audit.record({ actor: acc.id, action: 'login.locked', target: acc.id });
      throw new StationError('STN_ERR_AUTH_LOCKED');
    }
    const good = acc.disabled === 0 && (await verifyPassword(password, acc.password_hash));
    if (!good) {
      const failures = acc.failed_logins + 1;
      const lock = failures >= this.opts.maxFailures;
      const lockedUntil = lock ? new Date(now.getTime() + this.opts.lockoutMs).toISOString() : null;
      await this.db.transaction().execute(async (t) => {
        await this.accounts.recordFailure(acc.id, lock ? 0 : failures, lockedUntil, t);
        await this.audit.record(
          { actor: acc.id, action: 'login.failed', target: acc.id, detail: { failures, locked: lock } },
          t,
        );
      });
      throw new StationError(lock ? 'STN_ERR_AUTH_LOCKED' : 'STN_ERR_AUTH_BAD_CREDENTIALS');
    }
    const token = randomBytes(32).toString('base64url');
    const tokenHash = hashToken(token);
    const expiresAt = new Date(now.getTime() + this.opts.sessionTtlMs).toISOString();
    await this.db.transaction().execute(async (t) => {
      await this.accounts.resetFailures(acc.id, t);
      await this.sessions.insert(
        {
          token_hash: tokenHash,
          account_id: acc.id,
          terminal_id: terminalId,
          created_at: now.toISOString(),
          expires_at: expiresAt,
          revoked: 0,
        },
        t,
      );
      await this.audit.record(
        { actor: acc.id, action: 'login.ok', target: acc.id, detail: { terminalId } },
        t,
      );
    });
    return { token, expiresAt, principal: toPrincipal(acc, terminalId, tokenHash) };
  }

  /** Resolves a bearer token; throws the matching 401 when missing, unknown, revoked or expired. */
  async authenticate(token: string | undefined): Promise<Principal> {
    if (!token) throw new StationError('STN_ERR_AUTH_REQUIRED');
    const tokenHash = hashToken(token);
    const nowIso = this.now().toISOString();
    const hit = this.cache.get(tokenHash);
    if (hit && hit.until > Date.now() && hit.expiresAt > nowIso) return hit.p;
    const s = await this.sessions.find(tokenHash);
    if (!s || s.revoked) throw new StationError('STN_ERR_AUTH_REQUIRED');
    if (s.expires_at <= nowIso) throw new StationError('STN_ERR_AUTH_SESSION_EXPIRED');
    const acc = await this.accounts.findById(s.account_id);
    if (!acc || acc.disabled) throw new StationError('STN_ERR_AUTH_REQUIRED');
    const p = toPrincipal(acc, s.terminal_id, tokenHash);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(tokenHash, { p, expiresAt: s.expires_at, until: Date.now() + PRINCIPAL_CACHE_MS });
    return p;
  }

  async logout(p: Principal): Promise<void> {
    this.cache.delete(p.sessionHash);
    await this.db.transaction().execute(async (t) => {
      await this.sessions.revoke(p.sessionHash, t);
      await this.audit.record({ actor: p.accountId, action: 'logout', target: p.accountId }, t);
    });
  }
}

function toPrincipal(acc: AccountRow, terminalId: string | null, sessionHash: string): Principal {
  if (!isRole(acc.role)) throw new StationError('STN_ERR_AUTH_FORBIDDEN', 'unknown role');
  return {
    accountId: acc.id,
    username: acc.username,
    displayName: acc.display_name,
    role: acc.role,
    terminalId,
    sessionHash,
  };
}
