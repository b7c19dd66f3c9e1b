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
    it('ends a disabled account’s sessions for good: enabling it again brings none back', async () => {
      const created = await admin('POST', '/accounts', {
        username: 'cfg-off',
        displayName: '停用测试',
        role: 'collector',
        password: 'cfg-off-TEST-1',
      });
      const id = created.json().id as string;
      const { token } = await h.station.services.auth.login('cfg-off', 'cfg-off-TEST-1', null);
      expect((await h.call('GET', '/auth/me', { token })).statusCode).toBe(200);
      expect((await admin('PUT', `/accounts/${id}/disabled`, { disabled: true })).statusCode).toBe(200);
      expect((await admin('PUT', `/accounts/${id}/disabled`, { disabled: false })).statusCode).toBe(200);
      const me = await h.call('GET', '/auth/me', { token });
      expect([me.statusCode, me.json().code]).toEqual([401, 'STN_ERR_AUTH_REQUIRED']);
      const fresh = await h.station.services.auth.login('cfg-off', 'cfg-off-TEST-1', null);
      expect((await h.call('GET', '/auth/me', { token: fresh.token })).statusCode).toBe(200);
      expect((await audit(id)).find((e) => e.action === 'account.disable')?.detail).toMatchObject({
        before: { disabled: false },
        after: { disabled: true },
        sessionsEnded: true,
      });
    });

    it('audits plaza, lane and station changes with before → after', async () => {
      const plaza = `/config/plazas/${TEST_WORLD.plazaId}`;
      expect((await admin('PUT', plaza, { name: '出口广场 (TEST 改)' })).statusCode).toBe(200);
      expect((await audit(TEST_WORLD.plazaId)).at(-1)).toEqual({
        action: 'config.plaza',
        detail: { before: { name: '出口广场 (TEST)' }, after: { name: '出口广场 (TEST 改)' } },
      });
      await admin('PUT', plaza, { name: '出口广场 (TEST)' });

      const hex = `${TEST_WORLD.stationHex}02`;
      const lane = `/config/lanes/${TEST_WORLD.disabledLaneId}`;
      expect((await admin('PUT', lane, { hex, name: '出口2 (改)' })).statusCode).toBe(200);
      expect((await audit(TEST_WORLD.disabledLaneId)).at(-1)).toEqual({
        action: 'config.lane',
        detail: { before: { hex, name: '出口2' }, after: { hex, name: '出口2 (改)' } },
      });
      await admin('PUT', lane, { hex, name: '出口2' });

      const station = {
        stationId: TEST_WORLD.stationId,
        stationHex: TEST_WORLD.stationHex,
        name: TEST_WORLD.stationName,
      };
      expect((await admin('PUT', '/config/station', { ...station, name: '改名站 (TEST)' })).statusCode).toBe(
        200,
      );
      expect((await admin('GET', '/config/station')).json().name).toBe('改名站 (TEST)');
      expect((await audit('station')).at(-1)).toEqual({
        action: 'config.station',
        detail: { before: station, after: { ...station, name: '改名站 (TEST)' } },
      });
      await admin('PUT', '/config/station', station);
    });

    it('switching a lane to the state it is in writes nothing and audits nothing', async () => {
      await admin('POST', '/accounts', {
        username: 'cfg-admin-2',
        displayName: '第二管理员',
        role: 'admin',
        password: 'cfg-admin-2-TEST',
      });
      const { token } = await h.station.services.auth.login('cfg-admin-2', 'cfg-admin-2-TEST', null);
      const before = (await lanes()).find((l) => l.id === TEST_WORLD.laneId);
      expect(before?.handheldEnabled).toBe(true);
      const entries = await audit(TEST_WORLD.laneId);
      h.clock.now = new Date(h.clock.now.getTime() + 60_000);
      const r = await h.call('PUT', lanePath(TEST_WORLD.laneId), { token, body: { enabled: true } });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ handheldEnabled: true, openTxns: [] });
      expect((await lanes()).find((l) => l.id === TEST_WORLD.laneId)).toEqual(before);
      expect(await audit(TEST_WORLD.laneId)).toEqual(entries);
    });

    // Races: the rules hold when the requests that would break them arrive together (on PostgreSQL they
    // run on separate connections).
    const ROUNDS = 4;

    it('concurrent disables of the last two enabled lanes leave one enabled', async () => {
      const pair = [TEST_WORLD.laneId, TEST_WORLD.disabledLaneId];
      const others = (await lanes())
        .filter((l) => l.handheldEnabled && !pair.includes(l.id))
        .map((l) => l.id);
      for (const id of pair) await admin('PUT', lanePath(id), { enabled: true });
      for (const id of others) await admin('PUT', lanePath(id), { enabled: false });
      for (let round = 0; round < ROUNDS; round++) {
        const rs = await Promise.all(pair.map((id) => admin('PUT', lanePath(id), { enabled: false })));
        expect(rs.map((r) => r.statusCode).sort()).toEqual([200, 409]);
        expect(rs.find((r) => r.statusCode === 409)?.json().code).toBe('STN_ERR_CONFIG_LAST_LANE');
        expect((await lanes()).filter((l) => l.handheldEnabled)).toHaveLength(1);
        for (const id of pair) await admin('PUT', lanePath(id), { enabled: true });
      }
      for (const id of others) await admin('PUT', lanePath(id), { enabled: true });
    });

    it('concurrent binds of one PSAM to two handhelds bind it once', async () => {
      const ids = ['HH-TEST-31', 'HH-TEST-32'];
      for (const [i, id] of ids.entries()) {
        await admin('PUT', `/config/terminals/${id}`, {
          psamTerminalNo: `01510001310${i}`,
          description: 'TEST',
        });
        await admin('DELETE', `/config/terminals/${id}/psam`);
      }
      for (let round = 0; round < ROUNDS; round++) {
        const psam = `01510001320${round}`;
        const rs = await Promise.all(
          ids.map((id) => admin('PUT', `/config/terminals/${id}/psam`, { psamTerminalNo: psam })),
        );
        expect(rs.map((r) => r.statusCode).sort()).toEqual([200, 409]);
        expect(rs.find((r) => r.statusCode === 409)?.json().code).toBe('STN_ERR_CONFIG_PSAM_BOUND');
        const list = (await admin('GET', '/config/terminals')).json() as { psamTerminalNo: string | null }[];
        expect(list.filter((t) => t.psamTerminalNo === psam)).toHaveLength(1);
        for (const id of ids) await admin('DELETE', `/config/terminals/${id}/psam`);
      }
    });

    it('creates one account of a name asked for at once; the others hear the name exists', async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const username = `cfg-race-${round}`;
        const rs = await Promise.all(
          Array.from({ length: 4 }, (_, i) =>
            admin('POST', '/accounts', {
              username,
              displayName: `同名${i}`,
              role: 'collector',
              password: 'cfg-race-TEST-1',
            }),
          ),
        );
        expect(rs.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409]);
        expect(rs.filter((r) => r.statusCode === 409).map((r) => r.json().code)).toEqual(
          Array(3).fill('STN_ERR_ACCOUNT_EXISTS'),
        );
        const listed = (await admin('GET', '/accounts')).json() as { username: string }[];
        expect(listed.filter((a) => a.username === username)).toHaveLength(1);
      }
    });

    it('two admins disabling each other at once leave one of them enabled', async () => {
      const auth = h.station.services.auth;
      const make = async (username: string) =>
        (
          await admin('POST', '/accounts', {
            username,
            displayName: username,
            role: 'admin',
            password: `${username}-TEST`,
          })
        ).json().id as string;
      const a = await make('cfg-admin-a');
      const b = await make('cfg-admin-b');
      const others = (await auth.listAccounts())
        .filter((x) => x.role === 'admin' && x.disabled === 0 && x.id !== a && x.id !== b)
        .map((x) => x.id);
      for (const id of others) await auth.setDisabled(id, true, a);
      for (let round = 0; round < ROUNDS; round++) {
        const ta = (await auth.login('cfg-admin-a', 'cfg-admin-a-TEST', null)).token;
        const tb = (await auth.login('cfg-admin-b', 'cfg-admin-b-TEST', null)).token;
        const rs = await Promise.all(
          Array.from({ length: 3 }, () => [
            h.call('PUT', `/accounts/${b}/disabled`, { token: ta, body: { disabled: true } }),
            h.call('PUT', `/accounts/${a}/disabled`, { token: tb, body: { disabled: true } }),
          ]).flat(),
        );
        expect(rs.map((r) => r.statusCode).filter((code) => code >= 500)).toEqual([]);
        const pair = (await auth.listAccounts()).filter((x) => x.id === a || x.id === b);
        expect(pair.filter((x) => x.disabled === 0).length).toBeGreaterThanOrEqual(1);
        for (const x of pair) if (x.disabled) await auth.setDisabled(x.id, false, 'test-setup');
      }
      for (const id of others) await auth.setDisabled(id, false, a);
      h.tokens.admin = (await auth.login(TEST_USERS.admin, TEST_PASSWORD, null)).token;
    });
  });
}
