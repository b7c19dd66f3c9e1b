import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, testPayId } from '../testing/harness';

describe('主扫: a dynamic code the driver scans', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  const precreate = (serial: number, amount = 4200) => {
    const payId = testPayId(serial);
    return h.signed('POST', '/v1/precreate', { outTradeNo: `${payId}-1`, payId, amount });
  };
  const tokenOf = (url: string) => url.split('/').at(-1) ?? '';

  it('creates a NOTPAY order with a QR URL; the driver sees the amount and pays', async () => {
    const res = await precreate(200);
    expect(res.statusCode, res.body).toBe(200);
    const order = res.json();
    expect(order).toMatchObject({ mode: 'QR', state: 'NOTPAY', channel: null, amount: 4200 });
    expect(order.qr.url).toMatch(/^https:\/\/paygate\.test\/driver\/qr\/[\w-]{24}$/);
    expect(order.qr.expiresAt).toBe(new Date(h.clock.now().getTime() + 7200_000).toISOString());
    const token = tokenOf(order.qr.url);
    const seen = await h.raw('GET', `/driver/qr/${token}`);
    expect(seen.json()).toMatchObject({
      amount: 4200,
      state: 'NOTPAY',
      merchantName: h.merchant.name,
      test: true,
    });
    const pay = await h.raw('POST', `/driver/qr/${token}/pay`, { body: { wallet: 'ALIPAY' } });
    expect(pay.json()).toEqual({ state: 'SUCCESS', amount: 4200, declined: null });
    const q = await h.signed('GET', `/v1/orders/${order.outTradeNo}`);
    expect(q.json()).toMatchObject({
      state: 'SUCCESS',
      channel: 'ALIPAY',
      paidAt: h.clock.now().toISOString(),
    });
    const again = await h.raw('POST', `/driver/qr/${token}/pay`, { body: { wallet: 'WECHAT' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('PGW_ERR_QR_PAID');
  });

  it('the same precreate twice answers the same order and code', async () => {
    const a = await precreate(201);
    const b = await precreate(201);
    expect(b.json()).toEqual(a.json());
    expect((await precreate(201, 4300)).json().code).toBe('PGW_ERR_OUT_TRADE_NO_USED');
  });

  it('a driver short of funds leaves the order waiting and may pay from another wallet', async () => {
    const order = (await precreate(202)).json();
    await h.admin('POST', '/test/faults', { kind: 'insufficient', merchantId: h.merchant.id, times: 1 });
    const token = tokenOf(order.qr.url);
    const short = await h.raw('POST', `/driver/qr/${token}/pay`, { body: { wallet: 'WECHAT' } });
    expect(short.json()).toMatchObject({ state: 'NOTPAY', declined: { code: 'PGW_ERR_PAY_INSUFFICIENT' } });
    const pay = await h.raw('POST', `/driver/qr/${token}/pay`, { body: { wallet: 'UNIONPAY' } });
    expect(pay.json().state).toBe('SUCCESS');
  });

  it('a driver asked for the password: USERPAYING, then paid after the polls', async () => {
    const order = (await precreate(203)).json();
    await h.admin('POST', '/test/faults', { kind: 'password', authCode: '134500000000000203', polls: 1 });
    const token = tokenOf(order.qr.url);
    const pay = await h.raw('POST', `/driver/qr/${token}/pay`, {
      body: { wallet: 'WECHAT', authCode: '134500000000000203' },
    });
    expect(pay.json().state).toBe('USERPAYING');
    expect((await h.signed('GET', `/v1/orders/${order.outTradeNo}`)).json().state).toBe('SUCCESS');
  });

  it('the code expires: the order closes and the driver is told', async () => {
    const order = (await precreate(204)).json();
    h.clock.advance(7200_000);
    const token = tokenOf(order.qr.url);
    const pay = await h.raw('POST', `/driver/qr/${token}/pay`, { body: { wallet: 'WECHAT' } });
    expect(pay.statusCode).toBe(410);
    expect(pay.json().code).toBe('PGW_ERR_QR_EXPIRED');
    expect((await h.signed('GET', `/v1/orders/${order.outTradeNo}`)).json().state).toBe('CLOSED');
  });

  it('an unknown code token is not found', async () => {
    const res = await h.raw('POST', '/driver/qr/AAAAAAAAAAAAAAAAAAAAAAAA/pay', {
      body: { wallet: 'WECHAT' },
    });
    expect(res.json().code).toBe('PGW_ERR_QR_NOT_FOUND');
  });
});
