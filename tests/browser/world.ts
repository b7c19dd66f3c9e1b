/** TEST accounts of the browser-test station (test data). */
export const FIXTURE_PASSWORD = 'test-password-TEST';
export const FIXTURE_USERS = {
  collector: 'test-collector',
  monitor: 'test-monitor',
  admin: 'test-admin',
} as const;

export interface FixtureWorld {
  stationId: string;
  stationHex: string;
  entryStationHex: string;
  laneId: string;
  disabledLaneId: string;
  terminalId: string;
  psam: string;
  listedCardId: string;
}
