import { expect } from 'vitest';
import { DEMO, loginToken, type Topology } from './topology';

/** A call to the station over the network, as a stranger would make it: `token` null sends no session. */
export function stationCall(t: () => Topology) {
  return async (token: string | null, method: string, path: string, body?: unknown) => {
    const res = await t().stationFetch(`${t().stationUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json().catch(() => ({}))) as { code?: string };
    return { status: res.status, code: json.code ?? '', json: json as Record<string, unknown> };
  };
}

/** Another TEST collector of the station, with a handheld of their own. */
export interface AnotherCollector {
  username: string;
  password: string;
  displayName: string;
  terminalId: string;
  psamTerminalNo: string;
  terminalDescription: string;
}

/** Made as an admin would (account, terminal), logged in on their handheld, their shift open: their token. */
export async function addCollector(t: () => Topology, c: AnotherCollector): Promise<string> {
  const call = stationCall(t);
  const admin = await loginToken(t().stationFetch, t().stationUrl, DEMO.admin);
  const created = await call(admin, 'POST', '/accounts', {
    username: c.username,
    displayName: c.displayName,
    role: 'collector',
    password: c.password,
  });
  expect(created.status).toBe(201);
  const terminal = await call(admin, 'PUT', `/config/terminals/${c.terminalId}`, {
    psamTerminalNo: c.psamTerminalNo,
    description: c.terminalDescription,
    enabled: true,
  });
  expect(terminal.status).toBe(200);
  const token = await loginToken(t().stationFetch, t().stationUrl, {
    username: c.username,
    password: c.password,
    terminalId: c.terminalId,
  });
  expect((await call(token, 'POST', '/shifts')).status).toBeLessThan(300);
  return token;
}
