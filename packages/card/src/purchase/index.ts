export * from './errors';
export * from './exit-purchase';
export * from './journal';
export * from './read-card-files';
export * from './waiting';
