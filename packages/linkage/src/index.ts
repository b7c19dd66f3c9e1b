export * from './acl';
export * from './emitter';
export * from './errors';
export * from './link-state';
export * from './messages';
export * from './mosquitto-acl';
export * from './payloads';
export * from './topics';
