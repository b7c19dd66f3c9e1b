import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, TEST_PASSWORD, TEST_USERS } from '../testing/harness';
import { OTHER_TERMINAL } from '../testing/other-collector';
import { collectorHandheld, plainVehicle } from '../testing/plain-vehicle';
import { SimHandheld } from '../testing/sim-handheld';
import { storedRecords } from '../testing/stored-rows';
import { DIALECTS } from '../testing/test-db';
import { configureWorld, TEST_WORLD } from '../testing/world';

/** 系统配置 through the API: every change audited with before → after, bad input changes nothing. */
for (const dialect of DIALECTS) {
  describe(`${dialect}: 系统配置`, () => {
    let h: Harness;
    let serial = 7100;

    beforeAll(async () => {
      h = await startHarness(dialect);
      await configureWorld(h);
    });
    afterAll(async () => h?.close());

    const admin = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) =>
      h.call(method, url, { token: h.tokens.admin, ...(body === undefined ? {} : { body }) });
    const lanes = async () =>
      (await admin('GET', '/config/lanes')).json() as {
        id: string;
        handheldEnabled: boolean;
        changedBy: { id: string; name: string } | null;
      }[];
    const audit = async (target: string) =>
      (
        (await admin('GET', '/audit?limit=1000')).json() as {
          action: string;
          target: string;
          detail: string;
        }[]
      )
        .filter((e) => e.target === target)
        .map((e) => ({ action: e.action, detail: JSON.parse(e.detail) as Record<string, unknown> }));
    const lanePath = (id: string) => `/config/lanes/${id}/handheld`;

    it('refuses to disable the last enabled lane, and changes nothing', async () => {
      const before = await audit(TEST_WORLD.laneId);
      const r = await admin('PUT', lanePath(TEST_WORLD.laneId), { enabled: false });
      expect(r.statusCode).toBe(409);
      expect(r.json().code).toBe('STN_ERR_CONFIG_LAST_LANE');
      expect(r.json().message).toMatch(/唯一启用/);
      expect((await lanes()).find((l) => l.id === TEST_WORLD.laneId)?.handheldEnabled).toBe(true);
      expect(await audit(TEST_WORLD.laneId)).toEqual(before);
    });

    it('enables 出口2 and says who did it, audited before → after; a monitor may not', async () => {
      const byMonitor = await h.call('PUT', lanePath(TEST_WORLD.disabledLaneId), {
        token: h.tokens.monitor,
        body: { enabled: true },
      });
      expect(byMonitor.json().code).toBe('STN_ERR_AUTH_FORBIDDEN');
      const r = await admin('PUT', lanePath(TEST_WORLD.disabledLaneId), { enabled: true });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ handheldEnabled: true, openTxns: [] });
      const listed = (await lanes()).find((l) => l.id === TEST_WORLD.disabledLaneId);
      expect(listed?.changedBy?.name).toBe('测试admin');
      const entries = await audit(TEST_WORLD.disabledLaneId);
      expect(entries.at(-1)).toMatchObject({
        action: 'config.lane.enable',
        detail: { before: { enabled: false }, after: { enabled: true } },
      });
      const forCollector = await h.call('GET', '/config/lanes?enabled=true', { token: h.tokens.collector });
      expect(forCollector.json().map((l: { id: string }) => l.id)).toContain(TEST_WORLD.disabledLaneId);
    });

    it('disables a lane with a transaction open on it: that one finishes, no new one starts', async () => {
      const hh = collectorHandheld(h);
      let openTxns: unknown;
      const done = await hh.runExit(plainVehicle(h, serial++), {
        afterFee: async (txn) => {
          const r = await admin('PUT', lanePath(TEST_WORLD.laneId), { enabled: false });
          expect(r.statusCode).toBe(200);
          openTxns = r.json().openTxns;
          expect(openTxns).toEqual([txn.id]);
        },
      });
      expect(done.tradeId).toBeTruthy();
      expect(await storedRecords(h, { txnId: done.txnId })).toHaveLength(1);
      await expect(hh.runExit(plainVehicle(h, serial++))).rejects.toThrow(/STN_ERR_CONFIG_LANE_DISABLED/);
      const entry = (await audit(TEST_WORLD.laneId)).at(-1);
      expect(entry?.detail).toMatchObject({ after: { enabled: false }, openTxns });
      await admin('PUT', lanePath(TEST_WORLD.laneId), { enabled: true });
    });

    it('refuses a PSAM bound to another handheld, binds and unbinds with an audit', async () => {
      const reg = await admin('PUT', `/config/terminals/${OTHER_TERMINAL.id}`, {
        psamTerminalNo: OTHER_TERMINAL.psam,
        description: 'TEST 2',
      });
      expect(reg.statusCode).toBe(200);
      const taken = await admin('PUT', `/config/terminals/${OTHER_TERMINAL.id}/psam`, {
        psamTerminalNo: TEST_WORLD.psam.toLowerCase(),
      });
      expect(taken.statusCode).toBe(409);
      expect(taken.json().code).toBe('STN_ERR_CONFIG_PSAM_BOUND');
      expect(taken.json().detail).toContain(TEST_WORLD.terminalId);
      const viaPut = await admin('PUT', `/config/terminals/${OTHER_TERMINAL.id}`, {
        psamTerminalNo: TEST_WORLD.psam,
      });
      expect(viaPut.json().code).toBe('STN_ERR_CONFIG_PSAM_BOUND');
      const list = (await admin('GET', '/config/terminals')).json() as {
        id: string;
        psamTerminalNo: string | null;
      }[];
      expect(list.find((t) => t.id === OTHER_TERMINAL.id)?.psamTerminalNo).toBe(OTHER_TERMINAL.psam);

      const unbound = await admin('DELETE', `/config/terminals/${OTHER_TERMINAL.id}/psam`);
      expect(unbound.json().psamTerminalNo).toBeNull();
      // An unbound handheld cannot start a transaction.
      const { token } = await h.station.services.auth.login(
        TEST_USERS.collector,
        TEST_PASSWORD,
        OTHER_TERMINAL.id,
      );
      const hh = new SimHandheld(h.http, token, TEST_WORLD.laneId, OTHER_TERMINAL.psam, () => h.clock.now);
      await expect(hh.runExit(plainVehicle(h, serial++))).rejects.toThrow(/STN_ERR_CONFIG_PSAM_UNBOUND/);
      const bound = await admin('PUT', `/config/terminals/${OTHER_TERMINAL.id}/psam`, {
        psamTerminalNo: OTHER_TERMINAL.psam,
      });
      expect(bound.json().psamTerminalNo).toBe(OTHER_TERMINAL.psam);
      expect((await audit(OTHER_TERMINAL.id)).map((e) => e.action)).toEqual([
        'config.terminal',
        'config.terminal.unbind',
        'config.terminal.bind',
      ]);
      expect((await audit(OTHER_TERMINAL.id))[1]?.detail).toMatchObject({
        before: { psam: OTHER_TERMINAL.psam },
        after: { psam: null },
      });
    });

    it('refuses an account name that exists and weak passwords, creating nothing', async () => {
      const count = async () => ((await admin('GET', '/accounts')).json() as unknown[]).length;
      const n = await count();
      const exists = await admin('POST', '/accounts', {
        username: TEST_USERS.collector,
        displayName: '重名',
        role: 'collector',
        password: 'good-Passw0rd',
      });
      expect(exists.json().code).toBe('STN_ERR_ACCOUNT_EXISTS');
      for (const password of ['short1', '12345678', 'abcdefghij', 'cfg-weak-user', 'Password']) {
        const weak = await admin('POST', '/accounts', {
          username: 'cfg-weak-user',
          displayName: '弱密码',
          role: 'collector',
          password,
        });
        expect([password, weak.statusCode, weak.json().code]).toEqual([
          password,
          400,
          'STN_ERR_ACCOUNT_WEAK_PASSWORD',
        ]);
      }
      expect(await count()).toBe(n);
    });

    it('changes a role and resets a password (ending the sessions), audited; guards the last admin', async () => {
      const created = await admin('POST', '/accounts', {
        username: 'cfg-user',
        displayName: '配置测试',
        role: 'collector',
        password: 'cfg-user-TEST',
      });
      const id = created.json().id as string;
      const role = await admin('PUT', `/accounts/${id}/role`, { role: 'monitor' });
      expect(role.json().role).toBe('monitor');
      const { token } = await h.station.services.auth.login('cfg-user', 'cfg-user-TEST', null);
      const weak = await admin('POST', `/accounts/${id}/password`, { password: 'cfg-user' });
      expect(weak.json().code).toBe('STN_ERR_ACCOUNT_WEAK_PASSWORD');
      expect((await h.call('GET', '/auth/me', { token })).statusCode).toBe(200);
      const reset = await admin('POST', `/accounts/${id}/password`, { password: 'new-cfg-TEST-2' });
      expect(reset.statusCode).toBe(200);
      expect((await h.call('GET', '/auth/me', { token })).json().code).toBe('STN_ERR_AUTH_REQUIRED');
      await expect(h.station.services.auth.login('cfg-user', 'cfg-user-TEST', null)).rejects.toThrow();
      await h.station.services.auth.login('cfg-user', 'new-cfg-TEST-2', null);
      const entries = await audit(id);
      expect(entries.map((e) => e.action)).toEqual(
        expect.arrayContaining(['account.create', 'account.role', 'account.password']),
      );
      expect(entries.find((e) => e.action === 'account.role')?.detail).toMatchObject({
        before: { role: 'collector' },
        after: { role: 'monitor' },
      });
      expect(JSON.stringify(entries)).not.toContain('new-cfg-TEST-2');

      const self = (await h.call('GET', '/auth/me', { token: h.tokens.admin })).json().id as string;
      const selfDisable = await admin('PUT', `/accounts/${self}/disabled`, { disabled: true });
      expect(selfDisable.json().code).toBe('STN_ERR_ACCOUNT_SELF');
      // cfg-user, made an admin, demotes test-admin: cfg-user is then the only enabled admin, whom no one
      // may disable or demote.
      await admin('PUT', `/accounts/${id}/role`, { role: 'admin' });
      const second = (await h.station.services.auth.login('cfg-user', 'new-cfg-TEST-2', null)).token;
      const demoteFirst = await h.call('PUT', `/accounts/${self}/role`, {
        token: second,
        body: { role: 'collector' },
      });
      expect(demoteFirst.statusCode).toBe(200);
      const demoteLast = await h.call('PUT', `/accounts/${id}/role`, {
        token: h.tokens.admin,
        body: { role: 'collector' },
      });
      expect(demoteLast.json().code).toBe('STN_ERR_AUTH_FORBIDDEN');
      const disableLast = await h.station.services.auth
        .setDisabled(id, true, 'another-admin')
        .catch((e: { code?: string }) => e.code);
      expect(disableLast).toBe('STN_ERR_ACCOUNT_LAST_ADMIN');
      const demoteByService = await h.station.services.auth
        .setRole(id, 'monitor', 'another-admin')
        .catch((e: { code?: string }) => e.code);
      expect(demoteByService).toBe('STN_ERR_ACCOUNT_LAST_ADMIN');
      await h.call('PUT', `/accounts/${self}/role`, { token: second, body: { role: 'admin' } });
    });

    it('lets a monitor list and unlock collectors only; a collector sees no configuration', async () => {
      const listed = (await h.call('GET', '/accounts', { token: h.tokens.monitor })).json() as {
        role: string;
      }[];
      expect(listed.length).toBeGreaterThan(0);
      expect(new Set(listed.map((a) => a.role))).toEqual(new Set(['collector']));
      for (const url of ['/accounts', '/config/terminals', '/audit']) {
        const r = await h.call('GET', url, { token: h.tokens.collector });
        expect([url, r.statusCode, r.json().code]).toEqual([url, 403, 'STN_ERR_AUTH_FORBIDDEN']);
      }
    });
  });
}
