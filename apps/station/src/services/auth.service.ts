import { hash, randomBytes, randomUUID } from 'node:crypto';
import { ROLES, type Role } from '@tollpad/station-api';
import type { OpenedDatabase } from '../db/dialect/types';
import type { AccountRow } from '../db/schema';
import { StationError } from '../errors';
import type { AccountsRepository } from '../repositories/accounts.repository';
import type { LoginBackoffRepository } from '../repositories/login-backoff.repository';
import { ReadThroughCache } from '../repositories/read-through-cache';
import { serialise } from '../repositories/serialised';
import type { SessionsRepository } from '../repositories/sessions.repository';
import type { AuditService } from './audit.service';
import { afterFailure, isHeldBack, type LoginThrottlePolicy } from './login-throttle';
import { DEFAULT_KDF, dummyHash, hashPassword, type KdfParams, verifyPassword } from './password';
import { isWeakPassword } from './password-policy';

export { ROLES, type Role };

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
  throttle: LoginThrottlePolicy;
  kdf?: KdfParams;
}

/** An account as listed, with the latest login back-off still running on it, if any. */
export interface AccountView {
  row: AccountRow;
  heldUntil: string | null;
}

/** [P] A source's back-off is forgotten this long after its last attempt (and once its wait has run out). */
const BACKOFF_FORGET_MS = 24 * 3600_000;
/** Failed logins between sweeps of forgotten back-off rows. */
const PRUNE_EVERY = 500;

