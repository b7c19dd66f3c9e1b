import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Commit, LoginResult } from '@tollpad/station-api';
import { formatTariffFile, generateProvince, lookupMinFee } from '@tollpad/tariff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenedDatabase, openDatabase } from './db/database';
import { DEMO_TERMINAL } from './seed';
import { type HttpCall, type Json, SimHandheld } from './testing/sim-handheld';
import { createTestDatabase, DIALECTS, type TestDatabase } from './testing/test-db';
import { TEST_WORLD, testReference } from './testing/world';

/**
 * Crash safety: the real server runs as a child process (tsx); it is SIGKILLed while many commits are in
 * flight, restarted on the same database, and every commit that was acknowledged must be there exactly
 * once, with its outbox row, and the database consistent (records ↔ outbox ↔ transaction states ↔ audit).
 */
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
/** SQLite gets two kill cycles; PostgreSQL one (each restart costs seconds of tsx start-up on 2 cores). */
const CYCLES: Record<string, number> = { sqlite: 2, postgres: 1 };
const PER_CYCLE = 24;
const FEE95 = (() => {
  const r = lookupMinFee(testReference().tariff.tables, TEST_WORLD.entryStationHex, TEST_WORLD.stationId, 1);
  if (!r.ok || !r.value.reachable) throw new Error('TEST tariff');
  return r.value.fee95;
})();

interface Child {
  proc: ChildProcess;
  port: number;
}

function startChild(env: Record<string, string>): Promise<Child> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: {
        ...process.env,
        ...env,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        STATION_KDF: 'test',
        STATION_TLS: 'off',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`station did not start: ${buf.slice(-500)}`)), 45_000);
    proc.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /"event":"ready"[^\n]*"port":(\d+)/.exec(buf);
      if (m) {
        clearTimeout(timer);
        proc.stdout?.removeAllListeners('data');
        proc.stdout?.resume();
        resolve({ proc, port: Number(m[1]) });
      }
    });
    proc.stderr?.on('data', (d: Buffer) => {
      buf += d.toString();
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`station exited (${code}): ${buf.slice(-500)}`));
    });
  });
}

function kill(c: Child): Promise<void> {
  return new Promise((resolve) => {
    if (c.proc.exitCode !== null || c.proc.signalCode !== null) return resolve();
    c.proc.once('exit', () => resolve());
    c.proc.kill('SIGKILL');
  });
}

