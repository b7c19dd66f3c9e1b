// @tollpad/card — isomorphic smart-card layer. Node-only pieces live behind the './node' subpath.
export * from './apdu';
export * from './codec';
export * from './crypto';
export * from './fixtures/test-keys';
export * from './psam';
export * from './purchase';
export * from './reader/errors';
export type * from './reader/reader';
export * from './sim';
