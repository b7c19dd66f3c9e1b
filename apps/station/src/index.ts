// @tollpad/station — the station server. Apps never import each other; this entry is for the CLI, the
// cross-app tests and the bench runner.
export { loadConfig, type StationConfig } from './config';
export { ERROR_CATALOGUE, type ErrorBody, type ErrorCode, StationError } from './errors';
export { centreOnlineFee, type OnlineFeeSource } from './ports/centre-online-fee';
export { DEMO_ACCOUNTS, DEMO_TERMINAL, seedDemo } from './seed';
export { createStation, type Station, type StationOptions } from './station';
