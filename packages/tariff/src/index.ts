export * from './classes';
export * from './errors';
export * from './fit';
export * from './generate';
export * from './min-fee';
export * from './network';
export * from './rounding';
export * from './tariff-file';
