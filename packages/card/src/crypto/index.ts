export * from './des';
export * from './mac';
export * from './modes';
export * from './pboc';
export * from './sm4';
