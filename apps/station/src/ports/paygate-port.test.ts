import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createIntent, openAttempt, type PaymentPort, runPayment } from '@tollpad/payment';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signResponse } from '../../../paygate/src/signing/signature';
import { startTestPaygate, type TestPaygate } from '../testing/paygate';
import { paygatePort } from './paygate-port';

/** The station's port against the reference platform over HTTPS (TEST merchant, TEST codes). */
describe('paygate port', () => {
  let pg: TestPaygate;
  let port: PaymentPort;
  let serial = 100;
  const payBody = (authCode: string, amountFen = 1500) => {
    const payId = `TP0101AB01012026120610${String(serial++).padStart(6, '0')}`;
    return {
      outTradeNo: `${payId}-1`,
      payId,
      amountFen,
      authCode,
      channel: 'WECHAT' as const,
      subject: 'TEST',
    };
  };

  beforeAll(async () => {
    pg = await startTestPaygate();
    port = paygatePort(pg.port);
  });
  afterAll(async () => {
    await pg?.close();
  });

  it('pays a code at once and the query agrees', async () => {
    const r = payBody(pg.code());
    const paid = await port.payByCode(r);
    expect(paid).toMatchObject({
      kind: 'paid',
      outTradeNo: r.outTradeNo,
      amountFen: 1500,
      channel: 'WECHAT',
    });
    expect(await port.query(r.outTradeNo)).toMatchObject({ kind: 'paid', refundedFen: 0 });
  });

  it('password wait: user-paying, then paying, then paid on the second query', async () => {
    const r = payBody(pg.code('0002'));
    expect(await port.payByCode(r)).toMatchObject({ kind: 'user-paying' });
    expect((await port.query(r.outTradeNo)).kind).toBe('paying');
    expect((await port.query(r.outTradeNo)).kind).toBe('paid');
  });

  it('an answer lost after capture is unknown; the query finds the one capture', async () => {
    const r = payBody(pg.code());
    await pg.fault({ kind: 'lost-after-capture', authCode: r.authCode, times: 1 });
    expect(await port.payByCode(r)).toMatchObject({ kind: 'unknown' });
    expect(await port.query(r.outTradeNo)).toMatchObject({ kind: 'paid', amountFen: 1500 });
  });

  it('a 500 after capture is unknown, never a decline', async () => {
    const r = payBody(pg.code());
    await pg.fault({ kind: 'system-error-after-capture', authCode: r.authCode, times: 1 });
    expect(await port.payByCode(r)).toEqual({ kind: 'unknown', reason: 'system-error' });
  });

  it('declines insufficient funds and a foreign code; an unknown order is not-found', async () => {
    expect(await port.payByCode(payBody(pg.code('0004')))).toMatchObject({
      kind: 'declined',
      reason: 'insufficient',
    });
    const foreign = payBody(pg.code());
    await pg.fault({ kind: 'code-foreign', authCode: foreign.authCode });
    expect(await port.payByCode(foreign)).toMatchObject({ kind: 'declined', reason: 'code-invalid' });
    expect(await port.query(`${payBody('x').payId}-1`)).toMatchObject({ kind: 'not-found' });
  });

  it('an answer not signed with our key (a wrong key, a stranger) counts as no answer', async () => {
    const stranger = paygatePort({ ...pg.port, merchantKey: 'TEST-not-the-merchant-key-0123456789abcdef' });
    const r = payBody(pg.code());
    expect(await stranger.payByCode(r)).toEqual({ kind: 'unknown', reason: 'unreadable' });
    // Nothing was taken by the refused request.
    expect(await port.query(r.outTradeNo)).toMatchObject({ kind: 'not-found' });
  });

  it('reverse is too early within 15 s, then reverses a paid order in full', async () => {
    const r = payBody(pg.code());
    expect((await port.payByCode(r)).kind).toBe('paid');
    expect(await port.reverse(r.outTradeNo)).toMatchObject({ kind: 'too-early' });
    pg.h.clock.freeze(new Date(pg.h.clock.now().getTime() + 20_000));
    expect(await port.reverse(r.outTradeNo)).toMatchObject({ kind: 'reversed', amountFen: 1500 });
  });

  it('主扫: a code to show, not paid until the driver pays', async () => {
    const r = payBody('');
    const created = await port.createDynamicCode({ ...r, expiresInSeconds: 120 });
    expect(created).toMatchObject({ kind: 'created', outTradeNo: r.outTradeNo });
    expect((await port.query(r.outTradeNo)).kind).toBe('not-paid');
  });

  it('a number the platform refused as another terminal’s: queried not-found, the cancel finds no order and ends it (cancelled, not pending forever)', async () => {
    const intent = createIntent({
      laneHex: '3700010201',
      exitTradeId: `G9001370010020201001020261206100${String(serial++).padStart(5, '0')}`,
      amountFen: 1500,
      now: new Date(),
    });
    if (!intent.ok) throw new Error(intent.error.message);
    const opened = openAttempt({
      intent: intent.value,
      attempt: 1,
      amountFen: 1500,
      mode: 'code',
      channel: 'WECHAT',
      authCode: pg.code(),
      subject: 'TEST',
    });
    if (!opened.ok) throw new Error(opened.error.message);
    await pg.fault({ kind: 'duplicate-out-trade-no', authCode: opened.value.authCode, times: 1 });
    // The runner's own clock: its sleeps (the 15 s before a cancel) pass at once.
    let at = Date.now();
    const outcome = await runPayment(opened.value, {
      port,
      now: () => new Date(at),
      sleep: async (ms) => {
        at += ms;
      },
      persist: async () => {},
    });
    expect(outcome.kind).toBe('cancelled');
    expect(outcome.record.paid).toBeNull();
    // Nothing was ever held under the number.
    expect(await port.query(opened.value.outTradeNo)).toMatchObject({ kind: 'not-found' });
  });

  it('a pay request arriving after the cancel of its never-created number is refused and never captures', async () => {
    const r = payBody(pg.code());
    // The station gave up: its query found nothing, its cancel finds no order (closed).
    expect(await port.query(r.outTradeNo)).toMatchObject({ kind: 'not-found' });
    expect(await port.reverse(r.outTradeNo)).toEqual({ kind: 'closed', outTradeNo: r.outTradeNo });
    // The original request lands late: the number is closed, so no money is taken.
    expect(await port.payByCode(r)).toEqual({ kind: 'out-trade-no-used', outTradeNo: r.outTradeNo });
    expect(await port.query(r.outTradeNo)).toMatchObject({ kind: 'not-found' });
    // And the cancel stays closed when sent again (the durable outbox may resend it).
    expect(await port.reverse(r.outTradeNo)).toEqual({ kind: 'closed', outTradeNo: r.outTradeNo });
  });

  it('a signed answer for another pay ID is not ours: unknown, and the attempt is never taken as paid', async () => {
    const first = payBody(pg.code());
    expect((await port.payByCode(first)).kind).toBe('paid');
    const firstOrder = (await pg.h.signed('GET', `/v1/orders/${first.outTradeNo}`)).body;
    // A confused platform: answers every request with that other payment's order, signed as its answer.
    const confusedPlatform = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const nonce = String(req.headers['x-paygate-nonce']);
        const signature = signResponse(pg.h.merchant.key, pg.h.merchant.id, nonce, 200, firstOrder);
        res.writeHead(200, { 'content-type': 'application/json', 'x-paygate-signature': signature });
        res.end(firstOrder);
      });
    });
    await new Promise<void>((resolve) => confusedPlatform.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(confusedPlatform.address() as AddressInfo).port}`;
      const confused = paygatePort({ ...pg.port, url, ca: undefined });
      const second = payBody(pg.code());
      expect(await confused.payByCode(second)).toEqual({ kind: 'unknown', reason: 'unreadable' });
      expect(await confused.query(second.outTradeNo)).toEqual({ kind: 'unknown', reason: 'unreadable' });

      // Through the runner: the attempt stays unresolved (barrier down), never succeeded on another's money.
      const intent = createIntent({
        laneHex: '3700010201',
        exitTradeId: `G9001370010020201001020261206100${String(serial++).padStart(5, '0')}`,
        amountFen: 1500,
        now: new Date(),
      });
      if (!intent.ok) throw new Error(intent.error.message);
      const opened = openAttempt({
        intent: intent.value,
        attempt: 1,
        amountFen: 1500,
        mode: 'code',
        channel: 'WECHAT',
        authCode: pg.code(),
        subject: 'TEST',
      });
      if (!opened.ok) throw new Error(opened.error.message);
      const outcome = await runPayment(opened.value, {
        port: confused,
        now: () => new Date(),
        sleep: async () => {},
        persist: async () => {},
      });
      expect(outcome.kind).toBe('pending');
      expect(outcome.record.paid).toBeNull();
    } finally {
      confusedPlatform.close();
    }
  });
});
