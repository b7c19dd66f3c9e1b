import type { Services } from './services/services';

/**
 * Demo/TEST accounts and the demo world's station set-up. Everything here is marked demo (accounts carry
 * demo=1) and must not exist on a production station. Passwords are published TEST values.
 */
export const DEMO_ACCOUNTS = [
  { username: 'demo-admin', displayName: '演示管理员', role: 'admin', password: 'demo-admin-TEST' },
  { username: 'demo-monitor', displayName: '演示班长', role: 'monitor', password: 'demo-monitor-TEST' },
  {
    username: 'demo-collector',
    displayName: '演示收费员',
    role: 'collector',
    password: 'demo-collector-TEST',
  },
] as const;

export const DEMO_TERMINAL = { id: 'HH-DEMO-01', psamTerminalNo: '0151000119F8' };

/** Idempotent: existing accounts and config are left as they are. */
export async function seedDemo(s: Services): Promise<{ laneId: string; stationId: string }> {
  const existing = new Set((await s.auth.listAccounts()).map((a) => a.username));
  for (const a of DEMO_ACCOUNTS) {
    if (!existing.has(a.username)) await s.auth.createAccount({ ...a, demo: true }, 'seed');
  }
  // The demo exit station is the second station of the tariff in force (the synthetic province by default).
  const net = s.reference.snapshot.tariff.network;
  const station = net.stations[1] ?? net.stations[0];
  if (!station) throw new Error('tariff has no stations');
  const plazaId = `${station.id}2010`;
  const laneId = `${plazaId}010`;
  if (!(await s.config.station())) {
    await s.config.putStation({ stationId: station.id, stationHex: station.hex, name: station.name }, 'seed');
  }
  const lanes = await s.config.listLanes();
  if (!lanes.some((l) => l.id === laneId)) {
    await s.config.putPlaza({ id: plazaId, name: '出口广场（演示）' }, 'seed');
    await s.config.putLane({ id: laneId, hex: `${station.hex}01`, name: '出口1（演示）' }, 'seed');
    await s.config.putLane({ id: `${plazaId}020`, hex: `${station.hex}02`, name: '出口2（演示）' }, 'seed');
    await s.config.setLaneEnabled(laneId, true, 'seed');
    await s.config.putTerminal({ ...DEMO_TERMINAL, description: '演示手持机 (TEST)', enabled: true }, 'seed');
  }
  return { laneId, stationId: station.id };
}
