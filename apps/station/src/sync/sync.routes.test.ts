import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, TEST_USERS } from '../testing/harness';
import { DIALECTS } from '../testing/test-db';
import type { SyncStatus } from './reference-sync';
import { registerSyncRoutes, type SyncInForce } from './sync.routes';

/** A stand-in for the reference sync (TEST): the next run succeeds with a new tariff, or fails. */
function fakeSync(now: () => Date) {
  const inForce: SyncInForce = { tariff: 'TEST-1', lists: { card: 'C1' }, listsLoadedAt: 'TEST' };
  const status: SyncStatus = {
    lastRunAt: null,
    lastSuccessAt: null,
    swaps: 0,
    tariff: { version: 'TEST-1', source: 'local', error: null },
    lists: { card: { version: 'C1', source: 'local', error: null } },
  };
  const next = { fail: false };
  return {
    inForce,
    next,
    sync: {
      status,
      async syncOnce(): Promise<boolean> {
        const at = now().toISOString();
        status.lastRunAt = at;
        if (next.fail) {
          status.tariff.error = { code: 'SYNC_CENTRE_UNREACHABLE', reason: '/tariffs/current: TEST', at };
          return false;
        }
        status.tariff = { version: 'TEST-2', source: 'centre', error: null };
        inForce.tariff = 'TEST-2';
        status.lastSuccessAt = at;
        status.swaps++;
        return true;
      },
    },
  };
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: the manual sync (POST /sync/run) is audited`, () => {
    let h: Harness;
    let fake: ReturnType<typeof fakeSync>;

    beforeAll(async () => {
      h = await startHarness(dialect);
      fake = fakeSync(() => h.clock.now);
      registerSyncRoutes(h.station.app, fake.sync, () => ({ ...fake.inForce }), h.station.services.audit);
    });
    afterAll(async () => h?.close());

    const syncAudit = async () =>
      (
        (await h.call('GET', '/audit?limit=1000', { token: h.tokens.admin })).json() as {
          at: string;
          actor: string;
          action: string;
          target: string;
          detail: string;
        }[]
      )
        .filter((e) => e.action === 'sync.run')
        .map((e) => ({ ...e, detail: JSON.parse(e.detail) as Record<string, unknown> }));
    const adminId = async () =>
      (
        (await h.call('GET', '/accounts', { token: h.tokens.admin })).json() as {
          id: string;
          username: string;
        }[]
      ).find((a) => a.username === TEST_USERS.admin)?.id;

    it('records who ran it, when, the result and the versions before → after', async () => {
      const r = await h.call('POST', '/sync/run', { token: h.tokens.admin });
      expect(r.statusCode).toBe(200);
      expect(r.json().inForce.tariff).toBe('TEST-2');
      const [entry, ...more] = await syncAudit();
      expect(more).toEqual([]);
      expect(entry).toMatchObject({
        actor: await adminId(),
        target: 'centre',
        at: h.clock.now.toISOString(),
      });
      expect(entry?.detail).toEqual({
        result: 'ok',
        swapped: true,
        before: { tariff: 'TEST-1', lists: { card: 'C1' }, listsLoadedAt: 'TEST' },
        after: { tariff: 'TEST-2', lists: { card: 'C1' }, listsLoadedAt: 'TEST' },
      });
    });

    it('records a failed run with what failed, nothing changed', async () => {
      fake.next.fail = true;
      h.clock.now = new Date(h.clock.now.getTime() + 60_000);
      const r = await h.call('POST', '/sync/run', { token: h.tokens.admin });
      expect(r.statusCode).toBe(200);
      expect(r.json().tariff.error.code).toBe('SYNC_CENTRE_UNREACHABLE');
      const entry = (await syncAudit()).at(-1);
      expect(entry?.at).toBe(h.clock.now.toISOString());
      expect(entry?.detail).toMatchObject({
        result: 'failed',
        swapped: false,
        errors: [{ part: 'tariff', code: 'SYNC_CENTRE_UNREACHABLE' }],
      });
      expect(entry?.detail.before).toEqual(entry?.detail.after);
    });

    it('a monitor may not run it, and nothing is audited', async () => {
      const before = (await syncAudit()).length;
      const r = await h.call('POST', '/sync/run', { token: h.tokens.monitor });
      expect(r.statusCode).toBe(403);
      expect(r.json().code).toBe('STN_ERR_AUTH_FORBIDDEN');
      expect(await syncAudit()).toHaveLength(before);
    });
  });
}
