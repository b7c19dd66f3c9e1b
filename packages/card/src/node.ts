/** Node-only part of @tollpad/card (`@tollpad/card/node`): PC/SC, the reader bridge server, vpcd. */
export * from './bridge/reader-bridge-server';
export * from './transport/pcsc-reader';
// Test support: the real pcscd + vpcd stack and its lock, shared by the card package's and the e2e PC/SC tests.
export * from './vpcd/real-pcscd-harness';
export * from './vpcd/vpcd-card-server';
