import { compileNetwork, generateProvince } from '@tollpad/tariff';
import type { StationConfig } from '../config';
import { statusListsFromFiles } from '../ports/status-lists';
import type { ReferenceSnapshot } from '../services/reference.service';
import { tariffFromNetwork } from '../services/reference.service';
import type { Harness } from './harness';

/** The TEST world: a small synthetic province (SYNTHETIC TEST DATA) and one exit lane at its second station. */
const net = compileNetwork(generateProvince({ roads: 2, stationsPerRoad: 4 }));
if (!net.ok) throw new Error('synthetic TEST tariff failed to compile');
export const TEST_NETWORK = net.value;

const exitStation = TEST_NETWORK.stations[1]!;
const entryStation = TEST_NETWORK.stations[0]!;
export const TEST_WORLD = {
  stationId: exitStation.id,
  stationHex: exitStation.hex,
  stationName: exitStation.name,
  plazaId: `${exitStation.id}2010`,
  laneId: `${exitStation.id}2010010`,
  laneHex: `${exitStation.hex}01`,
  disabledLaneId: `${exitStation.id}2010020`,
  entryStationHex: entryStation.hex,
  terminalId: 'HH-TEST-01',
  psam: '0151000119F8',
  /** TEST card on the card status list (type 1 挂失). */
  listedCardId: '99010000000000000666',
};

export function testReference(lists: Parameters<typeof statusListsFromFiles>[0] = {}): ReferenceSnapshot {
  return {
    tariff: tariffFromNetwork(TEST_NETWORK, '2026-11-23T00:00:00.000Z'),
    lists: statusListsFromFiles({
      card: {
        version: 'TEST-CARD-202611230800',
        entries: [{ key: TEST_WORLD.listedCardId, type: 1, reason: '卡挂失 (TEST)' }],
      },
      obu: { version: 'TEST-OBU-202611230800', entries: [] },
      vehicle: { version: 'TEST-VEH-202611230800', entries: [] },
      ...lists,
    }),
    listsLoadedAt: '2026-11-23T00:00:00.000Z',
  };
}

/** Station, plaza, an enabled and a disabled lane, the collector's terminal, and an open shift. */
export async function configureWorld(h: Harness): Promise<{ shiftId: string }> {
  const s = h.station.services;
  await s.config.putStation(
    { stationId: TEST_WORLD.stationId, stationHex: TEST_WORLD.stationHex, name: TEST_WORLD.stationName },
    'test-setup',
  );
  await s.config.putPlaza({ id: TEST_WORLD.plazaId, name: '出口广场 (TEST)' }, 'test-setup');
  await s.config.putLane({ id: TEST_WORLD.laneId, hex: TEST_WORLD.laneHex, name: '出口1' }, 'test-setup');
  await s.config.putLane(
    { id: TEST_WORLD.disabledLaneId, hex: `${TEST_WORLD.stationHex}02`, name: '出口2' },
    'test-setup',
  );
  await s.config.setLaneEnabled(TEST_WORLD.laneId, true, 'test-setup');
  await s.config.putTerminal(
    {
      id: TEST_WORLD.terminalId,
      psamTerminalNo: TEST_WORLD.psam,
      description: 'TEST handheld',
      enabled: true,
    },
    'test-setup',
  );
  const r = await h.call('POST', '/shifts', { token: h.tokens.collector });
  if (r.statusCode !== 201) throw new Error(`open shift: ${r.body}`);
  return { shiftId: r.json().id as string };
}

export type { StationConfig };
