// The station's wire contract: request and response schemas and the types derived from them, shared by the
// station's routes and every client (the handheld, the trip CLI, the plaza day, the tests).
export * from './accounts';
export * from './arrears';
export * from './check';
export * from './common';
export * from './config';
export * from './errors';
export * from './exits';
export * from './green-channel';
export * from './handover';
export * from './images';
export * from './linkage';
export * from './path';
export * from './payback-totals';
export * from './payments';
export * from './receipts';
export * from './records';
export * from './refunds';
export * from './settlement';
export * from './shifts';
export * from './system';
