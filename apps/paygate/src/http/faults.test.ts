import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HEADER, verifyResponse } from '../signing/signature';
import { type Harness, newNonce, startHarness, TEST_ADMIN_TOKEN, testPayId } from '../testing/harness';

describe('faults on demand (inject; the dropped connections are in tls.test.ts)', () => {
  let h: Harness;
  let serial = 600;
  beforeAll(async () => {
    h = await startHarness();
  });
  beforeEach(async () => {
    await h.admin('DELETE', '/test/faults');
  });
  afterAll(async () => h?.close());

  const fault = async (body: object) => {
    const res = await h.admin('POST', '/test/faults', body);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const pay = (authCode: string, o: { merchant?: Harness['other'] } = {}) => {
    const payId = testPayId(serial++);
    return h.signed('POST', '/v1/micropay', { outTradeNo: `${payId}-1`, payId, amount: 800, authCode }, o);
  };
  const poll = (outTradeNo: string) => h.signed('GET', `/v1/orders/${outTradeNo}`);

  it('password then success after N polls (per code)', async () => {
    await fault({ kind: 'password', authCode: '134500000000006001', polls: 3, outcome: 'paid' });
    const order = (await pay('134500000000006001')).json();
    expect(order.state).toBe('USERPAYING');
    expect((await poll(order.outTradeNo)).json().state).toBe('USERPAYING');
    expect((await poll(order.outTradeNo)).json().state).toBe('USERPAYING');
    expect((await poll(order.outTradeNo)).json().state).toBe('SUCCESS');
  });

  it('password then abandon after N polls (per merchant): CLOSED, nothing captured', async () => {
    await fault({ kind: 'password', merchantId: h.merchant.id, polls: 2, outcome: 'abandon' });
    const order = (await pay('134500000000006011')).json();
    await poll(order.outTradeNo);
    const closed = (await poll(order.outTradeNo)).json();
    expect(closed).toMatchObject({
      state: 'CLOSED',
      paidAt: null,
      failure: { code: 'PGW_ERR_PAY_ABANDONED' },
    });
  });

  it('insufficient funds, expired code, foreign code', async () => {
    await fault({ kind: 'insufficient', authCode: '134500000000006021' });
    await fault({ kind: 'code-expired', authCode: '134500000000006031' });
    await fault({ kind: 'code-foreign', authCode: '134500000000006041' });
    expect((await pay('134500000000006021')).json().failure.code).toBe('PGW_ERR_PAY_INSUFFICIENT');
    expect((await pay('134500000000006031')).json().failure.code).toBe('PGW_ERR_CODE_EXPIRED');
    expect((await pay('134500000000006041')).json().failure.code).toBe('PGW_ERR_CODE_UNRECOGNISED');
  });

  it('a merchant fault hits only that merchant; a code fault wins over a merchant fault', async () => {
    await fault({ kind: 'insufficient', merchantId: h.merchant.id });
    await fault({ kind: 'password', authCode: '134500000000006051', polls: 1 });
    expect((await pay('134500000000006061', { merchant: h.other })).json().state).toBe('SUCCESS');
    expect((await pay('134500000000006071')).json().failure.code).toBe('PGW_ERR_PAY_INSUFFICIENT');
    expect((await pay('134500000000006051')).json().state).toBe('USERPAYING');
  });

  it('`times` limits a fault; the list shows what is in force', async () => {
    const f = await fault({ kind: 'insufficient', merchantId: h.merchant.id, times: 1 });
    expect((await h.admin('GET', '/test/faults')).json().faults).toEqual([{ ...f }]);
    expect((await pay('134500000000006081')).json().state).toBe('PAYERROR');
    expect((await pay('134500000000006091')).json().state).toBe('SUCCESS');
    expect((await h.admin('GET', '/test/faults')).json().faults).toEqual([]);
    const g = await fault({ kind: 'insufficient', merchantId: h.merchant.id });
    expect((await h.admin('DELETE', `/test/faults/${g.id}`)).json()).toEqual({ cleared: true });
    expect((await h.admin('DELETE', `/test/faults/${g.id}`)).json()).toEqual({ cleared: false });
  });

  it('outage: 503 PGW_ERR_SERVICE_DOWN on every operation of the merchant, nothing committed', async () => {
    await fault({ kind: 'outage-503', merchantId: h.merchant.id });
    const payId = testPayId(serial);
    const res = await pay('134500000000006101');
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('PGW_ERR_SERVICE_DOWN');
    expect(res.json().message).toContain('现金');
    expect((await h.signed('GET', `/v1/orders?payId=${payId}`)).statusCode).toBe(503);
    await h.admin('DELETE', '/test/faults');
    expect((await h.signed('GET', `/v1/orders?payId=${payId}`)).json().orders).toEqual([]);
  });

  it('an outage aimed at queries only leaves payments working', async () => {
    await fault({ kind: 'outage-503', merchantId: h.merchant.id, ops: ['query'] });
    const order = await pay('134500000000006111');
    expect(order.json().state).toBe('SUCCESS');
    expect((await poll(order.json().outTradeNo)).statusCode).toBe(503);
  });

  it('duplicate out-trade-no on demand: refused, nothing committed', async () => {
    await fault({ kind: 'duplicate-out-trade-no', merchantId: h.merchant.id, times: 1 });
    const payId = testPayId(serial);
    const res = await pay('134500000000006121');
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('PGW_ERR_OUT_TRADE_NO_USED');
    expect((await h.signed('GET', `/v1/orders?payId=${payId}`)).json().orders).toEqual([]);
  });

  it('slow answer: the payment is committed, the answer leaves late', async () => {
    await fault({ kind: 'delay', authCode: '134500000000006131', delayMs: 300 });
    const started = performance.now();
    const res = await pay('134500000000006131');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(res.json().state).toBe('SUCCESS');
  });

  it('system error after capture: 500, signed; the query finds the payment — before capture: nothing', async () => {
    await fault({ kind: 'system-error-after-capture', authCode: '134500000000006141' });
    await fault({ kind: 'system-error-before-capture', authCode: '134500000000006151' });
    const nonce = newNonce();
    const after = await h.signed(
      'POST',
      '/v1/micropay',
      { outTradeNo: 'SE-1', payId: 'SE', amount: 800, authCode: '134500000000006141' },
      { nonce },
    );
    expect(after.statusCode).toBe(500);
    expect(after.json().code).toBe('PGW_ERR_INTERNAL');
    const signed = { merchantId: h.merchant.id, nonce, status: 500, body: after.body };
    expect(verifyResponse(h.merchant.key, signed, String(after.headers[HEADER.signature]))).toBe(true);
    expect((await poll('SE-1')).json().state).toBe('SUCCESS');
    const before = await h.signed('POST', '/v1/micropay', {
      outTradeNo: 'SF-1',
      payId: 'SF',
      amount: 800,
      authCode: '134500000000006151',
    });
    expect(before.statusCode).toBe(500);
    expect((await poll('SF-1')).json().code).toBe('PGW_ERR_ORDER_NOT_FOUND');
  });

  it('refuses a fault naming both or neither of code and merchant', async () => {
    const both = await h.admin('POST', '/test/faults', {
      kind: 'insufficient',
      merchantId: 'x',
      authCode: 'y',
    });
    expect(both.json().code).toBe('PGW_ERR_REQ_INVALID');
    expect((await h.admin('POST', '/test/faults', { kind: 'insufficient' })).json().code).toBe(
      'PGW_ERR_REQ_INVALID',
    );
    expect((await h.admin('POST', '/test/faults', { kind: 'explode', merchantId: 'x' })).statusCode).toBe(
      400,
    );
  });
});

describe('the TEST control API is guarded', () => {
  let h: Harness;
  afterAll(async () => h?.close());

  it('needs the admin token, from the loopback only, and refuses when none is configured', async () => {
    h = await startHarness();
    expect((await h.admin('GET', '/test/clock', undefined, { token: 'TEST-wrong' })).json().code).toBe(
      'PGW_ERR_ADMIN_REQUIRED',
    );
    expect((await h.raw('GET', '/test/faults')).json().code).toBe('PGW_ERR_ADMIN_REQUIRED');
    const far = await h.admin(
      'POST',
      '/test/faults',
      { kind: 'outage-503', merchantId: 'x' },
      { remoteAddress: '10.0.0.5' },
    );
    expect(far.statusCode).toBe(403);
    expect(far.json().code).toBe('PGW_ERR_ADMIN_LOOPBACK_ONLY');
    expect(h.paygate.platform.faults.list()).toEqual([]);
    // A merchant signature is no admin token.
    expect((await h.signed('GET', '/test/clock')).json().code).toBe('PGW_ERR_ADMIN_REQUIRED');
    await h.close();
    h = await startHarness({ adminToken: undefined });
    const off = await h.admin('GET', '/test/clock', undefined, { token: TEST_ADMIN_TOKEN });
    expect(off.json().code).toBe('PGW_ERR_ADMIN_DISABLED');
  });

  it('moves the clock', async () => {
    await h.close();
    h = await startHarness();
    const set = await h.admin('POST', '/test/clock', { at: '2026-12-24T00:00:00.000Z', advanceSeconds: 60 });
    // The clock runs on from the time set, so the answer is a moment after 00:01:00, never before.
    const after = Date.parse(set.json().now) - Date.parse('2026-12-24T00:01:00.000Z');
    expect(after).toBeGreaterThanOrEqual(0);
    expect(after).toBeLessThan(5_000);
    expect((await h.admin('GET', '/test/clock')).json().now.slice(0, 16)).toBe('2026-12-24T00:01');
  });
});
