import type { LoginResult, StationInfo } from '@tollpad/station-api';
import { loadTariff } from '@tollpad/tariff';
import { callJson, type RetryStats } from './station-client';
import type { VehicleWorld } from './vehicles';

/** The collectors' password on the day's TEST accounts. */
export const COLLECTOR_PASSWORD = 'plaza-day-TEST-pw';

/** One call to the station with a bearer token; `T` names the contract's answer. */
export type StationCall = <T = Record<string, unknown>>(
  method: string,
  path: string,
  token: string,
  body?: unknown,
) => Promise<T>;

export function stationCaller(stationUrl: string, retry: RetryStats): StationCall {
  return async <T = Record<string, unknown>>(method: string, path: string, token: string, body?: unknown) =>
    (await callJson<T>(stationUrl, method, path, { token, ...(body !== undefined ? { body } : {}) }, retry))
      .value;
}

/** Logs in and returns the bearer token. */
export async function login(
  stationUrl: string,
  username: string,
  password: string,
  retry: RetryStats,
): Promise<string> {
  const r = await callJson<LoginResult>(
    stationUrl,
    'POST',
    '/auth/login',
    { body: { username, password } },
    retry,
  );
  if (!r.value.token) throw new Error(`the station gave ${username} no bearer token`);
  return r.value.token;
}

export interface Terminal {
  id: string;
  psam: string;
  user: string;
}

export interface ConfiguredStation {
  station: StationInfo;
  lanes: string[];
  terminals: Terminal[];
}

/**
 * The station set up through its admin API for `handhelds` handhelds: one exit lane with handheld linkage
 * per two handhelds, and per handheld a terminal with its PSAM number and a collector account (all TEST).
 */
export async function configureStation(
  sc: StationCall,
  adminToken: string,
  handhelds: number,
): Promise<ConfiguredStation> {
  const st = await sc<StationInfo>('GET', '/config/station', adminToken);
  const plazaId = `${st.stationId}2010`;
  const laneCount = Math.max(1, Math.ceil(handhelds / 2));
  const lanes: string[] = [];
  for (let k = 1; k <= laneCount; k++) {
    const id = `${plazaId}${String(k * 10).padStart(3, '0')}`;
    await sc('PUT', `/config/lanes/${id}`, adminToken, {
      hex: `${st.stationHex}${k.toString(16).toUpperCase().padStart(2, '0')}`,
      name: `出口${k}（plaza-day TEST）`,
    });
    await sc('PUT', `/config/lanes/${id}/handheld`, adminToken, { enabled: true });
    lanes.push(id);
  }
  const terminals: Terminal[] = [];
  for (let i = 1; i <= handhelds; i++) {
    const id = `HH-PD-${String(i).padStart(2, '0')}`;
    const psam = `0151${(0x00a00000 + i).toString(16).toUpperCase().padStart(8, '0')}`;
    const user = `pd-collector-${String(i).padStart(2, '0')}`;
    await sc('PUT', `/config/terminals/${id}`, adminToken, {
      psamTerminalNo: psam,
      description: `plaza-day 手持机 ${i} (TEST)`,
      enabled: true,
    });
    await sc('POST', '/accounts', adminToken, {
      username: user,
      displayName: `模拟收费员${i}`,
      role: 'collector',
      password: COLLECTOR_PASSWORD,
    });
    terminals.push({ id, psam, user });
  }
  return { station: st, lanes, terminals };
}

/** Where vehicles enter from: stations of the centre's road network near this exit station. */
export async function roadWorld(
  centreFetch: typeof fetch,
  centreUrl: string,
  st: StationInfo,
): Promise<VehicleWorld> {
  const tariffText = await centreFetch(`${centreUrl}/tariffs/current`).then((r) => r.text());
  const net = loadTariff(tariffText);
  if (!net.ok) throw new Error('the centre tariff does not load');
  const hexes = new Set(net.value.stations.map((s) => s.hex));
  return {
    exitStationHex: st.stationHex,
    exitStationId: st.stationId,
    network: net.value,
    entryHex(offset) {
      const seq = Number.parseInt(st.stationHex.slice(6, 8), 16);
      for (const s of [seq - offset, seq + offset]) {
        const hex = `${st.stationHex.slice(0, 6)}${s.toString(16).toUpperCase().padStart(2, '0')}`;
        if (s >= 1 && s <= 255 && hexes.has(hex)) return hex;
      }
      return net.value.stations.find((s) => s.hex !== st.stationHex)?.hex ?? null;
    },
    now: () => new Date(),
  };
}
