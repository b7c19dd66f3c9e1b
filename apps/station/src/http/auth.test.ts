import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, TEST_PASSWORD, TEST_USERS } from '../testing/harness';
import { DIALECTS } from '../testing/test-db';

/** TEST password of the accounts these tests create. */
const RIGHT = 'right-password-TEST';
const BACKOFF_MS = 60_000;

/** Headers a stranger would rotate to look like someone new each time. */
function spoofed(i: number): Record<string, string> {
  return {
    'x-forwarded-for': `10.66.${i % 250}.${i % 200}`,
    'x-real-ip': `10.77.0.${i % 250}`,
    forwarded: `for=10.88.0.${i % 250}`,
    'x-terminal-id': `HH-SPOOF-${i}`,
    authorization: `Bearer made-up-${i}`,
  };
}

function login(
  h: Harness,
  from: string,
  username: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return h.station.app.inject({
    method: 'POST',
    url: '/auth/login',
    remoteAddress: from,
    headers,
    payload: { username, password },
  });
}

async function createAccount(h: Harness, username: string, role = 'collector'): Promise<string> {
  const r = await h.call('POST', '/accounts', {
    token: h.tokens.admin,
    body: { username, displayName: '登录测试', role, password: RIGHT },
  });
  expect(r.statusCode).toBe(201);
  return r.json().id as string;
}

