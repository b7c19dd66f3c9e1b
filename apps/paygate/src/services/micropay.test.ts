import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CODES } from '../fixtures/test-codes';
import { type Harness, startHarness, testPayId } from '../testing/harness';

describe('被扫 micropay', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('pays a WeChat code at once and detects the channel by its format', async () => {
    const payId = testPayId(1);
    const res = await h.signed('POST', '/v1/micropay', {
      outTradeNo: `${payId}-1`,
      payId,
      amount: 3500,
      authCode: TEST_CODES.wechatPaid,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      state: 'SUCCESS',
      channel: 'WECHAT',
      amount: 3500,
      paidAt: h.clock.now().toISOString(),
      failure: null,
      test: true,
    });
    expect(res.json().orderNo).toMatch(/^TEST4200/);
  });

  it.each([
    [TEST_CODES.alipayPaid, 'ALIPAY', 2],
    [TEST_CODES.unionpayPaid, 'UNIONPAY', 3],
  ])('pays %s as %s', async (authCode, channel, serial) => {
    const payId = testPayId(serial);
    const res = await h.signed('POST', '/v1/micropay', {
      outTradeNo: `${payId}-1`,
      payId,
      amount: 100,
      authCode,
    });
    expect(res.json()).toMatchObject({ state: 'SUCCESS', channel });
  });

  it('declines a foreign code as unrecognised (an order exists, in PAYERROR)', async () => {
    const payId = testPayId(4);
    const res = await h.signed('POST', '/v1/micropay', {
      outTradeNo: `${payId}-1`,
      payId,
      amount: 100,
      authCode: TEST_CODES.foreign,
    });
    expect(res.json()).toMatchObject({
      state: 'PAYERROR',
      channel: null,
      failure: { code: 'PGW_ERR_CODE_UNRECOGNISED' },
    });
    // The driver may try again under the same pay ID with a new attempt.
    const retry = await h.signed('POST', '/v1/micropay', {
      outTradeNo: `${payId}-2`,
      payId,
      amount: 100,
      authCode: '134512345678904441',
    });
    expect(retry.json().state).toBe('SUCCESS');
  });

  it('refuses a code used once already', async () => {
    const payId = testPayId(5);
    const res = await h.signed('POST', '/v1/micropay', {
      outTradeNo: `${payId}-1`,
      payId,
      amount: 100,
      authCode: TEST_CODES.wechatPaid,
    });
    expect(res.json()).toMatchObject({ state: 'PAYERROR', failure: { code: 'PGW_ERR_CODE_USED' } });
  });

  it('the 0004 code is declined for insufficient funds; another code under the same payId pays', async () => {
    const payId = testPayId(6);
    const first = await h.signed('POST', '/v1/micropay', {
      outTradeNo: `${payId}-1`,
      payId,
      amount: 100,
      authCode: TEST_CODES.wechatInsufficient,
    });
    expect(first.json()).toMatchObject({ state: 'PAYERROR', failure: { code: 'PGW_ERR_PAY_INSUFFICIENT' } });
    expect(first.json().failure.message).toContain('余额不足');
    const second = await h.signed('POST', '/v1/micropay', {
      outTradeNo: `${payId}-2`,
      payId,
      amount: 100,
      authCode: '2812345678905551',
    });
    expect(second.json().state).toBe('SUCCESS');
  });

  it('same out-trade-no and amount → the same order, never a second capture; another amount → refused', async () => {
    const payId = testPayId(7);
    const body = { outTradeNo: `${payId}-1`, payId, amount: 2200, authCode: '134512345678907771' };
    const a = await h.signed('POST', '/v1/micropay', body);
    const b = await h.signed('POST', '/v1/micropay', body);
    expect(b.json()).toEqual(a.json());
    const c = await h.signed('POST', '/v1/micropay', { ...body, amount: 2300 });
    expect(c.statusCode).toBe(409);
    expect(c.json().code).toBe('PGW_ERR_OUT_TRADE_NO_USED');
    const list = await h.signed('GET', `/v1/orders?payId=${payId}`);
    expect(list.json().orders).toHaveLength(1);
  });

  it('a second attempt under a paid payId is answered "already paid", nothing captured', async () => {
    const payId = testPayId(1);
    const res = await h.signed('POST', '/v1/micropay', {
      outTradeNo: `${payId}-2`,
      payId,
      amount: 3500,
      authCode: '134512345678908881',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'PGW_ERR_PAY_ALREADY_PAID', detail: `${payId}-1` });
    expect((await h.signed('GET', `/v1/orders?payId=${payId}`)).json().orders).toHaveLength(1);
  });

  it('a new attempt while the previous one waits for the password is refused', async () => {
    const payId = testPayId(8);
    const first = await h.signed('POST', '/v1/micropay', {
      outTradeNo: `${payId}-1`,
      payId,
      amount: 100,
      authCode: TEST_CODES.wechatPassword,
    });
    expect(first.json().state).toBe('USERPAYING');
    const second = await h.signed('POST', '/v1/micropay', {
      outTradeNo: `${payId}-2`,
      payId,
      amount: 100,
      authCode: '134512345678909991',
    });
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('PGW_ERR_PAY_ATTEMPT_OPEN');
  });

  it('a password code (0002) polls USERPAYING then pays on the second query', async () => {
    const payId = testPayId(8);
    const q1 = await h.signed('GET', `/v1/orders/${payId}-1`);
    expect(q1.json().state).toBe('USERPAYING');
    const q2 = await h.signed('GET', `/v1/orders/${payId}-1`);
    expect(q2.json()).toMatchObject({ state: 'SUCCESS', paidAt: h.clock.now().toISOString() });
  });

  it('a never-confirmed code (0003) closes as abandoned when the payer time runs out', async () => {
    const payId = testPayId(9);
    const first = await h.signed('POST', '/v1/micropay', {
      outTradeNo: `${payId}-1`,
      payId,
      amount: 100,
      authCode: TEST_CODES.wechatAbandon,
    });
    expect(first.json().state).toBe('USERPAYING');
    expect((await h.signed('GET', `/v1/orders/${payId}-1`)).json().state).toBe('USERPAYING');
    h.clock.advance(h.paygate.platform.config.userPayingSeconds * 1000);
    const q = await h.signed('GET', `/v1/orders/${payId}-1`);
    expect(q.json()).toMatchObject({ state: 'CLOSED', failure: { code: 'PGW_ERR_PAY_ABANDONED' } });
  });

  it('a minted TEST code expires after the code TTL', async () => {
    const minted = await h.admin('POST', '/test/codes', { channel: 'ALIPAY' });
    expect(minted.json()).toMatchObject({ channel: 'ALIPAY', test: true });
    const code = minted.json().code as string;
    expect(code).toMatch(/^28\d{14}$/);
    h.clock.advance((h.paygate.platform.config.codeTtlSeconds + 1) * 1000);
    const payId = testPayId(10);
    const res = await h.signed('POST', '/v1/micropay', {
      outTradeNo: `${payId}-1`,
      payId,
      amount: 100,
      authCode: code,
    });
    expect(res.json()).toMatchObject({
      state: 'PAYERROR',
      channel: 'ALIPAY',
      failure: { code: 'PGW_ERR_CODE_EXPIRED' },
    });
  });

  it('refuses a body that does not fit the schema, after the signature', async () => {
    const res = await h.signed('POST', '/v1/micropay', {
      outTradeNo: 'x',
      payId: 'y',
      amount: 1.5,
      authCode: '1',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('PGW_ERR_REQ_INVALID');
  });
});
