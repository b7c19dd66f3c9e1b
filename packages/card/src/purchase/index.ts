export * from './config';
export * from './errors';
export * from './exit-purchase';
export * from './journal';
export * from './waiting';
