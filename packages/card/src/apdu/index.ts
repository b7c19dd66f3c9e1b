export * from './apdu';
export * from './channel';
export * from './commands';
export * from './hex';
export * from './status';
