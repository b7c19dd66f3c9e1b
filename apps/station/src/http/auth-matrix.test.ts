import { beijingCompact } from '@tollpad/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../services/auth.service';
import { type Harness, startHarness, TEST_PASSWORD, TEST_USERS } from '../testing/harness';
import { OTHER_TERMINAL, otherCollector } from '../testing/other-collector';
import { collectorHandheld, plainVehicle } from '../testing/plain-vehicle';
import { DIALECTS } from '../testing/test-db';
import { configureWorld, TEST_WORLD } from '../testing/world';

/**
 * Every route × every role × no session, generated from the live route table: a new route is covered
 * the moment it is registered. Authorisation runs in onRequest, before validation, so the probe body
 * does not matter for the 401/403 answers.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect}: auth matrix`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(dialect);
    });
    afterAll(async () => h?.close());

    it('covers a non-trivial route table', () => {
      expect(h.station.routeTable.filter((r) => r.access !== 'public').length).toBeGreaterThan(5);
    });

    it('answers every route correctly for every role and for no session', async () => {
      const failures: string[] = [];
      for (const route of h.station.routeTable) {
        const url = route.url.replace(/:[A-Za-z]+/g, 'x').replace('*', 'x');
        const method = route.method as 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
        const anon = await h.call(method, url, { body: method === 'GET' ? undefined : {} });
        if (route.access === 'public') {
          if (anon.statusCode === 401 || anon.statusCode === 403)
            failures.push(`${method} ${url} public → ${anon.statusCode}`);
          continue;
        }
        if (anon.statusCode !== 401 || anon.json().code !== 'STN_ERR_AUTH_REQUIRED') {
          failures.push(`${method} ${url} anon → ${anon.statusCode}`);
        }
        for (const role of ROLES) {
          // A fresh session per probe: some routes (logout) consume it.
          const { token } = await h.station.services.auth.login(
            TEST_USERS[role],
            TEST_PASSWORD,
            'HH-TEST-01',
          );
          const r = await h.call(method, url, { token, body: method === 'GET' ? undefined : {} });
          const allowed = route.access.includes(role);
          if (allowed && (r.statusCode === 401 || r.statusCode === 403)) {
            failures.push(`${method} ${url} ${role} (allowed) → ${r.statusCode}`);
          }
          if (!allowed && (r.statusCode !== 403 || r.json().code !== 'STN_ERR_AUTH_FORBIDDEN')) {
            failures.push(`${method} ${url} ${role} (forbidden) → ${r.statusCode}`);
          }
        }
      }
      expect(failures).toEqual([]);
    });
  });
}

/**
 * The ownership axis: every route that names one transaction (or its record), called on collector A's by
 * A, by A's account from another handheld, by collector B (another handheld and shift), by a monitor and an
 * admin. Generated from the route table: a new route under a transaction's path is probed the moment it is
 * registered (and fails until it has a probe body); a new parameterised path must be classified below.
 */
const TRANSACTION_PATHS = [/^\/exits\/:id(\/|$)/, /^\/records\/:tradeId(\/|$)/];
/** Parameterised paths that name no transaction: station resources, shifts (their own owner check), photos. */
const NOT_A_TRANSACTION = [
  /^\/accounts\/:id\//,
  /^\/config\//,
  /^\/shifts\/:id\//,
  /^\/images\/:sha256/,
  // A payment's refunds: monitors' and admins' only (the role axis above), no collector owns them.
  /^\/payments\/:payId\//,
  // A plate's arrears: the centre's book, no transaction's (the role axis above).
  /^\/arrears\/:plate$/,
  // A payback (补缴) is opened only from a centre's open entries: its ownership probe is its own, against a real
  // centre (tests/e2e/arrears-payback.test.ts: another collector and A elsewhere refused on every route).
  /^\/arrears-paybacks\/:id(\/|$)/,
];

