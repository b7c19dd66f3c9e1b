export * from './etc-card';
export * from './issuer';
export * from './scripted-card';
export * from './tearing-card';
export * from './vehicle-card';
export * from './virtual-psam';
export * from './virtual-reader';
