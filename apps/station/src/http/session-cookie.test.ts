import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { type Harness, startHarness, TEST_PASSWORD, TEST_USERS } from '../testing/harness';
import { DIALECTS } from '../testing/test-db';
import { SESSION_CSRF_HEADER, sessionCookie } from './session-cookie';
import { stationTls } from './station-tls';

const HANDHELD = { [SESSION_CSRF_HEADER]: '1' };
const COOKIE = '__Host-tollpad-session';

function setCookie(r: LightMyRequestResponse): string {
  const v = r.headers['set-cookie'];
  return Array.isArray(v) ? v.join('\n') : (v ?? '');
}

/** The token the Set-Cookie carries (what the browser would keep and send back). */
function cookieToken(r: LightMyRequestResponse): string {
  const m = new RegExp(`^${COOKIE}=([^;]*);`).exec(setCookie(r));
  if (!m?.[1]) throw new Error(`no session cookie in ${setCookie(r)}`);
  return m[1];
}

describe('session cookie on a plain-HTTP station (asked for explicitly)', () => {
  it('is HttpOnly and SameSite=Strict, without Secure or the __Host- prefix it could not honour', () => {
    const c = sessionCookie(
      'TEST-token',
      '2026-11-23T09:00:00.000Z',
      new Date('2026-11-23T08:00:00Z'),
      false,
    );
    expect(c).toBe('tollpad-session=TEST-token; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict');
  });
});

for (const dialect of DIALECTS) {
  describe(`${dialect}: the handheld's session lives in an HttpOnly cookie that counts only with its header`, () => {
    let h: Harness;
    let tlsDir: string;

    beforeAll(async () => {
      tlsDir = await mkdtemp(join(tmpdir(), 'tollpad-session-cookie-'));
      const tls = await stationTls({ ...loadConfig({}), dataDir: tlsDir });
      h = await startHarness(dialect, { sessionTtlMs: 3600_000 }, { https: tls.https });
    });
    afterAll(async () => {
      await h?.close();
      await rm(tlsDir, { recursive: true, force: true });
    });

    function handheldLogin(): Promise<LightMyRequestResponse> {
      return h.call('POST', '/auth/login', {
        headers: HANDHELD,
        body: { username: TEST_USERS.collector, password: TEST_PASSWORD, terminalId: 'HH-TEST-01' },
      });
    }

    function withCookie(
      method: 'GET' | 'POST',
      url: string,
      token: string,
      headers: Record<string, string> = {},
    ): Promise<LightMyRequestResponse> {
      return h.call(method, url, { headers: { cookie: `${COOKIE}=${token}`, ...headers } });
    }

    it('a login with the handheld header sets a Secure, HttpOnly, SameSite=Strict cookie and returns no token', async () => {
      const r = await handheldLogin();
      expect(r.statusCode).toBe(200);
      const c = setCookie(r);
      expect(c).toMatch(new RegExp(`^${COOKIE}=[^;]+;`));
      expect(c).toContain('; HttpOnly');
      expect(c).toContain('; SameSite=Strict');
      expect(c).toContain('; Secure');
      expect(c).toContain('; Path=/');
      expect(c).toContain('; Max-Age=3600');
      expect(c).not.toContain('Domain=');
      // Script sees the body: the token must not be in it.
      expect(r.json()).not.toHaveProperty('token');
      expect(r.body).not.toContain(cookieToken(r));
      expect(r.json()).toMatchObject({ account: { username: TEST_USERS.collector } });
    });

    it('the cookie with the header authenticates', async () => {
      const token = cookieToken(await handheldLogin());
      const me = await withCookie('GET', '/auth/me', token, HANDHELD);
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ username: TEST_USERS.collector, terminalId: 'HH-TEST-01' });
    });

    it('the cookie alone (what a cross-site form or link carries) is refused with STN_ERR_AUTH_CSRF and changes nothing', async () => {
      const token = cookieToken(await handheldLogin());
      const shiftsBefore = await h.call('GET', '/shifts/current', { token: h.tokens.collector });
      // A page elsewhere posting a form: cookie, form content type, no custom header.
      const form = await h.station.app.inject({
        method: 'POST',
        url: '/shifts',
        headers: {
          cookie: `${COOKIE}=${token}`,
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'https://attacker.test',
        },
        payload: 'x=1',
      });
      expect(form.statusCode).toBe(401);
      expect(form.json()).toMatchObject({ code: 'STN_ERR_AUTH_CSRF' });
      expect(form.json().message).toMatch(/[\u4e00-\u9fff]/);
      const logout = await withCookie('POST', '/auth/logout', token);
      expect(logout.statusCode).toBe(401);
      expect(logout.json()).toMatchObject({ code: 'STN_ERR_AUTH_CSRF' });
      for (const value of ['0', 'true', '']) {
        const r = await withCookie('GET', '/auth/me', token, { [SESSION_CSRF_HEADER]: value });
        expect(r.statusCode).toBe(401);
        expect(r.json()).toMatchObject({ code: 'STN_ERR_AUTH_CSRF' });
      }
      // Nothing happened on the session's behalf: it still works, and no shift was opened by the form.
      expect((await withCookie('GET', '/auth/me', token, HANDHELD)).statusCode).toBe(200);
      const shiftsAfter = await h.call('GET', '/shifts/current', { token: h.tokens.collector });
      expect(shiftsAfter.statusCode).toBe(shiftsBefore.statusCode);
    });

    it('a made-up cookie with the header is an unknown session (401 STN_ERR_AUTH_REQUIRED)', async () => {
      const r = await withCookie('GET', '/auth/me', 'made-up-TEST-token', HANDHELD);
      expect(r.statusCode).toBe(401);
      expect(r.json()).toMatchObject({ code: 'STN_ERR_AUTH_REQUIRED' });
    });

    it('a bearer client (CLI, simulators) still logs in with a token in the body and no cookie', async () => {
      const r = await h.call('POST', '/auth/login', {
        body: { username: TEST_USERS.monitor, password: TEST_PASSWORD },
      });
      expect(r.statusCode).toBe(200);
      expect(r.headers['set-cookie']).toBeUndefined();
      const token = r.json().token as string;
      expect((await h.call('GET', '/auth/me', { token })).statusCode).toBe(200);
    });

    it('logout revokes the session and clears the cookie', async () => {
      const token = cookieToken(await handheldLogin());
      const out = await withCookie('POST', '/auth/logout', token, HANDHELD);
      expect(out.statusCode).toBe(200);
      const c = setCookie(out);
      expect(c).toMatch(new RegExp(`^${COOKIE}=;`));
      expect(c).toContain('; Max-Age=0');
      expect(c).toContain('; HttpOnly');
      expect(c).toContain('; Secure');
      const after = await withCookie('GET', '/auth/me', token, HANDHELD);
      expect(after.statusCode).toBe(401);
      expect(after.json()).toMatchObject({ code: 'STN_ERR_AUTH_REQUIRED' });
    });
  });
}