export interface NewAccount {
  username: string;
  displayName: string;
  role: Role;
  password: string;
  demo?: boolean;
}

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
  /** Resolved sessions by token hash; forgotten by every account change (see ReadThroughCache). */
  private readonly cache = new ReadThroughCache<string, { p: Principal; expiresAt: string; until: number }>(
    10_000,
  );
  /** One login attempt at a time per (username, source): parallel guesses cannot outrun the back-off. */
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private failuresSincePrune = 0;

  constructor(
    private readonly accounts: AccountsRepository,
    private readonly sessions: SessionsRepository,
    private readonly backoff: LoginBackoffRepository,
    private readonly audit: AuditService,
    private readonly db: OpenedDatabase,
    private readonly opts: AuthOptions,
    private readonly now: () => Date,
  ) {
    this.kdf = opts.kdf ?? DEFAULT_KDF;
    // Made now, so the first unknown username after a start does not cost two KDF runs.
    void dummyHash(this.kdf);
  }

  async createAccount(a: NewAccount, actor: string): Promise<AccountRow> {
    if (isWeakPassword(a.password, a.username)) throw new StationError('STN_ERR_ACCOUNT_WEAK_PASSWORD');
    const row: AccountRow = {
      id: randomUUID(),
      username: a.username,
      display_name: a.displayName,
      role: a.role,
      password_hash: await hashPassword(a.password, this.kdf),
      disabled: 0,
      demo: a.demo ? 1 : 0,
      created_at: this.now().toISOString(),
    };
    try {
      await this.db.db.transaction().execute(async (t) => {
        if (await this.accounts.findByUsername(a.username, t))
          throw new StationError('STN_ERR_ACCOUNT_EXISTS');
        await this.accounts.insert(row, t);
        await this.audit.record(
          { actor, action: 'account.create', target: row.id, detail: { username: a.username, role: a.role } },
          t,
        );
      });
    } catch (e) {
      // Two creations of one name at once: both looked, the unique index lets one in.
      if (this.db.ops.isUniqueViolation(e)) throw new StationError('STN_ERR_ACCOUNT_EXISTS');
      throw e;
    }
    return row;
  }

  /**
   * Disabling ends the account's sessions for good (enabling it again brings none back); no one disables
   * themself or the last enabled admin.
   */
  async setDisabled(id: string, disabled: boolean, actor: string): Promise<void> {
    this.cache.forget();
    await this.db.db.transaction().execute(async (t) => {
      await serialise(this.db.ops, t, 'accounts.admins');
      const acc = await this.accounts.findById(id, t);
      if (!acc) throw new StationError('STN_ERR_ACCOUNT_NOT_FOUND');
      if (disabled && id === actor) throw new StationError('STN_ERR_ACCOUNT_SELF');
      if (disabled && acc.role === 'admin' && (await this.accounts.countActiveAdminsBut(id, t)) === 0)
        throw new StationError('STN_ERR_ACCOUNT_LAST_ADMIN');
      await this.accounts.setDisabled(id, disabled, t);
      if (disabled) await this.sessions.revokeAccount(id, t);
      await this.audit.record(
        {
          actor,
          action: disabled ? 'account.disable' : 'account.enable',
          target: id,
          detail: {
            username: acc.username,
            before: { disabled: acc.disabled === 1 },
            after: { disabled },
            ...(disabled ? { sessionsEnded: true } : {}),
          },
        },
        t,
      );
    });
    this.cache.forget();
  }

  /** A new role takes effect on the account's next request; the last enabled admin keeps theirs. */
  async setRole(id: string, role: Role, actor: string): Promise<AccountRow> {
    this.cache.forget();
    const row = await this.db.db.transaction().execute(async (t) => {
      await serialise(this.db.ops, t, 'accounts.admins');
      const acc = await this.accounts.findById(id, t);
      if (!acc) throw new StationError('STN_ERR_ACCOUNT_NOT_FOUND');
      if (acc.role === role) return acc;
      if (id === actor) throw new StationError('STN_ERR_ACCOUNT_SELF');
      if (acc.role === 'admin' && (await this.accounts.countActiveAdminsBut(id, t)) === 0)
        throw new StationError('STN_ERR_ACCOUNT_LAST_ADMIN');
      await this.accounts.setRole(id, role, t);
      await this.audit.record(
        {
          actor,
          action: 'account.role',
          target: id,
          detail: { username: acc.username, before: { role: acc.role }, after: { role } },
        },
        t,
      );
      return { ...acc, role };
    });
    this.cache.forget();
    return row;
  }

  /**
   * 重置密码: a new password under the same policy as a new account's; every session of the account ends
   * (a device still logged in with the old one must log in again). The audit names no password.
   */
  async resetPassword(id: string, password: string, actor: string): Promise<void> {
    const acc = await this.accounts.findById(id);
    if (!acc) throw new StationError('STN_ERR_ACCOUNT_NOT_FOUND');
    if (isWeakPassword(password, acc.username)) throw new StationError('STN_ERR_ACCOUNT_WEAK_PASSWORD');
    const passwordHash = await hashPassword(password, this.kdf);
    this.cache.forget();
    await this.db.db.transaction().execute(async (t) => {
      if (!(await this.accounts.findById(id, t))) throw new StationError('STN_ERR_ACCOUNT_NOT_FOUND');
      await this.accounts.setPasswordHash(id, passwordHash, t);
      await this.sessions.revokeAccount(id, t);
      await this.audit.record(
        {
          actor,
          action: 'account.password',
          target: id,
          detail: { username: acc.username, sessionsEnded: true },
        },
        t,
      );
    });
    this.cache.forget();
  }

  listAccounts(): Promise<AccountRow[]> {
    return this.accounts.list();
  }

  async listAccountViews(): Promise<AccountView[]> {
    const held = await this.backoff.heldUntil(this.now().toISOString());
    return (await this.accounts.list()).map((row) => ({ row, heldUntil: held.get(row.username) ?? null }));
  }

  /**
   * Clears every source's login back-off on an account. An admin may unlock anyone; a monitor (班长) only
   * a collector, so a monitor cannot help someone into an admin account.
   */
  async unlock(id: string, actor: Principal): Promise<void> {
    await this.db.db.transaction().execute(async (t) => {
      const acc = await this.accounts.findById(id, t);
      if (!acc) throw new StationError('STN_ERR_ACCOUNT_NOT_FOUND');
      if (actor.role !== 'admin' && !(actor.role === 'monitor' && acc.role === 'collector')) {
        throw new StationError('STN_ERR_AUTH_FORBIDDEN');
      }
      const cleared = await this.backoff.clearAll(acc.username, t);
      await this.audit.record(
        {
          actor: actor.accountId,
          action: 'account.unlock',
          target: acc.id,
          detail: { username: acc.username, sources: cleared.map((r) => r.source) },
        },
        t,
      );
    });
  }

  /**
   * Checks credentials; returns a fresh bearer token. An unknown username, a wrong password, a source
   * held back on this account and a disabled account all get the same refusal after the same work: one
   * KDF run (against a dummy hash when there is no account), one back-off write and one audit entry.
   * `source` is the client address; in-process callers (seed, tests) have none.
   */
  login(
    username: string,
    password: string,
    terminalId: string | null,
    source = 'in-process',
  ): Promise<{ token: string; expiresAt: string; principal: Principal }> {
    const key = `${username}\u0000${source}`;
    const prev = this.inFlight.get(key) ?? Promise.resolve();
    const run = prev.then(() => this.attempt(username, password, terminalId, source));
    const settled = run.catch(() => undefined);
    this.inFlight.set(key, settled);
    void settled.then(() => {
      if (this.inFlight.get(key) === settled) this.inFlight.delete(key);
    });
    return run;
  }

  private async attempt(
    username: string,
    password: string,
    terminalId: string | null,
    source: string,
  ): Promise<{ token: string; expiresAt: string; principal: Principal }> {
    const now = this.now();
    const nowIso = now.toISOString();
    const acc = await this.accounts.findByUsername(username);
    const prior = await this.backoff.find(username, source);
    const state = prior ? { failures: prior.failures, blockedUntil: prior.blocked_until } : undefined;
    const held = isHeldBack(state, now);
    const passwordOk = await verifyPassword(password, acc?.password_hash ?? (await dummyHash(this.kdf)));
    const refusal = !acc
      ? 'unknown'
      : held
        ? 'held-back'
        : acc.disabled !== 0
          ? 'disabled'
          : passwordOk
            ? null
            : 'wrong';
    if (!acc || refusal) {
      const since = new Date(now.getTime() - this.opts.throttle.accountWindowMs).toISOString();
      const accountFailures = await this.backoff.recentFailures(username, since);
      // A held-back attempt was not checked: it changes nothing but the time of the last attempt.
      const next = held
        ? { failures: state?.failures ?? 0, blockedUntil: state?.blockedUntil ?? null, newlyBlocked: false }
        : afterFailure(this.opts.throttle, state, accountFailures, now);
      const actor = acc ? acc.id : `unknown:${username}`;
      const target = acc ? acc.id : username;
      await this.db.db.transaction().execute(async (t) => {
        await this.backoff.save(
          {
            username,
            source,
            failures: next.failures,
            last_attempt_at: nowIso,
            blocked_until: next.blockedUntil,
          },
          t,
        );
        await this.audit.record(
          {
            actor,
            action: 'login.failed',
            target,
            detail: { reason: refusal, source, failures: next.failures },
          },
          t,
        );
        if (next.newlyBlocked) {
          await this.audit.record(
            {
              actor,
              action: 'login.lock',
              target,
              detail: { source, failures: next.failures, until: next.blockedUntil, accountFailures },
            },
            t,
          );
        }
      });
      if (++this.failuresSincePrune >= PRUNE_EVERY) {
        this.failuresSincePrune = 0;
        const forget = Math.max(BACKOFF_FORGET_MS, this.opts.throttle.maxMs);
        await this.backoff.prune(new Date(now.getTime() - forget).toISOString(), nowIso);
      }
      throw new StationError('STN_ERR_AUTH_BAD_CREDENTIALS');
    }
    const token = randomBytes(32).toString('base64url');
    const tokenHash = hashToken(token);
    const expiresAt = new Date(now.getTime() + this.opts.sessionTtlMs).toISOString();
    await this.db.db.transaction().execute(async (t) => {
      if (prior) await this.backoff.clear(username, source, t);
      await this.sessions.insert(
        {
          token_hash: tokenHash,
          account_id: acc.id,
          terminal_id: terminalId,
          created_at: nowIso,
          expires_at: expiresAt,
          revoked: 0,
        },
        t,
      );
      await this.audit.record(
        { actor: acc.id, action: 'login.ok', target: acc.id, detail: { terminalId, source } },
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
    const resolved = await this.cache.read(
      tokenHash,
      async () => {
        const s = await this.sessions.find(tokenHash);
        if (!s || s.revoked) throw new StationError('STN_ERR_AUTH_REQUIRED');
        if (s.expires_at <= nowIso) throw new StationError('STN_ERR_AUTH_SESSION_EXPIRED');
        const acc = await this.accounts.findById(s.account_id);
        if (!acc || acc.disabled) throw new StationError('STN_ERR_AUTH_REQUIRED');
        const p = toPrincipal(acc, s.terminal_id, tokenHash);
        return { p, expiresAt: s.expires_at, until: Date.now() + PRINCIPAL_CACHE_MS };
      },
      (hit) => hit.until > Date.now() && hit.expiresAt > nowIso,
    );
    return resolved.p;
  }

  async logout(p: Principal): Promise<void> {
    this.cache.forget(p.sessionHash);
    await this.db.db.transaction().execute(async (t) => {
      await this.sessions.revoke(p.sessionHash, t);
      await this.audit.record({ actor: p.accountId, action: 'logout', target: p.accountId }, t);
    });
    this.cache.forget(p.sessionHash);
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
