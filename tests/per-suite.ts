import { afterAll, beforeAll } from 'vitest';

/**
 * One resource for the tests of the enclosing `describe`: started before them (and before the describe's own
 * `beforeAll`s, which run after this one), stopped after them. It exists only once started, hence a getter.
 */
export function perSuite<T>(start: () => Promise<T>, stop: (started: T) => Promise<void>): () => T {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  }, 120_000);
  afterAll(async () => {
    if (started !== undefined) await stop(started);
  });
  return () => {
    if (started === undefined) throw new Error('not started yet: use it inside a test or a hook');
    return started;
  };
}
