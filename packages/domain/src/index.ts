export * from './exit-record';
export * from './ids';
export * from './money';
export * from './plate';
export * from './result';
export * from './special';
export * from './time';
export * from './vehicle';
