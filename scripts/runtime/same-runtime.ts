import { inject } from 'vitest';

// Runs in every test process before its tests: a worker on another runtime than the one announced fails.
const announced = inject('runtime');
if (process.version !== announced) {
  throw new Error(`this test process runs Node ${process.version}, the run announced ${announced}`);
}
