import { httpsJson } from '@tollpad/server-kit';
import { describe, expect, it } from 'vitest';
import { DEMO, useTopology } from './topology';

/**
 * Password guessing against the demo station, each guesser on a loopback address of its own (Linux routes
 * all of 127/8 to the loopback), as machines on the plaza network would be; the genuine staff log in
 * from 127.0.0.1. The station runs with its default back-off: 5 free failures per (account, source).
 */
describe('hostile: login', () => {
  const t = useTopology();

  /** A client at `address` trusting the station CA (node:https: undici does not bind a local address). */
  const from =
    (address: string) =>
    (
      body: { username: string; password: string; terminalId?: string },
      headers: Record<string, string> = {},
    ) =>
      httpsJson(
        `https://127.0.0.1:${t().stationPort}/auth/login`,
        { servername: 'localhost', localAddress: address, ca: t().stationCa, method: 'POST', headers },
        body,
      ).then((r) => ({ status: r.status, json: r.json as Record<string, unknown> }));
  const wrong = (username: string) => ({ username, password: 'not-the-password-TEST' });

  it('a guesser that writes a new X-Forwarded-For on every try is still held back', async () => {
    const guess = from('127.0.0.3');
    for (let i = 0; i < 6; i++) {
      const r = await guess(wrong(DEMO.monitor.username), { 'x-forwarded-for': `198.51.100.${i + 1}` });
      expect(r.status).toBe(401);
    }
    // Held back: even the right password from this source is refused, whatever it claims to forward for.
    const right = await guess(DEMO.monitor, { 'x-forwarded-for': '198.51.100.200' });
    expect(right.status).toBe(401);
    expect(right.json.token).toBeUndefined();
    // The account itself is not locked: the monitor at their own desk gets in.
    expect((await from('127.0.0.1')(DEMO.monitor)).status).toBe(200);
  });

  it('an outsider failing 20 times on the collector’s account does not lock the collector out', async () => {
    const outsider = from('127.0.0.4');
    for (let i = 0; i < 20; i++) {
      expect((await outsider(wrong(DEMO.collector.username))).status).toBe(401);
    }
    const genuine = await from('127.0.0.1')({ ...DEMO.collector, terminalId: DEMO.terminalId });
    expect(genuine.status).toBe(200);
    expect(genuine.json.token).toEqual(expect.any(String));
  });

  it('unknown account, wrong password and held-back source get the very same answer', async () => {
    const strip = (j: Record<string, unknown>) => {
      const { requestId: _r, ...rest } = j;
      return rest;
    };
    const unknown = await from('127.0.0.5')(wrong('no-such-collector-TEST'));
    const badPassword = await from('127.0.0.6')(wrong(DEMO.admin.username));
    const heldBackSource = from('127.0.0.7');
    for (let i = 0; i < 6; i++) await heldBackSource(wrong('demo-admin'));
    const heldBack = await heldBackSource(wrong(DEMO.admin.username));
    expect(unknown.status).toBe(401);
    expect(badPassword.status).toBe(unknown.status);
    expect(heldBack.status).toBe(unknown.status);
    expect(strip(badPassword.json)).toEqual(strip(unknown.json));
    expect(strip(heldBack.json)).toEqual(strip(unknown.json));
    expect(unknown.json.code).toBe('STN_ERR_AUTH_BAD_CREDENTIALS');
  });

  it('every server is still up', async () => {
    expect(t().ended()).toEqual([]);
    expect(await t().health()).toEqual({ station: 200, centre: 200, page: 200, laneSim: 200 });
  });
});
