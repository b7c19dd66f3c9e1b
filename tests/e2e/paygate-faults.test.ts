import type { PaymentStatus } from '@tollpad/station-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  atStation,
  debitPending,
  type ExitRun,
  exitWith,
  type FaultWorld,
  follow,
  giveUp,
  payByCode,
  payByShownCode,
  payCashInstead,
  refusal,
  STATION_PAYGATE_TIMEOUT_MS,
  startFaultWorld,
} from './paygate-faults-world';

/** payments.md §1: the national payType of a WeChat-channel payment and of cash. */
const PAY_TYPE_WECHAT = 7;
const PAY_TYPE_ALIPAY = 6;
const PAY_TYPE_CASH = 1;

type Settled = 'qr-paid' | 'cash-paid' | 'unpaid';

interface Case {
  name: string;
  /** Also on PostgreSQL (the cases whose durable steps differ by engine: capture, record, restart). */
  pg: boolean;
  run(
    w: FaultWorld,
    n: number,
    settle: (run: ExitRun, payId: string, kind: Settled, payType?: number) => Promise<void>,
  ): Promise<void>;
}

/**
 * Issue #21: every fault of the reference payment platform, over the real processes (centre, station, lane
 * simulator, paygate), each a TEST CPC vehicle driven through the station's HTTP exit (【读卡】, image, 【算费】,
 * the QR payment followed by long poll, the exit written, 【提交数据】) with the fault switched on through the
 * paygate's TEST control API. Both sides are asked at the end of each: exactly one capture at the platform and
 * one record at the station for a paid vehicle, none of either for an unpaid one, nothing left pending.
 */
