import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
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

/** Builds the handheld when dist is missing or older than its sources (or the card/domain packages). */
export function ensureHandheldBuilt(): void {
  const index = join(DIST_DIR, 'index.html');
  const sources = [
    join(HANDHELD_DIR, 'src'),
    join(HANDHELD_DIR, 'public'),
    fileURLToPath(new URL('../../packages/card/src', import.meta.url)),
    fileURLToPath(new URL('../../packages/domain/src', import.meta.url)),
  ];
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  const latest = Math.max(statSync(join(HANDHELD_DIR, 'index.html')).mtimeMs, ...sources.map(newest));
  if (built >= latest) return;
  execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { cwd: HANDHELD_DIR, stdio: 'inherit' });
}
