import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Forks the bench's load generator (bench-client.ts) on this process's runtime, with tsx as its loader. */
export function forkBenchClient(): ChildProcess {
  return fork(fileURLToPath(new URL('./bench-client.ts', import.meta.url)), {
    // From the repository root, where `--import tsx` resolves, whoever forks it (the bench, a test).
    cwd: fileURLToPath(new URL('../../..', import.meta.url)),
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}
