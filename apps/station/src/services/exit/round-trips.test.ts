import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../testing/harness';
import { collectorHandheld, plainVehicle } from '../../testing/plain-vehicle';
import type { SimHandheld } from '../../testing/sim-handheld';
import { DIALECTS } from '../../testing/test-db';
import { configureWorld } from '../../testing/world';

/**
 * Statements the exit path sends to the database per exit (【读卡】, image, 【算费】, debit intent,
 * 【提交数据】): on PostgreSQL each is a round trip on the station's one thread, a large share of its CPU
 * per exit. The ceilings are today's counts, so a new statement on the exit path shows up here. The audit
 * chain's appender runs beside the exits in batches of its own (audit-appender.ts): left out.
 * 10: the commit claims the record's card trade (one card debit, one record — etc-debit.ts claimCardTrade).
 */
const DATA_STATEMENTS = 10;
/** PostgreSQL: the data statements plus BEGIN and COMMIT of the debit intent's and the commit's transactions. */
const POSTGRES_ROUND_TRIPS = 14;

/** A statement of the audit chain's appender (the audited steps only insert into audit_pending). */
const chainsAudit = (sql: string) =>
  /"audit_(log|chained|head)"/.test(sql) || /^(select|delete) .*from "audit_pending"/i.test(sql);
const controls = (sql: string) => /^(begin|commit|rollback|savepoint|release)\b/i.test(sql.trim());

type Seen = { sql: string; connection: object };

/** Records the statements sent to the engine while `run` runs, with the connection each went to. */
async function statementsOf(dialect: 'sqlite' | 'postgres', run: () => Promise<void>): Promise<Seen[]> {
  const seen: Seen[] = [];
  const restore: (() => void)[] = [];
  const wrap = (owner: object, key: string, text: (self: object, arg: unknown) => string) => {
    const o = owner as Record<string, unknown>;
    const original = o[key] as (...a: unknown[]) => unknown;
    o[key] = function (this: object, ...a: unknown[]) {
      seen.push({ sql: text(this, a[0]), connection: this });
      return original.apply(this, a);
    };
    restore.push(() => {
      o[key] = original;
    });
  };
  if (dialect === 'postgres') {
    wrap(pg.Client.prototype, 'query', (_, q) =>
      typeof q === 'string' ? q : String((q as { text?: string }).text),
    );
  } else {
    // Kysely's statements run as cached prepared statements, its transactions' control through exec.
    const probe = new BetterSqlite3(':memory:');
    const statement = Object.getPrototypeOf(probe.prepare('SELECT 1')) as object;
    probe.close();
    const source = (self: object) => (self as { source: string }).source;
    for (const key of ['run', 'all', 'get']) wrap(statement, key, source);
    wrap(BetterSqlite3.prototype, 'exec', (_, s) => String(s));
  }
  try {
    await run();
  } finally {
    for (const r of restore) r();
  }
  return seen;
}

/** PostgreSQL: each connection's transactions that chained the audit log, control statements included, left out. */
function exitPathOf(seen: Seen[]): Seen[] {
  const out: Seen[] = [];
  const open = new Map<object, Seen[]>();
  for (const s of seen) {
    const group = open.get(s.connection);
    if (/^begin\b/i.test(s.sql)) open.set(s.connection, [s]);
    else if (group) {
      group.push(s);
      if (/^(commit|rollback)\b/i.test(s.sql)) {
        open.delete(s.connection);
        if (!group.some((g) => chainsAudit(g.sql))) out.push(...group);
      }
    } else if (!chainsAudit(s.sql)) out.push(s);
  }
  return out;
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: statements per exit`, () => {
    let h: Harness;
    let hh: SimHandheld;
    let serial = 700;
    const exits = 4;
    let seen: Seen[] = [];

    beforeAll(async () => {
      h = await startHarness(dialect);
      await configureWorld(h);
      hh = collectorHandheld(h);
      await hh.runExit(plainVehicle(h, serial++)); // warm: the photo uploaded, the open shift read
      seen = await statementsOf(dialect, async () => {
        for (let i = 0; i < exits; i++) await hh.runExit(plainVehicle(h, serial++));
      });
    });
    afterAll(async () => h?.close());

    const listing = (s: Seen[]) => s.map((x) => x.sql).join('\n');

    it(`sends at most ${DATA_STATEMENTS} data statements per exit, none re-reading a row or the open shift`, () => {
      const data = seen.filter((s) => !controls(s.sql) && !chainsAudit(s.sql));
      expect(data.length / exits, listing(data)).toBeLessThanOrEqual(DATA_STATEMENTS);
      expect(data.filter((s) => /^select .*from "(shifts|exit_txns)"/.test(s.sql))).toEqual([]);
    });

    if (dialect === 'postgres') {
      it(`makes at most ${POSTGRES_ROUND_TRIPS} round trips per exit`, () => {
        const path = exitPathOf(seen);
        expect(path.length / exits, listing(path)).toBeLessThanOrEqual(POSTGRES_ROUND_TRIPS);
      });
    }
  });
}