const CASES: Case[] = [
  {
    name: 'password then paid: the collector reads 请顾客在手机上输入支付密码 while the station polls; commit only once paid',
    pg: true,
    async run(w, n, settle) {
      const code = w.paygate.code();
      await w.paygate.fault({ kind: 'password', authCode: code, polls: 2, outcome: 'paid' });
      let payId = '';
      const run = await exitWith(w, n, async (txnId, amount) => {
        const intent = await payByCode(w.hh, txnId, amount, code);
        const waiting = await follow(w.hh, txnId, { done: (s) => s.phase === 'user-paying' });
        expect(waiting.last).toMatchObject({ phase: 'user-paying', final: false, pending: false });
        expect(waiting.last.message).toBe('请顾客在手机上输入支付密码');
        // The barrier stays down: no record while the payer types.
        expect(
          await refusal(
            w.hh.call('POST', `/exits/${txnId}/commit`, { tradeId: intent.tradeId, cardWrite: 'written' }),
          ),
        ).toMatchObject({ status: 409, code: 'STN_ERR_PAY_NOT_SUCCEEDED' });
        const end = await follow(w.hh, txnId, { since: waiting.last.version });
        expect(end.last).toMatchObject({ phase: 'succeeded', final: true, channel: 'WECHAT', attempt: 1 });
        payId = end.last.payId;
        return { tradeId: intent.tradeId };
      });
      await settle(run, payId, 'qr-paid');
    },
  },
  {
    name: 'password then abandoned: the attempt ends failed (the platform closed it), the vehicle leaves unpaid',
    pg: false,
    async run(w, n, settle) {
      const code = w.paygate.code();
      await w.paygate.fault({ kind: 'password', authCode: code, polls: 1, outcome: 'abandon' });
      let payId = '';
      const run = await exitWith(w, n, async (txnId, amount) => {
        await payByCode(w.hh, txnId, amount, code);
        const end = await follow(w.hh, txnId);
        expect(end.seen.map((s) => s.message)).toContain('请顾客在手机上输入支付密码');
        expect(end.last).toMatchObject({ phase: 'failed', final: true });
        expect(end.last.message).toContain('支付未成功');
        payId = end.last.payId;
        expect((await w.paygate.orders(payId)).map((o) => [o.state, o.failure?.code])).toEqual([
          ['CLOSED', 'PGW_ERR_PAY_ABANDONED'],
        ]);
        await giveUp(w.hh, txnId);
        return null;
      });
      await settle(run, payId, 'unpaid');
    },
  },
  {
    name: 'insufficient funds: declined with its stable reason, another code under the same pay ID pays once',
    pg: true,
    async run(w, n, settle) {
      const first = w.paygate.code();
      const second = w.paygate.code();
      await w.paygate.fault({ kind: 'insufficient', authCode: first });
      let payId = '';
      const run = await exitWith(w, n, async (txnId, amount) => {
        const intent = await payByCode(w.hh, txnId, amount, first);
        const declined = await follow(w.hh, txnId);
        expect(declined.last).toMatchObject({ phase: 'failed', final: true, reason: 'insufficient' });
        const again = await w.hh.call<PaymentStatus>('POST', `/exits/${txnId}/payment/attempts`, {
          mode: 'code',
          authCode: second,
        });
        expect(again.payId).toBe(declined.last.payId);
        const end = await follow(w.hh, txnId, { since: declined.last.version });
        expect(end.last).toMatchObject({ phase: 'succeeded', attempt: 2, payId: declined.last.payId });
        payId = end.last.payId;
        expect((await w.paygate.orders(payId)).map((o) => [o.state, o.failure?.code ?? null])).toEqual([
          ['PAYERROR', 'PGW_ERR_PAY_INSUFFICIENT'],
          ['SUCCESS', null],
        ]);
        return { tradeId: intent.tradeId };
      });
      await settle(run, payId, 'qr-paid');
    },
  },
  {
    name: 'expired code (the platform clock moved past its TTL): declined code-invalid, then cash with change',
    pg: false,
    async run(w, n, settle) {
      const code = await w.paygate.mintedCode();
      await w.paygate.advanceClock(61); // PAYGATE_CODE_TTL_SECONDS 60
      let payId = '';
      const run = await exitWith(w, n, async (txnId, amount) => {
        await payByCode(w.hh, txnId, amount, code);
        const end = await follow(w.hh, txnId);
        expect(end.last).toMatchObject({ phase: 'failed', final: true, reason: 'code-invalid' });
        payId = end.last.payId;
        expect((await w.paygate.orders(payId)).map((o) => o.failure?.code)).toEqual(['PGW_ERR_CODE_EXPIRED']);
        const cash = await payCashInstead(w.hh, txnId, amount, amount + 5_000);
        expect(cash.payment).toMatchObject({ method: 'cash', phase: 'succeeded', cash: { change: 5_000 } });
        return { tradeId: cash.tradeId };
      });
      await settle(run, payId, 'cash-paid');
    },
  },
  {
    name: 'foreign code: one no channel owns is refused before anything is sent; one the platform does not know is declined',
    pg: false,
    async run(w, n, settle) {
      const code = w.paygate.code();
      await w.paygate.fault({ kind: 'code-foreign', authCode: code });
      let payId = '';
      const run = await exitWith(w, n, async (txnId, amount) => {
        // Cut short by the scanner: digits no channel could own.
        expect(await refusal(payByCode(w.hh, txnId, amount, '134512345678'))).toMatchObject({
          status: 422,
          code: 'STN_ERR_PAY_CODE_INVALID',
        });
        await payByCode(w.hh, txnId, amount, code);
        const end = await follow(w.hh, txnId);
        expect(end.last).toMatchObject({ phase: 'failed', final: true, reason: 'code-invalid', attempt: 1 });
        payId = end.last.payId;
        // One order under the pay ID: the refused code was never sent.
        expect((await w.paygate.orders(payId)).map((o) => o.failure?.code)).toEqual([
          'PGW_ERR_CODE_UNRECOGNISED',
        ]);
        await giveUp(w.hh, txnId);
        return null;
      });
      await settle(run, payId, 'unpaid');
    },
  },
  {
    name: '主扫 with the driver’s faults: one wallet declined (insufficient) leaves the code open, another asks for the password and pays',
    pg: false,
    async run(w, n, settle) {
      const poor = w.paygate.code();
      const typing = w.paygate.code();
      await w.paygate.fault({ kind: 'insufficient', authCode: poor });
      await w.paygate.fault({ kind: 'password', authCode: typing, polls: 1, outcome: 'paid' });
      let payId = '';
      const run = await exitWith(w, n, async (txnId, amount) => {
        const intent = await payByShownCode(w.hh, txnId, amount);
        const shown = await follow(w.hh, txnId, { done: (s) => s.codeUrl !== null });
        expect(shown.last).toMatchObject({ mode: 'dynamic', phase: 'user-paying', final: false });
        expect(shown.last.message).toBe('请顾客用手机扫描屏幕上的二维码并确认支付');
        const codeUrl = shown.last.codeUrl ?? '';
        expect(await w.paygate.driverPays(codeUrl, 'ALIPAY', poor)).toMatchObject({
          state: 'NOTPAY',
          declined: { code: 'PGW_ERR_PAY_INSUFFICIENT' },
        });
        expect(await w.paygate.driverPays(codeUrl, 'ALIPAY', typing)).toMatchObject({ state: 'USERPAYING' });
        const end = await follow(w.hh, txnId, { since: shown.last.version });
        expect(end.last).toMatchObject({ phase: 'succeeded', final: true, channel: 'ALIPAY', attempt: 1 });
        payId = end.last.payId;
        return { tradeId: intent.tradeId };
      });
      await settle(run, payId, 'qr-paid', PAY_TYPE_ALIPAY);
    },
  },
  {
    name: 'slow answer past the station’s timeout: the outcome is unknown, the query finds the capture',
    pg: false,
    async run(w, n, settle) {
      const code = w.paygate.code();
      await w.paygate.fault({ kind: 'delay', authCode: code, delayMs: STATION_PAYGATE_TIMEOUT_MS + 2_000 });
      let payId = '';
      const run = await exitWith(w, n, async (txnId, amount) => {
        const intent = await payByCode(w.hh, txnId, amount, code);
        const end = await follow(w.hh, txnId);
        // The pay answer never came in time: settled by a query, not by the late answer.
        expect(end.last).toMatchObject({ phase: 'succeeded', final: true, reason: 'timeout' });
        payId = end.last.payId;
        return { tradeId: intent.tradeId };
      });
      await settle(run, payId, 'qr-paid');
    },
  },
  {
    name: 'answer lost after capture: queried, one payment and one record; a resent intent and a replayed commit charge nothing more',
    pg: true,
    async run(w, n, settle) {
      const code = w.paygate.code();
      await w.paygate.fault({ kind: 'lost-after-capture', authCode: code });
      let payId = '';
      const run = await exitWith(w, n, async (txnId, amount) => {
        const intent = await payByCode(w.hh, txnId, amount, code);
        const end = await follow(w.hh, txnId);
        expect(end.last).toMatchObject({ phase: 'succeeded', final: true, attempt: 1 });
        payId = end.last.payId;
        // The handheld lost the station's answer too and sends the intent again: the same payment.
        const resent = await payByCode(w.hh, txnId, amount, code);
        expect(resent.tradeId).toBe(intent.tradeId);
        expect(resent.payment).toMatchObject({ payId, attempt: 1, phase: 'succeeded' });
        return { tradeId: intent.tradeId };
      });
      const replay = await w.hh.call<{ replayed: boolean }>('POST', `/exits/${run.txnId}/commit`, {
        tradeId: run.out?.tradeId,
        cardWrite: 'written',
      });
      expect(replay.replayed).toBe(true);
      await settle(run, payId, 'qr-paid');
    },
  },
  {
    name: 'outage (503): declined service-down with nothing taken, the driver pays cash',
    pg: false,
    async run(w, n, settle) {
      const code = w.paygate.code();
      await w.paygate.fault({ kind: 'outage-503', authCode: code });
      let payId = '';
      const run = await exitWith(w, n, async (txnId, amount) => {
        await payByCode(w.hh, txnId, amount, code);
        const end = await follow(w.hh, txnId);
        expect(end.last).toMatchObject({ phase: 'failed', final: true, reason: 'service-down' });
        expect(end.last.message).toContain('改用现金');
        payId = end.last.payId;
        expect(await w.paygate.orders(payId)).toEqual([]);
        const cash = await payCashInstead(w.hh, txnId, amount, amount);
        return { tradeId: cash.tradeId };
      });
      await settle(run, payId, 'cash-paid');
    },
  },
  {
    name: 'no order behind the number — connection reset or answer lost before capture, another terminal’s out-trade-no: unknown, queried, cancelled after the window; another code pays once',
    pg: false,
    async run(w, n, settle) {
      // Three vehicles at once: each waits out the station's 15 s before a cancel (payments.md §5).
      await Promise.all(
        (['outage-reset', 'lost-before-capture', 'duplicate-out-trade-no'] as const).map(async (kind, i) => {
          const first = w.paygate.code();
          const second = w.paygate.code();
          await w.paygate.fault({ kind, authCode: first });
          let payId = '';
          const run = await exitWith(w, n + i * 1_000, async (txnId, amount) => {
            const intent = await payByCode(w.hh, txnId, amount, first);
            const ended = await follow(w.hh, txnId);
            // Never taken as paid, never left pending: the platform's "no such order" ends it.
            expect(ended.last).toMatchObject({ phase: 'cancelled', final: true, attempt: 1 });
            expect(ended.seen.map((s) => s.phase)).not.toContain('succeeded');
            await w.hh.call('POST', `/exits/${txnId}/payment/attempts`, { mode: 'code', authCode: second });
            const end = await follow(w.hh, txnId, { since: ended.last.version });
            expect(end.last).toMatchObject({ phase: 'succeeded', attempt: 2 });
            payId = end.last.payId;
            expect((await w.paygate.orders(payId)).map((o) => [o.outTradeNo, o.state])).toEqual([
              [`${payId}-2`, 'SUCCESS'],
            ]);
            return { tradeId: intent.tradeId };
          });
          await settle(run, payId, 'qr-paid');
        }),
      );
    },
  },
  {
    name: 'station SIGKILLed with two payments in flight (one payer typing the password, one pay request unanswered): the restarted station resumes and resolves both',
    pg: true,
    async run(w, n, settle) {
      const typing = w.paygate.code();
      const inFlight = w.paygate.code();
      await w.paygate.fault({ kind: 'password', authCode: typing, polls: 2, outcome: 'paid' });
      // The platform captures at once but answers only long after the kill.
      await w.paygate.fault({ kind: 'delay', authCode: inFlight, delayMs: 30_000 });
      let typingSeen!: () => void;
      const typingWaits = new Promise<void>((r) => {
        typingSeen = r;
      });
      let restarted!: () => void;
      const afterRestart = new Promise<void>((r) => {
        restarted = r;
      });
      const payIds = ['', ''];
      const [a, b] = await Promise.all([
        exitWith(w, n, async (txnId, amount) => {
          const intent = await payByCode(w.hh, txnId, amount, typing);
          const waiting = await follow(w.hh, txnId, { done: (s) => s.phase === 'user-paying' });
          expect(waiting.last.message).toBe('请顾客在手机上输入支付密码');
          typingSeen();
          await afterRestart;
          const end = await follow(w.hh, txnId);
          expect(end.last).toMatchObject({ phase: 'succeeded', final: true, attempt: 1 });
          payIds[0] = end.last.payId;
          return { tradeId: intent.tradeId };
        }),
        exitWith(w, n + 1_000, async (txnId, amount) => {
          await typingWaits;
          const intent = await payByCode(w.hh, txnId, amount, inFlight);
          // Persisted as sent: the pay request is out and its answer is 30 s away.
          const sent = await follow(w.hh, txnId, { done: (s) => s.phase === 'submitted' });
          expect(sent.last).toMatchObject({ phase: 'submitted', final: false });
          // 'submitted' is persisted before the request leaves: kill only once the platform has captured it
          // (on a busy machine the kill could otherwise come first, and the payment rightly ends cancelled).
          const deadline = Date.now() + 10_000;
          while ((await w.paygate.captures(sent.last.payId)).length === 0) {
            if (Date.now() > deadline) throw new Error('the platform never received the pay request');
            await new Promise((r) => setTimeout(r, 100));
          }
          await w.sys.restartStation(); // SIGKILL: no orderly shutdown, the payments' rows are all that is left
          restarted();
          const end = await follow(w.hh, txnId);
          expect(end.last).toMatchObject({ phase: 'succeeded', final: true, attempt: 1 });
          payIds[1] = end.last.payId;
          return { tradeId: intent.tradeId };
        }),
      ]);
      await settle(a, payIds[0] ?? '', 'qr-paid');
      await settle(b, payIds[1] ?? '', 'qr-paid');
    },
  },
];

