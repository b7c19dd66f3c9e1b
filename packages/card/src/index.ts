// @tollpad/card — isomorphic smart-card layer. Node-only pieces live behind the './node' subpath, the
// simulator and the TEST keys behind './sim'.
export * from './apdu';
export * from './codec';
export * from './cpc/codec';
export * from './cpc/cpc-exit';
export * from './cpc/cpc-exit-auth';
export * from './cpc/cpc-exit-config';
export * from './cpc/cpc-exit-errors';
export * from './cpc/cpc-time';
export * from './crypto';
export * from './dsrc/dsrc-frames';
export * from './dsrc/dsrc-reader';
export * from './dsrc/dsrc-transport';
export * from './dsrc/obu-link';
export * from './errors';
export * from './obu/ef01-system-info';
export * from './obu/ef04-exit-region';
export * from './obu/obu-esam';
export * from './obu/psam-vehicle-key-extension';
export * from './obu/vehicle-info';
export * from './obu/vehicle-info-crypto';
export * from './psam';
export * from './purchase';
export * from './reader/errors';
export type * from './reader/reader';
export * from './reader/reader-errors-extra';
export * from './transport/websocket-reader';
