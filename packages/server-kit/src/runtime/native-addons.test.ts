import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { checkServerRuntime, explainAddonFailure, RuntimeMismatchError } from './native-addons';

// The text Node prints when dlopen meets an addon built for another ABI (Node 24 loading a Node 20 build).
const NODE_TEXT =
  "The module '/x/better_sqlite3.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js requires\nNODE_MODULE_VERSION 137. Please try re-compiling or re-installing\nthe module (for instance, using `npm rebuild` or `npm install`).";

describe('runtime check at server start-up', () => {
  it('passes on this runtime, with better-sqlite3 built for it', () => {
    expect(checkServerRuntime()).toBe(process.version);
  });

  it('refuses a Node older than 24 with what to do', () => {
    expect(() => checkServerRuntime('v20.20.2')).toThrow(RuntimeMismatchError);
    expect(() => checkServerRuntime('v20.20.2')).toThrow(/Node\.js 24 LTS/);
  });

  it('explains an addon built for another ABI and says how to rebuild it', () => {
    const line = explainAddonFailure('better-sqlite3', new Error(NODE_TEXT));
    expect(line).toContain('ABI 115');
    expect(line).toContain('ABI 137');
    expect(line).toContain('npm rebuild better-sqlite3');
  });

  it('leaves other load failures alone', () => {
    expect(explainAddonFailure('better-sqlite3', new Error('ENOENT: no such file'))).toBeUndefined();
  });

  // The real mismatch, where the machine has a Node of another ABI (CI's system Node is 20).
  const addon = createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node');
  const abi = spawnSync('/usr/bin/node', ['-p', 'process.versions.modules'], { encoding: 'utf8' });
  it.runIf(abi.status === 0 && abi.stdout.trim() !== process.versions.modules)(
    'explains the real dlopen error of another runtime loading this build',
    () => {
      const r = spawnSync('/usr/bin/node', ['-e', `require(${JSON.stringify(addon)})`], { encoding: 'utf8' });
      expect(r.status).not.toBe(0);
      expect(explainAddonFailure('better-sqlite3', new Error(r.stderr))).toContain(
        `ABI ${abi.stdout.trim()}`,
      );
    },
  );
});