describe.each(['sqlite', 'postgres'] as const)(
  'e2e: every paygate fault, real processes (station on %s)',
  (engine) => {
    let w: FaultWorld;
    const payIds: string[] = [];
    let vehicles = engine === 'sqlite' ? 0 : 100;

    beforeAll(async () => {
      w = await startFaultWorld(engine);
    }, 120_000);
    afterAll(async () => {
      await w?.close();
    });

    /** Both sides agree on the vehicle: the platform's captures, the station's records and the exit's state. */
    async function settle(
      run: ExitRun,
      payId: string,
      kind: Settled,
      payType = PAY_TYPE_WECHAT,
    ): Promise<void> {
      payIds.push(payId);
      const station = await atStation(w, run);
      const captures = await w.paygate.captures(payId);
      if (kind === 'unpaid') {
        expect(run.out).toBeNull();
        expect(station).toMatchObject({ state: 'cancelled', records: [] });
        expect(captures).toEqual([]);
        return;
      }
      if (!run.out) throw new Error(`not paid: ${run.lines.join('\n')}`);
      expect(run.out.cardWrite).toBe('written');
      expect(station.state).toBe('committed');
      expect(station.records.map((r) => r.tradeId)).toEqual([run.out.tradeId]);
      if (kind === 'qr-paid') {
        expect(captures.map((c) => c.amount)).toEqual([run.out.fee]);
        expect(run.out.record).toMatchObject({ payType, mediaNo: run.spec.cpcId });
      } else {
        expect(captures).toEqual([]);
        expect(run.out.record).toMatchObject({ payType: PAY_TYPE_CASH, mediaNo: run.spec.cpcId });
      }
    }

    for (const c of CASES.filter((x) => engine === 'sqlite' || x.pg)) {
      it(c.name, () => c.run(w, ++vehicles, settle), 90_000);
    }

    it('at the end nothing is pending: no exit between intent and record, no attempt open at the platform', async () => {
      expect(await debitPending(w)).toEqual([]);
      for (const payId of payIds) {
        const open = (await w.paygate.orders(payId)).filter(
          (o) => o.state === 'NOTPAY' || o.state === 'USERPAYING',
        );
        expect(open).toEqual([]);
      }
    });
  },
);
