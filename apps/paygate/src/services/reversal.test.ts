import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CODES } from '../fixtures/test-codes';
import { type Harness, startHarness, testPayId } from '../testing/harness';

describe('reverse (撤销)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  const pay = async (serial: number, authCode: string) => {
    const payId = testPayId(serial);
    const res = await h.signed('POST', '/v1/micropay', {
      outTradeNo: `${payId}-1`,
      payId,
      amount: 900,
      authCode,
    });
    return res.json();
  };
  const reverse = (outTradeNo: string) => h.signed('POST', `/v1/orders/${outTradeNo}/reverse`);

  it('is refused within 15 s of the order (query first), then refunds a paid order in full; idempotent', async () => {
    const order = await pay(300, '134500000000003001');
    h.clock.advance(14_000);
    const early = await reverse(order.outTradeNo);
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('PGW_ERR_REVERSE_TOO_SOON');
    h.clock.advance(1_000);
    const res = await reverse(order.outTradeNo);
    expect(res.json()).toMatchObject({
      state: 'REVOKED',
      refundedAmount: 900,
      refunds: [{ kind: 'REVERSE', amount: 900 }],
    });
    const again = await reverse(order.outTradeNo);
    expect(again.json()).toEqual(res.json());
  });

  it('closes an unpaid (USERPAYING) order, which can then never pay', async () => {
    const order = await pay(301, TEST_CODES.alipayPassword);
    expect(order.state).toBe('USERPAYING');
    h.clock.advance(15_000);
    const res = await reverse(order.outTradeNo);
    expect(res.json()).toMatchObject({ state: 'REVOKED', refundedAmount: 0, refunds: [] });
    for (let i = 0; i < 3; i++) {
      expect((await h.signed('GET', `/v1/orders/${order.outTradeNo}`)).json().state).toBe('REVOKED');
    }
    // After a reverse a new attempt under the pay ID is allowed.
    const next = await h.signed('POST', '/v1/micropay', {
      outTradeNo: `${order.payId}-2`,
      payId: order.payId,
      amount: 900,
      authCode: '2812345678903012',
    });
    expect(next.json().state).toBe('SUCCESS');
  });

  it('WeChat profile: refused after 7 days', async () => {
    const order = await pay(302, '134500000000003021');
    h.clock.advance(7 * 86_400_000 + 1000);
    const res = await reverse(order.outTradeNo);
    expect(res.json().code).toBe('PGW_ERR_REVERSE_EXPIRED');
  });

  it('Alipay profile: only on the Beijing day of the order', async () => {
    h.clock.freeze(new Date('2026-12-07T15:50:00.000Z')); // 23:50 Beijing
    const order = await pay(303, '2812345678903031');
    h.clock.advance(5 * 60_000); // 23:55, same day
    const ok = await pay(304, '2812345678903041');
    h.clock.advance(15_000);
    expect((await reverse(ok.outTradeNo)).json().state).toBe('REVOKED');
    h.clock.advance(10 * 60_000); // past midnight Beijing
    expect((await reverse(order.outTradeNo)).json().code).toBe('PGW_ERR_REVERSE_EXPIRED');
  });

  it('UnionPay profile: within 24 h', async () => {
    const order = await pay(305, '6212345678903051');
    h.clock.advance(86_400_000 + 1000);
    expect((await reverse(order.outTradeNo)).json().code).toBe('PGW_ERR_REVERSE_EXPIRED');
  });

  it('is refused once the order has a refund, and for an unknown order', async () => {
    const order = await pay(306, '134500000000003061');
    await h.signed('POST', `/v1/orders/${order.outTradeNo}/refunds`, { outRefundNo: 'R306', amount: 100 });
    h.clock.advance(15_000);
    expect((await reverse(order.outTradeNo)).json().code).toBe('PGW_ERR_REVERSE_REFUNDED');
    expect((await reverse('no-such-order')).json().code).toBe('PGW_ERR_ORDER_NOT_FOUND');
  });

  it('a number with no order is closed by the cancel: a pay or QR order arriving late under it is refused, never captured', async () => {
    const payId = testPayId(307);
    const outTradeNo = `${payId}-1`;
    const first = await reverse(outTradeNo);
    expect(first.statusCode).toBe(404);
    expect(first.json().code).toBe('PGW_ERR_ORDER_NOT_FOUND');
    // The late pay request (same body as the station sent before it gave up).
    const late = await h.signed('POST', '/v1/micropay', {
      outTradeNo,
      payId,
      amount: 900,
      authCode: '134500000000003071',
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('PGW_ERR_OUT_TRADE_NO_USED');
    const qr = await h.signed('POST', '/v1/precreate', { outTradeNo, payId, amount: 900 });
    expect(qr.json().code).toBe('PGW_ERR_OUT_TRADE_NO_USED');
    expect((await h.signed('GET', `/v1/orders/${outTradeNo}`)).statusCode).toBe(404);
    expect((await h.signed('GET', `/v1/orders?payId=${payId}`)).json().orders).toEqual([]);
    // The cancel stays idempotent, and the code was not spent: it pays a new attempt of the pay ID.
    expect((await reverse(outTradeNo)).json().code).toBe('PGW_ERR_ORDER_NOT_FOUND');
    const next = await h.signed('POST', '/v1/micropay', {
      outTradeNo: `${payId}-2`,
      payId,
      amount: 900,
      authCode: '134500000000003071',
    });
    expect(next.json().state).toBe('SUCCESS');
  });
});
