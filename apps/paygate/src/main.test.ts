import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { httpsJson } from '@tollpad/server-kit';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_MERCHANTS } from './fixtures/test-merchants';
import type { Merchant } from './merchants';
import { signedHttps } from './testing/https-client';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

/** Starts the real server process; resolves with its https address once it logs that it is ready. */
function start(env: Record<string, string>, args: string[]): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('paygate did not start')), 30_000);
    child.once('exit', (code) => reject(new Error(`paygate exited ${String(code)}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.includes('paygate ready')) return;
      clearTimeout(timer);
      resolve({ child, base: (JSON.parse(line) as { address: string }).address });
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe('the paygate process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paygate-main-'));
  const children: ChildProcess[] = [];
  afterAll(async () => {
    await Promise.all(children.map(stop));
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves HTTPS with its TEST CA and keeps its state in the --data file across a restart', async () => {
    const env = { PAYGATE_TLS_DIR: join(dir, 'tls'), PAYGATE_ADMIN_TOKEN: 'TEST-main-admin' };
    const data = join(dir, 'state.json');
    const merchant = TEST_MERCHANTS[0] as Merchant;
    const first = await start(env, ['--data', data]);
    children.push(first.child);
    expect(first.base).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = readFileSync(join(dir, 'tls', 'ca.cert.pem'), 'utf8');
    const body = { outTradeNo: 'TPMAIN-1', payId: 'TPMAIN', amount: 600, authCode: '134500000000009001' };
    const paid = await signedHttps(first.base, { ca, merchant }, 'POST', '/v1/micropay', body);
    expect(paid).toMatchObject({ status: 200, signedByPlatform: true, json: { state: 'SUCCESS' } });
    await stop(first.child);

    const second = await start(env, [`--data=${data}`]);
    children.push(second.child);
    const q = await signedHttps(second.base, { ca, merchant }, 'GET', '/v1/orders/TPMAIN-1');
    expect(q.json).toEqual(paid.json);
    const clock = await httpsJson(`${second.base}/test/clock`, {
      method: 'GET',
      ca,
      headers: { authorization: 'Bearer TEST-main-admin' },
    });
    expect(clock.status).toBe(200);
  }, 90_000);
});
