import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURE_PASSWORD, FIXTURE_USERS, type FixtureWorld } from './world';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningStation {
  url: string;
  world: FixtureWorld;
  /** Calls the station as a role (for setup and for checking records). */
  api(
    role: keyof typeof FIXTURE_USERS,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }>;
  stop(): Promise<void>;
}

/** Starts the real station server (its own process, SQLite in a temp dir) and waits until it listens. */
export async function startStation(): Promise<RunningStation> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tollpad-hh-'));
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'tests/browser/station-fixture.ts')],
    {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const ready = await new Promise<{ url: string; world: FixtureWorld }>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`station did not start: ${stderr}`)), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const line = buf.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as { url: string; world: FixtureWorld });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`station exited ${code}: ${stderr}`));
    });
  });
  const tokens = new Map<string, string>();
  const api: RunningStation['api'] = async (role, method, path, body) => {
    let token = tokens.get(role);
    if (!token) {
      const r = await fetch(`${ready.url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          username: FIXTURE_USERS[role],
          password: FIXTURE_PASSWORD,
          ...(role === 'collector' ? { terminalId: ready.world.terminalId } : {}),
        }),
      });
      token = ((await r.json()) as { token: string }).token;
      tokens.set(role, token);
    }
    const r = await fetch(`${ready.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await r.text();
    return { status: r.status, json: text ? (JSON.parse(text) as unknown) : null };
  };
  return {
    url: ready.url,
    world: ready.world,
    api,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
