import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, testPayId } from '../testing/harness';

describe('refund', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  const pay = async (serial: number, authCode: string, amount = 1000) => {
    const payId = testPayId(serial);
    return (
      await h.signed('POST', '/v1/micropay', { outTradeNo: `${payId}-1`, payId, amount, authCode })
    ).json();
  };
  const refund = (outTradeNo: string, outRefundNo: string, amount: number) =>
    h.signed('POST', `/v1/orders/${outTradeNo}/refunds`, { outRefundNo, amount, reason: 'TEST 重复支付' });

  it('refunds in parts up to the paid amount; a retry under the same number changes nothing', async () => {
    const o = await pay(400, '134500000000004001');
    const a = await refund(o.outTradeNo, 'R400-1', 300);
    expect(a.json()).toMatchObject({ state: 'REFUND', refundedAmount: 300 });
    expect(a.json().refunds[0]).toMatchObject({
      kind: 'REFUND',
      outRefundNo: 'R400-1',
      amount: 300,
      reason: 'TEST 重复支付',
    });
    const retry = await refund(o.outTradeNo, 'R400-1', 300);
    expect(retry.json()).toEqual(a.json());
    const changed = await refund(o.outTradeNo, 'R400-1', 200);
    expect(changed.json().code).toBe('PGW_ERR_REFUND_NO_USED');
    const over = await refund(o.outTradeNo, 'R400-2', 701);
    expect(over.json()).toMatchObject({ code: 'PGW_ERR_REFUND_EXCEEDS', detail: 'refundable 700' });
    const rest = await refund(o.outTradeNo, 'R400-2', 700);
    expect(rest.json()).toMatchObject({ refundedAmount: 1000, refunds: [{ amount: 300 }, { amount: 700 }] });
    expect((await refund(o.outTradeNo, 'R400-3', 1)).json().code).toBe('PGW_ERR_REFUND_EXCEEDS');
  });

  it('a refund number of one order cannot be reused on another', async () => {
    const o = await pay(401, '134500000000004011');
    expect((await refund(o.outTradeNo, 'R400-1', 300)).json().code).toBe('PGW_ERR_REFUND_NO_USED');
  });

  it('at most 50 refunds per order', async () => {
    const o = await pay(402, '134500000000004021', 100);
    for (let i = 1; i <= 50; i++) expect((await refund(o.outTradeNo, `R402-${i}`, 1)).statusCode).toBe(200);
    expect((await refund(o.outTradeNo, 'R402-51', 1)).json().code).toBe('PGW_ERR_REFUND_TOO_MANY');
  });

  it('refuses an order that is not paid', async () => {
    const payId = testPayId(403);
    const o = (
      await h.signed('POST', '/v1/micropay', {
        outTradeNo: `${payId}-1`,
        payId,
        amount: 100,
        authCode: '134500000000000004',
      })
    ).json();
    expect(o.state).toBe('PAYERROR');
    expect((await refund(o.outTradeNo, 'R403', 100)).json().code).toBe('PGW_ERR_REFUND_NOT_PAID');
  });

  it('refuses after 365 days', async () => {
    const o = await pay(404, '134500000000004041');
    h.clock.advance(365 * 86_400_000 + 1000);
    expect((await refund(o.outTradeNo, 'R404', 1)).json().code).toBe('PGW_ERR_REFUND_EXPIRED');
  });
});
