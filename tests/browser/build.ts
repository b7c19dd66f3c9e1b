import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HANDHELD_DIR = fileURLToPath(new URL('../../apps/handheld', import.meta.url));
export const DIST_DIR = join(HANDHELD_DIR, 'dist');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

function stale(): boolean {
  const index = join(DIST_DIR, 'index.html');
  const sources = [
    join(HANDHELD_DIR, 'src'),
    join(HANDHELD_DIR, 'public'),
    fileURLToPath(new URL('../../packages/card/src', import.meta.url)),
    fileURLToPath(new URL('../../packages/domain/src', import.meta.url)),
    fileURLToPath(new URL('../../packages/station-api/src', import.meta.url)),
  ];
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  const latest = Math.max(statSync(join(HANDHELD_DIR, 'index.html')).mtimeMs, ...sources.map(newest));
  return built < latest;
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Builds the handheld when dist is missing or older than its sources (or the packages it imports).
 * Test files run in parallel workers: one builds under a directory lock, the others wait for it.
 */
export function ensureHandheldBuilt(): void {
  if (!stale()) return;
  const lock = join(HANDHELD_DIR, '.build-lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than the deadline is from a dead run.
      if (Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
      sleep(200);
    }
  }
  try {
    if (stale())
      execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { cwd: HANDHELD_DIR, stdio: 'inherit' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
