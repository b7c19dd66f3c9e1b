import { DEMO_ACCOUNTS } from '../../apps/station/src/seed';

/** The station's published demo/TEST accounts (apps/station/src/seed.ts). */
function demo(role: 'collector' | 'monitor' | 'admin'): { username: string; password: string } {
  const a = DEMO_ACCOUNTS.find((x) => x.role === role);
  if (!a) throw new Error(`no demo ${role}`);
  return { username: a.username, password: a.password };
}

export const FIXTURE_ACCOUNTS = {
  collector: demo('collector'),
  monitor: demo('monitor'),
  admin: demo('admin'),
} as const;

/** What the browser tests need to know of the seeded demo world (read back from the station). */
export interface FixtureWorld {
  stationId: string;
  stationHex: string;
  entryStationHex: string;
  laneId: string;
  disabledLaneId: string;
  terminalId: string;
  psam: string;
  /** TEST card put on the card status list through LISTS_DIR. */
  listedCardId: string;
}