async function auditActions(h: Harness, target: string): Promise<string[]> {
  const r = await h.call('GET', '/audit?limit=1000', { token: h.tokens.admin });
  return (r.json() as { action: string; target: string }[])
    .filter((e) => e.target === target)
    .map((e) => e.action);
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: accounts, sessions, audit`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(dialect, {
        loginFreeFailures: 3,
        loginBackoffBaseMs: BACKOFF_MS,
        loginBackoffMaxMs: 10 * BACKOFF_MS,
        loginAccountCeiling: 20,
        loginAccountWindowMs: 15 * 60_000,
        loginPerAddressPerMinute: 1000,
        sessionTtlMs: 3600_000,
      });
    });
    afterAll(async () => h?.close());

    it('logs in and answers /auth/me', async () => {
      const r = await h.call('POST', '/auth/login', {
        body: { username: TEST_USERS.monitor, password: TEST_PASSWORD },
      });
      expect(r.statusCode).toBe(200);
      const token = r.json().token as string;
      const me = await h.call('GET', '/auth/me', { token });
      expect(me.json()).toMatchObject({ username: TEST_USERS.monitor, role: 'monitor' });
    });

    it('holds back a source that keeps failing, only that source, and only for a while', async () => {
      await createAccount(h, 'backoff-user');
      for (let i = 0; i < 4; i++) {
        const r = await login(h, '192.0.2.10', 'backoff-user', 'wrong-password');
        expect(r.statusCode).toBe(401);
        expect(r.json().code).toBe('STN_ERR_AUTH_BAD_CREDENTIALS');
      }
      // Held back: even the right password from that source is refused…
      expect((await login(h, '192.0.2.10', 'backoff-user', RIGHT)).statusCode).toBe(401);
      // …while the same collector at another terminal gets in…
      expect((await login(h, '192.0.2.20', 'backoff-user', RIGHT)).statusCode).toBe(200);
      // …and the held source gets in once its wait is over.
      h.clock.now = new Date(h.clock.now.getTime() + BACKOFF_MS + 1);
      expect((await login(h, '192.0.2.10', 'backoff-user', RIGHT)).statusCode).toBe(200);
    });

    it('an attacker failing 50 times from one source does not stop the genuine user at another', async () => {
      await createAccount(h, 'target-user');
      for (let i = 0; i < 50; i++) {
        const r = await login(h, '203.0.113.66', 'target-user', `guess-${i}`, spoofed(i));
        expect(r.statusCode).toBe(401);
      }
      // The attacker's source is held back whatever headers it sends, even with the right password.
      expect((await login(h, '203.0.113.66', 'target-user', RIGHT, spoofed(99))).statusCode).toBe(401);
      const genuine = await login(h, '192.0.2.30', 'target-user', RIGHT);
      expect(genuine.statusCode).toBe(200);
    });

    it('past the account ceiling, sources guessing together slow every new source, never lock it', async () => {
      await createAccount(h, 'botnet-target');
      for (let i = 0; i < 25; i++) {
        expect((await login(h, `203.0.113.${100 + i}`, 'botnet-target', 'guess')).statusCode).toBe(401);
      }
      // A source that has not failed gets in at once with the right password…
      expect((await login(h, '192.0.2.30', 'botnet-target', RIGHT)).statusCode).toBe(200);
      // …one that mistypes waits from its first failure, then gets in.
      expect((await login(h, '192.0.2.31', 'botnet-target', 'typo')).statusCode).toBe(401);
      expect((await login(h, '192.0.2.31', 'botnet-target', RIGHT)).statusCode).toBe(401);
      h.clock.now = new Date(h.clock.now.getTime() + BACKOFF_MS + 1);
      expect((await login(h, '192.0.2.31', 'botnet-target', RIGHT)).statusCode).toBe(200);
    });

    it('answers unknown, wrong, held back and disabled with byte-identical responses', async () => {
      await createAccount(h, 'same-wrong');
      await createAccount(h, 'same-held');
      const disabledId = await createAccount(h, 'same-disabled');
      await h.call('PUT', `/accounts/${disabledId}/disabled`, {
        token: h.tokens.admin,
        body: { disabled: true },
      });
      for (let i = 0; i < 4; i++) await login(h, '198.51.100.5', 'same-held', 'wrong-password');
      const from = '198.51.100.5';
      const rid = { 'x-request-id': 'same-answer-test' };
      const answers = [
        await login(h, from, 'no-such-user', RIGHT, rid),
        await login(h, from, 'same-wrong', 'wrong-password', rid),
        await login(h, from, 'same-held', RIGHT, rid),
        await login(h, from, 'same-disabled', RIGHT, rid),
      ];
      const shape = (r: LightMyRequestResponse) => ({
        status: r.statusCode,
        body: r.body,
        contentType: r.headers['content-type'],
        retryAfter: r.headers['retry-after'],
      });
      expect(answers[0]!.json().code).toBe('STN_ERR_AUTH_BAD_CREDENTIALS');
      for (const a of answers) expect(shape(a)).toEqual(shape(answers[0]!));
    });

    it('lets an admin unlock an account at once, and audits the lock and the unlock', async () => {
      const id = await createAccount(h, 'unlock-me');
      for (let i = 0; i < 4; i++) await login(h, '192.0.2.50', 'unlock-me', 'wrong-password');
      expect((await login(h, '192.0.2.50', 'unlock-me', RIGHT)).statusCode).toBe(401);
      const listed = await h.call('GET', '/accounts', { token: h.tokens.admin });
      const row = (listed.json() as { id: string; lockedUntil: string | null }[]).find((a) => a.id === id);
      expect(row?.lockedUntil).not.toBeNull();
      const u = await h.call('POST', `/accounts/${id}/unlock`, { token: h.tokens.admin });
      expect(u.statusCode).toBe(200);
      expect((await login(h, '192.0.2.50', 'unlock-me', RIGHT)).statusCode).toBe(200);
      const actions = await auditActions(h, id);
      expect(actions).toContain('login.lock');
      expect(actions).toContain('account.unlock');
    });

    it('lets a monitor unlock a collector but not an admin, and a collector unlock no one', async () => {
      const collectorId = await createAccount(h, 'unlock-collector');
      const adminId = await createAccount(h, 'unlock-admin', 'admin');
      const byCollector = await h.call('POST', `/accounts/${collectorId}/unlock`, {
        token: h.tokens.collector,
      });
      expect(byCollector.statusCode).toBe(403);
      expect(byCollector.json().code).toBe('STN_ERR_AUTH_FORBIDDEN');
      const onAdmin = await h.call('POST', `/accounts/${adminId}/unlock`, { token: h.tokens.monitor });
      expect(onAdmin.statusCode).toBe(403);
      expect(onAdmin.json().code).toBe('STN_ERR_AUTH_FORBIDDEN');
      const ok = await h.call('POST', `/accounts/${collectorId}/unlock`, { token: h.tokens.monitor });
      expect(ok.statusCode).toBe(200);
      expect(await auditActions(h, adminId)).not.toContain('account.unlock');
      expect(await auditActions(h, collectorId)).toContain('account.unlock');
    });

    it('expires sessions and revokes on logout', async () => {
      const r = await h.call('POST', '/auth/login', {
        body: { username: TEST_USERS.admin, password: TEST_PASSWORD },
      });
      const token = r.json().token as string;
      expect((await h.call('POST', '/auth/logout', { token })).statusCode).toBe(200);
      expect((await h.call('GET', '/auth/me', { token })).json().code).toBe('STN_ERR_AUTH_REQUIRED');
      const r2 = await h.call('POST', '/auth/login', {
        body: { username: TEST_USERS.admin, password: TEST_PASSWORD },
      });
      const t2 = r2.json().token as string;
      h.clock.now = new Date(h.clock.now.getTime() + 3600_001);
      const exp = await h.call('GET', '/auth/me', { token: t2 });
      expect(exp.statusCode).toBe(401);
      expect(exp.json().code).toBe('STN_ERR_AUTH_SESSION_EXPIRED');
    });

    it('stores only hashed tokens and scrypt password hashes', async () => {
      const s = await h.station.services.db.db.selectFrom('sessions').select('token_hash').execute();
      const tokens = Object.values(h.tokens);
      for (const row of s) expect(tokens).not.toContain(row.token_hash);
      const a = await h.station.services.db.db.selectFrom('accounts').select('password_hash').execute();
      for (const row of a) expect(row.password_hash).toMatch(/^scrypt\$\d+\$8\$1\$/);
    });

    it('keeps a hash chain that verifies, and detects tampering', async () => {
      const login = await h.call('POST', '/auth/login', {
        body: { username: TEST_USERS.admin, password: TEST_PASSWORD },
      });
      const ok = await h.call('GET', '/audit/verify', { token: login.json().token });
      expect(ok.json()).toMatchObject({ ok: true });
      expect(ok.json().checked).toBeGreaterThan(5);
      const db = h.station.services.db.db;
      // The engine refuses edits; an attacker with DB rights would first drop the trigger.
      await expect(
        db.updateTable('audit_log').set({ actor: 'x' }).where('seq', '=', 2).execute(),
      ).rejects.toThrow();
      const { sql } = await import('kysely');
      if (dialect === 'sqlite') await sql`DROP TRIGGER audit_log_no_update`.execute(db);
      else await sql`DROP TRIGGER audit_log_append_only ON audit_log`.execute(db);
      await db.updateTable('audit_log').set({ actor: 'mallory' }).where('seq', '=', 2).execute();
      const bad = await h.station.services.audit.verify();
      expect(bad).toMatchObject({ ok: false, brokenAt: 2 });
    });
  });

  describe(`${dialect}: rate limits keyed on the client address`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(dialect, {
        loginPerAddressPerMinute: 5,
        rateLimitPerAddressPerMinute: 40,
        trustedProxies: ['10.0.0.1'],
      });
    });
    afterAll(async () => h?.close());

    it('counts logins per address, whatever forwarded-for, terminal or bearer headers say', async () => {
      const codes: number[] = [];
      for (let i = 0; i < 8; i++) {
        codes.push((await login(h, '203.0.113.7', `spray-${i}`, 'guess', spoofed(i))).statusCode);
      }
      expect(codes).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
      // Another address is not held back by that one.
      expect((await login(h, '203.0.113.8', TEST_USERS.collector, TEST_PASSWORD)).statusCode).toBe(200);
    });

    it('believes forwarded-for only from the trusted proxy', async () => {
      // Through the proxy, two clients are two addresses…
      for (let i = 0; i < 5; i++)
        await login(h, '10.0.0.1', 'via-proxy', 'guess', { 'x-forwarded-for': '192.0.2.1' });
      const a = await login(h, '10.0.0.1', 'via-proxy', 'guess', { 'x-forwarded-for': '192.0.2.1' });
      const b = await login(h, '10.0.0.1', 'via-proxy', 'guess', { 'x-forwarded-for': '192.0.2.2' });
      expect([a.statusCode, b.statusCode]).toEqual([429, 401]);
    });

    it('limits a flood of requests per address, made-up bearer tokens or not', async () => {
      const codes: number[] = [];
      for (let i = 0; i < 45; i++) {
        const r = await h.station.app.inject({
          method: 'GET',
          url: '/auth/me',
          remoteAddress: '203.0.113.9',
          headers: spoofed(i),
        });
        codes.push(r.statusCode);
      }
      expect(codes.filter((c) => c === 429)).toHaveLength(5);
      const r = await h.station.app.inject({ method: 'GET', url: '/auth/me', remoteAddress: '203.0.113.9' });
      expect(r.json().code).toBe('STN_ERR_RATE_LIMITED');
    });
  });
}
