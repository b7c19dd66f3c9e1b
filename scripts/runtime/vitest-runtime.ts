import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** process.version of the Vitest main process; every test process checks it runs the same. */
    runtime: string;
  }
}

/** Vitest global setup: says once, at the top of the run, which runtime the test processes use. */
export default function setup(project: TestProject): void {
  project.provide('runtime', process.version);
  process.stdout.write(
    `[runtime] test processes run Node ${process.version} (${process.execPath}); each checks it on start\n`,
  );
}
