import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { caPaths, loadOrCreateCa } from './ca-store';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tollpad-ca-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadOrCreateCa', () => {
  it('makes a CA on first start with a 0600 key, and reuses it on the second', async () => {
    const where = join(dir, 'tls');
    const first = await loadOrCreateCa(where, { commonName: 'TEST station CA' });
    expect((await stat(caPaths(where).key)).mode & 0o777).toBe(0o600);
    const second = await loadOrCreateCa(where, { commonName: 'TEST station CA' });
    expect(second).toEqual(first);
  });

  it('tightens a key file found readable by others', async () => {
    await loadOrCreateCa(dir, { commonName: 'TEST station CA' });
    await chmod(caPaths(dir).key, 0o644);
    await loadOrCreateCa(dir, { commonName: 'TEST station CA' });
    expect((await stat(caPaths(dir).key)).mode & 0o777).toBe(0o600);
  });
});
