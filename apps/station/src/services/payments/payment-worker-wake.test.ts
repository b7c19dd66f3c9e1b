import { formatExitTradeId } from '@tollpad/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentRow } from '../../db/schema';
import { paygatePort } from '../../ports/paygate-port';
import type { Executor } from '../../repositories/executor';
import { PaymentsRepository } from '../../repositories/payments.repository';
import { startTestPaygate, type TestPaygate } from '../../testing/paygate';
import { DIALECTS } from '../../testing/test-db';
import { useTestDatabase } from '../../testing/use-test-database';
import { TEST_WORLD } from '../../testing/world';
import { PaymentWorker } from './payment-worker';

/** The repository with one status read held after it has read its rows, until the test lets it answer. */
class HeldRepository extends PaymentsRepository {
  held: { read: () => void; release: Promise<void> } | undefined;

  override async ofTxn(txnId: string, x?: Executor): Promise<PaymentRow[]> {
    const rows = await super.ofTxn(txnId, x);
    const h = this.held;
    if (h) {
      this.held = undefined;
      h.read();
      await h.release;
    }
    return rows;
  }
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: the payment long poll`, () => {
    const db = useTestDatabase(dialect);
    let pg: TestPaygate;
    beforeAll(async () => {
      pg = await startTestPaygate();
    });
    afterAll(async () => {
      await pg?.close();
    });

    it('a change persisted while the wait reads the status still wakes it (not only its timeout)', async () => {
      const repo = new HeldRepository(db.opened.db);
      const w = new PaymentWorker({ repo, port: paygatePort(pg.port), now: () => new Date() });
      const txnId = `TEST-TXN-WAKE-${dialect}`;
      const tradeId = formatExitTradeId({ laneId: TEST_WORLD.laneId, batch: '2026120610', serial: 1 });
      const r = await w.open(
        { txnId, tradeId, laneHex: TEST_WORLD.laneHex, amountFen: 2300, subject: '高速通行费 TEST' },
        { mode: 'code', authCode: pg.code() }, // TEST: pays at once
        db.opened.db,
      );
      const since = (await w.status(txnId))?.version ?? 0;
      let release = () => {};
      const read = new Promise<void>((resolve) => {
        repo.held = { read: resolve, release: new Promise<void>((go) => (release = go)) };
      });
      const waiting = w.wait(txnId, since, 60_000);
      await read; // the wait has read the old status and not yet listened
      w.launch(r.outTradeNo);
      const plain = new PaymentsRepository(db.opened.db);
      while ((await plain.find(r.outTradeNo))?.phase !== 'succeeded')
        await new Promise((s) => setTimeout(s, 20));
      release();
      // Far below the wait's 60 s: the answer comes from the change, not from the timeout.
      const outcome = await Promise.race([
        waiting,
        new Promise<'timed out'>((s) => setTimeout(() => s('timed out'), 10_000)),
      ]);
      expect(outcome).not.toBe('timed out');
      expect(outcome).toMatchObject({ phase: 'succeeded' });
      await w.close();
    }, 30_000);
  });
}