for (const dialect of DIALECTS) {
  describe(`${dialect}: ownership matrix`, () => {
    let h: Harness;

    beforeAll(async () => {
      h = await startHarness(dialect);
    });
    afterAll(async () => h?.close());

    it("answers every transaction route for A, A elsewhere, B, a monitor and an admin on A's transaction", async () => {
      await configureWorld(h);
      const a = collectorHandheld(h);
      const done = await a.runExit(plainVehicle(h, 401));
      const pending = await a.runExit(plainVehicle(h, 402), { commit: false });
      const b = await otherCollector(h);
      const login = async (user: string, terminal: string | null) =>
        (await h.station.services.auth.login(user, TEST_PASSWORD, terminal)).token;
      const elsewhere = await login(TEST_USERS.collector, OTHER_TERMINAL.id);

      // What each route is probed with: valid requests, so the answer is the service's, not validation's.
      const forged = { ...pending.commitBody, tac: '0BADF00D' };
      const probes: Record<string, { query?: string; body?: unknown }> = {
        'GET /exits/:id': {},
        'GET /exits/:id/authorisation': { query: 'waitMs=0' },
        'POST /exits/:id/image': { body: { plate: '京B99999', plateColour: 0, photoSha256: a.photoSha } },
        'POST /exits/:id/fee': { body: { vehicleClass: 2, vehicleKind: 0 } },
        'POST /exits/:id/authorisation': { body: { approve: true, reason: 'TEST' } },
        'POST /exits/:id/debit-intent': {
          body: {
            cardId: (await h.station.services.exits.get(pending.txnId)).card_no,
            cardAtc: pending.commitBody.cardTransNo,
            amount: pending.fee,
            psamTerminalNo: TEST_WORLD.psam,
            terminalTransNo: pending.commitBody.terminalTransNo,
            datetime: beijingCompact(h.clock.now),
          },
        },
        'GET /exits/:id/payment': { query: 'waitMs=0' },
        'POST /exits/:id/payment/stop': {},
        'POST /exits/:id/payment/attempts': { body: { mode: 'dynamic' } },
        'POST /exits/:id/commit': { body: forged },
        'POST /exits/:id/recover': { body: { outcome: 'debited', commit: forged } },
        'POST /exits/:id/cancel': { body: { reason: 'TEST' } },
        // 【通行路径】: the exit's path and a photo ref (not on its path: the owner gets 404, a stranger 403).
        'GET /exits/:id/path': {},
        'GET /exits/:id/path/photos/:ref': {},
        'GET /exits/:id/green-inspection': {},
        'POST /exits/:id/green-inspection': {
          body: { cargo: ['V01'], result: 'pass', photos: [a.photoSha] },
        },
        'GET /records/:tradeId': {},
        'POST /records/:tradeId/corrections': { body: { reason: 'TEST', plate: '京B99999', plateColour: 0 } },
        'POST /records/:tradeId/receipts': { body: { kind: 'reprint' } },
      };

      const failures: string[] = [];
      const routes = h.station.routeTable.filter((r) => r.url.includes(':'));
      for (const r of routes) {
        const isTxn = TRANSACTION_PATHS.some((p) => p.test(r.url));
        if (!isTxn && !NOT_A_TRANSACTION.some((p) => p.test(r.url)))
          failures.push(`${r.method} ${r.url}: classify it (transaction or not)`);
        if (isTxn && !probes[`${r.method} ${r.url}`])
          failures.push(`${r.method} ${r.url}: no ownership probe`);
      }
      const txnRoutes = routes.filter((r) => probes[`${r.method} ${r.url}`]);
      const call = (r: (typeof routes)[number], token: string) => {
        const p = probes[`${r.method} ${r.url}`] ?? {};
        const url = r.url
          .replace(':id', pending.txnId)
          .replace(':tradeId', done.tradeId)
          .replace(':ref', `c-${'0'.repeat(64)}`);
        return h.call(r.method as 'GET' | 'POST', p.query ? `${url}?${p.query}` : url, {
          token,
          ...(p.body === undefined ? {} : { body: p.body }),
        });
      };
      const collectors = (r: (typeof routes)[number]) =>
        r.access !== 'public' && r.access.includes('collector');

      const db = h.station.services.db.db;
      const state = async () => ({
        txn: await db.selectFrom('exit_txns').selectAll().where('id', '=', pending.txnId).executeTakeFirst(),
        records: await db.selectFrom('exit_records').select('trade_id').orderBy('trade_id').execute(),
      });
      const before = await state();
      for (const r of txnRoutes.filter(collectors)) {
        for (const [who, token] of [
          ['B', b.token],
          ['A elsewhere', elsewhere],
        ] as const) {
          const res = await call(r, token);
          if (res.statusCode !== 403 || res.json().code !== 'STN_ERR_EXIT_NOT_YOURS')
            failures.push(`${r.method} ${r.url} ${who} → ${res.statusCode} ${res.json().code}`);
        }
      }
      // Nothing the strangers sent changed A's transaction or the records, and A's genuine proof commits.
      expect(await state()).toEqual(before);
      const genuine = await h.call('POST', `/exits/${pending.txnId}/commit`, {
        token: h.tokens.collector,
        body: pending.commitBody,
      });
      expect(genuine.statusCode).toBe(201);

      for (const r of txnRoutes) {
        for (const role of ROLES) {
          if (r.access === 'public' || !r.access.includes(role)) continue; // the role axis above
          const res = await call(
            r,
            role === 'collector' ? h.tokens.collector : await login(TEST_USERS[role], null),
          );
          if (res.statusCode === 403) failures.push(`${r.method} ${r.url} ${role} (owner/station) → 403`);
        }
      }
      expect(failures).toEqual([]);
    });
  });
}

