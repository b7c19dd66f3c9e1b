import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenedDatabase, openDatabase } from '../db/database';
import { RecordsRepository } from '../repositories/records.repository';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../testing/test-db';
import type { UploadOutcome } from './centre-uploader';
import { OutboxRelay } from './outbox-relay';

// TEST lanes and trade IDs (lane ID + YYYYMMDDHH + 6-digit serial).
const LANE_A = 'G00223700100302010910';
const LANE_B = 'G00223700100302010920';
const tid = (lane: string, serial: number) => `${lane}2026112308${String(serial).padStart(6, '0')}`;

const FAST = { baseMs: 5, maxMs: 40 };

describe.each(DIALECTS)('outbox relay on %s', (dialect) => {
  let tdb: TestDatabase;
  let db: OpenedDatabase;
  let repo: RecordsRepository;

  beforeAll(async () => {
    tdb = await createTestDatabase(dialect);
    db = await openDatabase({ databaseUrl: tdb.databaseUrl, dataDir: tdb.dataDir });
    repo = new RecordsRepository(db.db);
  });
  afterAll(async () => {
    await db.close();
    await tdb.drop();
  });

  async function enqueue(keys: string[]) {
    for (const k of keys) {
      await repo.insertOutbox({
        id: `ob-${k}`,
        topic: 'exit-record',
        idempotency_key: k,
        payload: JSON.stringify({ id: k }),
        created_at: new Date().toISOString(),
      });
    }
  }

  it('uploads every row once, in trade-ID order per lane, through failures', async () => {
    const keys = [1, 2, 3, 4, 5, 6].flatMap((n) => [tid(LANE_A, n), tid(LANE_B, n)]);
    await enqueue([...keys].reverse()); // written out of order
    const acked: string[] = [];
    let failures = 0;
    const relay = new OutboxRelay({
      db: db.db,
      backoff: FAST,
      pollMs: 20,
      upload: async (key): Promise<UploadOutcome> => {
        // Every third attempt fails, and the first attempts of lane A's third record fail twice.
        if (failures < 2 && key === tid(LANE_A, 3)) {
          failures++;
          return { kind: 'retry', reason: 'HTTP 500' };
        }
        acked.push(key);
        return { kind: 'acked', replayed: false, tacStatus: 'verified' };
      },
    });
    relay.start();
    expect(await relay.waitIdle(10_000)).toBe(true);
    await relay.stop();
    expect(acked.sort()).toEqual([...keys].sort());
    expect(new Set(acked).size).toBe(keys.length);
    for (const lane of [LANE_A, LANE_B]) {
      const order = acked.filter((k) => k.startsWith(lane));
      expect(order).toEqual([...order].sort());
    }
    expect(await relay.store.statusOf(tid(LANE_A, 3))).toEqual({ status: 'acked', attempts: 3 });
    expect(relay.status.retried).toBe(2);
  });

  it('keeps later rows of a lane behind a head that must wait', async () => {
    await enqueue([tid(LANE_A, 10), tid(LANE_A, 11)]);
    const seen: string[] = [];
    const relay = new OutboxRelay({
      db: db.db,
      backoff: { baseMs: 60_000, maxMs: 60_000 },
      pollMs: 20,
      upload: async (key) => {
        seen.push(key);
        return { kind: 'retry', reason: 'network: ECONNRESET' };
      },
    });
    relay.start();
    await new Promise((r) => setTimeout(r, 200));
    await relay.stop();
    expect(seen).toEqual([tid(LANE_A, 10)]); // tried once, then backing off; 11 never overtakes it
    // State survives a restart: a new relay with a working centre resumes only once the backoff ends.
    const later = new OutboxRelay({
      db: db.db,
      now: () => new Date(Date.now() + 61_000),
      pollMs: 20,
      upload: async (key) => {
        seen.push(key);
        return { kind: 'acked', replayed: key === tid(LANE_A, 10), tacStatus: 'verified' };
      },
    });
    later.start();
    expect(await later.waitIdle(5_000)).toBe(true);
    await later.stop();
    expect(seen).toEqual([tid(LANE_A, 10), tid(LANE_A, 10), tid(LANE_A, 11)]);
    expect(later.status.replayed).toBe(1);
    expect(await later.store.statusOf(tid(LANE_A, 10))).toEqual({ status: 'acked', attempts: 2 });
  });

  it('marks a refused record rejected with its code, goes on, and can send it again', async () => {
    await enqueue([tid(LANE_B, 20), tid(LANE_B, 21)]);
    let refuse = true;
    const relay = new OutboxRelay({
      db: db.db,
      backoff: FAST,
      pollMs: 20,
      upload: async (key): Promise<UploadOutcome> =>
        refuse && key === tid(LANE_B, 20)
          ? { kind: 'rejected', code: 'CTR_ERR_RECORD_TAC_MISMATCH', detail: 'TAC 校验失败' }
          : { kind: 'acked', replayed: false, tacStatus: 'verified' },
    });
    relay.start();
    expect(await relay.waitIdle(5_000)).toBe(true);
    expect(await relay.store.statusOf(tid(LANE_B, 20))).toEqual({ status: 'rejected', attempts: 1 });
    expect(await relay.store.statusOf(tid(LANE_B, 21))).toMatchObject({ status: 'acked' });
    expect(await relay.store.rejectedByCode()).toEqual([{ code: 'CTR_ERR_RECORD_TAC_MISMATCH', count: 1 }]);
    const [rej] = await relay.store.rejected(10);
    expect(rej).toMatchObject({ tradeId: tid(LANE_B, 20), detail: 'TAC 校验失败' });
    refuse = false;
    expect(await relay.store.requeue(tid(LANE_B, 20), new Date().toISOString())).toBe(true);
    expect(await relay.store.requeue(tid(LANE_B, 21), new Date().toISOString())).toBe(false);
    relay.wake();
    expect(await relay.waitIdle(5_000)).toBe(true);
    await relay.stop();
    expect(await relay.store.statusOf(tid(LANE_B, 20))).toEqual({ status: 'acked', attempts: 2 });
    expect(await relay.store.rejectedByCode()).toEqual([]);
  });

  it('holds a record while an earlier trade ID of its lane is debited but not yet committed', async () => {
    const now = new Date().toISOString();
    await db.db
      .insertInto('exit_txns')
      .values({
        id: 'txn-TEST-pending',
        state: 'debit_pending',
        lane_id: LANE_A,
        terminal_id: 'HH-TEST-01',
        shift_id: 's',
        collector_id: 'c',
        card_no: '99010000000000000001',
        read_json: '{}',
        checks_json: '{}',
        auth_status: 'none',
        trade_id: tid(LANE_A, 30),
        created_at: now,
        updated_at: now,
      })
      .execute();
    await enqueue([tid(LANE_A, 31), tid(LANE_B, 31)]);
    const sent: string[] = [];
    const relay = new OutboxRelay({
      db: db.db,
      pollMs: 20,
      upload: async (key) => {
        sent.push(key);
        return { kind: 'acked', replayed: false, tacStatus: 'verified' };
      },
    });
    relay.start();
    for (let i = 0; i < 100 && !sent.includes(tid(LANE_B, 31)); i++)
      await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 100));
    expect(sent).toEqual([tid(LANE_B, 31)]); // the other lane is not held
    // Serial 30 commits (state and outbox row in one transaction, as the exit service does).
    await db.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('exit_txns')
        .set({ state: 'committed' })
        .where('id', '=', 'txn-TEST-pending')
        .execute();
      await repo.insertOutbox(
        {
          id: `ob-${tid(LANE_A, 30)}`,
          topic: 'exit-record',
          idempotency_key: tid(LANE_A, 30),
          payload: '{}',
          created_at: new Date().toISOString(),
        },
        trx,
      );
    });
    relay.wake();
    expect(await relay.waitIdle(5_000)).toBe(true);
    await relay.stop();
    expect(sent).toEqual([tid(LANE_B, 31), tid(LANE_A, 30), tid(LANE_A, 31)]);
  });
});
