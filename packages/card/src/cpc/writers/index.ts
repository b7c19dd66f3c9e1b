export * from './blank';
export * from './cpc-images';
export * from './entry';
export * from './faults';
export * from './gantry';
