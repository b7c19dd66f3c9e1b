export * from './errors';
export * from './psam-driver';
