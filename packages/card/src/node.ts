/** Node-only part of @tollpad/card (`@tollpad/card/node`): PC/SC, the reader bridge server, vpcd. */
export * from './bridge/reader-bridge-server';
export * from './transport/pcsc-reader';
export * from './vpcd/vpcd-card-server';