function httpTo(port: () => number): HttpCall {
  return async (method, url, body, headers = {}) => {
    const isBuf = Buffer.isBuffer(body);
    const res = await fetch(`http://127.0.0.1:${port()}${url}`, {
      method,
      headers: {
        ...(body !== undefined && !isBuf ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: isBuf ? new Uint8Array(body) : JSON.stringify(body) }),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
    };
  };
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: crash safety (SIGKILL during commits)`, () => {
    let t: TestDatabase;
    let child: Child | undefined;
    let env: Record<string, string>;

    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      const dir = mkdtempSync(join(tmpdir(), 'tollpad-crash-'));
      const tariffFile = join(dir, 'tariff.jsonl');
      // The same SYNTHETIC TEST province as testing/world.ts, so TEST_WORLD's lane exists.
      writeFileSync(
        tariffFile,
        formatTariffFile(generateProvince({ roads: 2, stationsPerRoad: 4 }), 'SYNTHETIC TEST DATA'),
      );
      env = {
        DATA_DIR: t.dataDir,
        TARIFF_FILE: tariffFile,
        STATION_SEED: 'demo',
        ...(t.databaseUrl ? { DATABASE_URL: t.databaseUrl } : {}),
      };
    });
    afterAll(async () => {
      if (child) await kill(child);
      await t?.drop();
    });

    it('keeps every acknowledged commit exactly once across kills and restarts', async () => {
      let tt = Date.now();
      const lap = (what: string) => {
        if (process.env.CRASH_DEBUG) console.log(what, Date.now() - tt);
        tt = Date.now();
      };
      child = await startChild(env);
      lap('start');
      const http = httpTo(() => child?.port ?? 0);
      const login = await http('POST', '/auth/login', {
        username: 'demo-collector',
        password: 'demo-collector-TEST',
        terminalId: DEMO_TERMINAL.id,
      });
      const token = (login.body as LoginResult).token ?? '';
      const admin =
        (
          (await http('POST', '/auth/login', { username: 'demo-admin', password: 'demo-admin-TEST' }))
            .body as LoginResult
        ).token ?? '';
      expect((await http('POST', '/shifts', undefined, { authorization: `Bearer ${token}` })).status).toBe(
        201,
      );
      const hh = new SimHandheld(http, token, TEST_WORLD.laneId, DEMO_TERMINAL.psamTerminalNo);

      const acked = new Set<string>();
      const all: { txnId: string; body: Commit }[] = [];
      let serial = 90_000;
      for (let cycle = 0; cycle < (CYCLES[dialect] ?? 1); cycle++) {
        const batch: { txnId: string; body: Commit }[] = [];
        for (let i = 0; i < PER_CYCLE; i++) {
          const r = await hh.runExit(
            {
              serial: serial++,
              plate: '鲁A12345',
              colour: 0,
              vehicleClass: 1,
              cardType: 'account',
              balance: 10_000,
              entryStationHex: TEST_WORLD.entryStationHex,
              entryTime: new Date(Date.now() - 3600_000),
              obuDiscountTotal: FEE95,
            },
            { commit: false },
          );
          batch.push({ txnId: r.txnId, body: r.commitBody });
        }
        all.push(...batch);
        lap('prepare');
        // Fire every commit, staggered, and kill the server at a random moment after the first answer.
        let firstAck: () => void = () => {};
        const acknowledged = new Promise<void>((r) => {
          firstAck = r;
        });
        const inflight = batch.map(
          (b, i) =>
            new Promise<void>((resolve) => {
              setTimeout(() => {
                http('POST', `/exits/${b.txnId}/commit`, b.body, { authorization: `Bearer ${token}` })
                  .then((r) => {
                    if (r.status === 200 || r.status === 201) {
                      acked.add(b.body.tradeId);
                      firstAck();
                    }
                  })
                  .catch(() => {})
                  .finally(resolve);
              }, i);
            }),
        );
        await Promise.race([acknowledged, new Promise((r) => setTimeout(r, 5000))]);
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 8)));
        await kill(child);
        await Promise.all(inflight);

        lap(`kill (acked ${acked.size})`);
        child = await startChild(env);
        lap('restart');
        const db = await openDatabase({ databaseUrl: t.databaseUrl, dataDir: t.dataDir });
        try {
          await expectConsistent(db, acked);
        } finally {
          await db.close();
        }
        const verify = await http('GET', '/audit/verify', undefined, { authorization: `Bearer ${admin}` });
        expect((verify.body as Json).ok).toBe(true);
        lap('check');
        // The handhelds retry what was not acknowledged: each ends committed exactly once.
        for (const b of batch) {
          const r = await http('POST', `/exits/${b.txnId}/commit`, b.body, {
            authorization: `Bearer ${token}`,
          });
          expect([200, 201]).toContain(r.status);
          acked.add(b.body.tradeId);
        }
      }
      const db = await openDatabase({ databaseUrl: t.databaseUrl, dataDir: t.dataDir });
      try {
        await expectConsistent(db, acked);
        const n = await db.db
          .selectFrom('exit_records')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        expect(Number(n.n)).toBe(all.length);
      } finally {
        await db.close();
      }
    }, 180_000);
  });
}

async function expectConsistent(db: OpenedDatabase, acked: ReadonlySet<string>): Promise<void> {
  const records = await db.db.selectFrom('exit_records').select(['trade_id', 'txn_id']).execute();
  const outbox = await db.db.selectFrom('outbox').select('idempotency_key').execute();
  const txns = await db.db.selectFrom('exit_txns').select(['id', 'state', 'trade_id']).execute();
  const recordIds = records.map((r) => r.trade_id);
  expect(new Set(recordIds).size).toBe(recordIds.length);
  for (const id of acked) expect(recordIds).toContain(id);
  // Record and outbox row were written in one transaction: the two sets are equal.
  expect(outbox.map((o) => o.idempotency_key).sort()).toEqual([...recordIds].sort());
  const byTxn = new Map(records.map((r) => [r.txn_id, r.trade_id]));
  for (const t of txns) {
    if (t.state === 'committed') expect(byTxn.get(t.id)).toBe(t.trade_id);
    else expect(byTxn.has(t.id)).toBe(false);
  }
}
