/**
 * TEST ONLY — `@tollpad/card/sim`: the simulator (card, PSAM, OBU, readers, issuer), the TEST master keys
 * and the training vehicles. Kept off the main entry so production code cannot import them by accident;
 * `sim-boundary.test.ts` lists the few places outside tests that may.
 */
export * from '../cpc/writers';
export * from '../fixtures/cpc-worked-example';
export * from '../fixtures/test-keys';
export * from '../fixtures/training-arrears';
export * from '../fixtures/training-cpc';
export * from '../fixtures/training-vehicles';
export * from '../obu/issue-obu';
export * from '../obu/virtual-obu';
export * from '../transport/simulated-reader';
export * from './etc-card';
export * from './issuer';
export * from './scripted-card';
export * from './tearing-card';
export * from './vehicle-card';
export * from './virtual-cpc';
export * from './virtual-psam';
export * from './virtual-reader';
