import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, TEST_PASSWORD, TEST_USERS } from '../testing/harness';
import { DIALECTS } from '../testing/test-db';

for (const dialect of DIALECTS) {
  describe(`${dialect}: accounts, sessions, audit`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(dialect, {
        loginMaxFailures: 3,
        loginLockoutMs: 60_000,
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

    it('refuses a wrong password with a stable code and locks after repeated failures', async () => {
      await h.call('POST', '/accounts', {
        token: h.tokens.admin,
        body: {
          username: 'lockme',
          displayName: '锁定测试',
          role: 'collector',
          password: 'right-password-TEST',
        },
      });
      const bad = () =>
        h.call('POST', '/auth/login', { body: { username: 'lockme', password: 'wrong-password' } });
      expect((await bad()).json().code).toBe('STN_ERR_AUTH_BAD_CREDENTIALS');
      expect((await bad()).json().code).toBe('STN_ERR_AUTH_BAD_CREDENTIALS');
      const third = await bad();
      expect(third.statusCode).toBe(423);
      expect(third.json().code).toBe('STN_ERR_AUTH_LOCKED');
      // Even the right password is refused while locked…
      const good = () =>
        h.call('POST', '/auth/login', { body: { username: 'lockme', password: 'right-password-TEST' } });
      expect((await good()).json().code).toBe('STN_ERR_AUTH_LOCKED');
      // …and accepted once the lockout has passed.
      h.clock.now = new Date(h.clock.now.getTime() + 61_000);
      expect((await good()).statusCode).toBe(200);
    });

    it('answers the same code for an unknown user as for a wrong password', async () => {
      const r = await h.call('POST', '/auth/login', { body: { username: 'nobody', password: 'whatever1' } });
      expect(r.statusCode).toBe(401);
      expect(r.json().code).toBe('STN_ERR_AUTH_BAD_CREDENTIALS');
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
}