/**
 * The shift axis: every route under a shift that a collector may call, called on collector A's open shift by
 * collector B (another handheld and shift) and by A's account from another handheld. B is refused with
 * STN_ERR_AUTH_FORBIDDEN and changes nothing; A's account is the shift's owner wherever it logs in (a
 * hand-over from a replacement handheld). Generated from the route table: a new shift route fails until probed.
 */
const SHIFT_PATH = /^\/shifts\/:id\//;

for (const dialect of DIALECTS) {
  describe(`${dialect}: shift ownership matrix`, () => {
    let h: Harness;

    beforeAll(async () => {
      h = await startHarness(dialect);
    });
    afterAll(async () => h?.close());

    it("refuses collector B every route of A's shift; A's shift stays open and not handed over", async () => {
      await configureWorld(h);
      const a = collectorHandheld(h);
      await a.runExit(plainVehicle(h, 403));
      const shiftA = (await h.call('GET', '/shifts/current', { token: h.tokens.collector })).json()
        .id as string;
      const b = await otherCollector(h);
      const probes: Record<string, { body?: unknown }> = {
        'POST /shifts/:id/close': {},
        'GET /shifts/:id/report': {},
        'GET /shifts/:id/report.html': {},
        'GET /shifts/:id/handover': {},
        'POST /shifts/:id/handover': { body: { cashCounted: 0, remark: 'TEST' } },
        'GET /shifts/:id/records': {},
      };
      const failures: string[] = [];
      const routes = h.station.routeTable.filter(
        (r) => SHIFT_PATH.test(r.url) && r.access !== 'public' && r.access.includes('collector'),
      );
      expect(routes.length).toBeGreaterThan(3);
      const db = h.station.services.db.db;
      const state = async () => ({
        shift: await db.selectFrom('shifts').selectAll().where('id', '=', shiftA).executeTakeFirst(),
        handovers: await db.selectFrom('shift_handovers').selectAll().execute(),
      });
      const before = await state();
      for (const r of routes) {
        const p = probes[`${r.method} ${r.url}`];
        if (!p) {
          failures.push(`${r.method} ${r.url}: no shift ownership probe`);
          continue;
        }
        const res = await h.call(r.method as 'GET' | 'POST', r.url.replace(':id', shiftA), {
          token: b.token,
          ...(p.body === undefined ? {} : { body: p.body }),
        });
        if (res.statusCode !== 403 || res.json().code !== 'STN_ERR_AUTH_FORBIDDEN')
          failures.push(`${r.method} ${r.url} B → ${res.statusCode} ${res.body.slice(0, 80)}`);
      }
      expect(failures).toEqual([]);
      expect(await state()).toEqual(before);
      // A's own reads answer (A's account, the shift's owner).
      for (const path of ['report', 'handover', 'records']) {
        const own = await h.call('GET', `/shifts/${shiftA}/${path}`, { token: h.tokens.collector });
        expect(own.statusCode, `${path} ${own.body.slice(0, 80)}`).toBe(200);
      }
    });
  });
}
