import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CODES } from '../fixtures/test-codes';
import { HEADER, signRequest, verifyResponse } from '../signing/signature';
import { type Harness, newNonce, startHarness, testPayId } from '../testing/harness';

describe('merchant signatures: what a stranger would try', () => {
  let h: Harness;
  const payId = testPayId(100);
  const body = { outTradeNo: `${payId}-1`, payId, amount: 500, authCode: '134512345678901001' };
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('refuses a request with no signature and creates nothing', async () => {
    const res = await h.raw('POST', '/v1/micropay', { body });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('PGW_ERR_SIGN_MISSING');
    expect(h.paygate.platform.store.get(h.merchant.id, body.outTradeNo)).toBeUndefined();
  });

  it('refuses an unknown merchant', async () => {
    const res = await h.signed('POST', '/v1/micropay', body, {
      merchant: { id: 'NOBODY01', key: 'TEST-nobody-key-0000000000000000000', name: 'x', test: true },
    });
    expect(res.json().code).toBe('PGW_ERR_SIGN_UNKNOWN_MERCHANT');
  });

  it('refuses a signature made with another key (another merchant signing as this one)', async () => {
    const res = await h.signed('POST', '/v1/micropay', body, { key: h.other.key });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('PGW_ERR_SIGN_INVALID');
  });

  it('refuses a body changed after signing (the amount)', async () => {
    const res = await h.signed('POST', '/v1/micropay', body, { tamper: (raw) => raw.replace('500', '5') });
    expect(res.json().code).toBe('PGW_ERR_SIGN_INVALID');
    expect(h.paygate.platform.store.get(h.merchant.id, body.outTradeNo)).toBeUndefined();
  });

  const headersFor = (method: string, path: string, raw: string, nonce = newNonce()) =>
    signRequest(h.merchant.key, {
      method,
      path,
      merchantId: h.merchant.id,
      timestamp: Math.floor(h.clock.now().getTime() / 1000),
      nonce,
      body: raw,
    });

  it('refuses a signature made for another path or method', async () => {
    const moved = await h.paygate.app.inject({
      method: 'GET',
      url: '/v1/orders/else',
      headers: headersFor('GET', '/v1/orders/other', ''),
    });
    expect(moved.json().code).toBe('PGW_ERR_SIGN_INVALID');
    const method = await h.paygate.app.inject({
      method: 'POST',
      url: '/v1/orders/other/reverse',
      headers: headersFor('GET', '/v1/orders/other/reverse', ''),
    });
    expect(method.json().code).toBe('PGW_ERR_SIGN_INVALID');
  });

  it('refuses a stale timestamp and one from the future', async () => {
    const now = Math.floor(h.clock.now().getTime() / 1000);
    const skew = h.paygate.platform.config.signatureSkewSeconds;
    for (const timestamp of [now - skew - 1, now + skew + 1]) {
      const res = await h.signed('POST', '/v1/micropay', body, { timestamp });
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('PGW_ERR_SIGN_STALE');
    }
    const edge = await h.signed('GET', '/v1/orders?payId=x', undefined, { timestamp: now - skew + 1 });
    expect(edge.statusCode).toBe(200);
  });

  it('refuses a malformed nonce or timestamp', async () => {
    expect((await h.signed('GET', '/v1/orders?payId=x', undefined, { nonce: 'short' })).json().code).toBe(
      'PGW_ERR_SIGN_INVALID',
    );
  });

  it('refuses a replayed nonce, even with a fresh signature', async () => {
    const nonce = newNonce();
    const raw = JSON.stringify(body);
    const headers = { ...headersFor('POST', '/v1/micropay', raw, nonce), 'content-type': 'application/json' };
    const first = await h.paygate.app.inject({ method: 'POST', url: '/v1/micropay', headers, payload: raw });
    expect(first.statusCode).toBe(200);
    const replay = await h.paygate.app.inject({ method: 'POST', url: '/v1/micropay', headers, payload: raw });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('PGW_ERR_SIGN_REPLAYED');
    const resigned = await h.signed('GET', '/v1/orders?payId=x', undefined, { nonce });
    expect(resigned.json().code).toBe('PGW_ERR_SIGN_REPLAYED');
    // The other merchant has its own nonces.
    const other = await h.signed('GET', '/v1/orders?payId=x', undefined, { nonce, merchant: h.other });
    expect(other.statusCode).toBe(200);
  });

  it('a forged request does not spend the nonce the station will use', async () => {
    const nonce = newNonce();
    await h.signed('GET', '/v1/orders?payId=x', undefined, { nonce, key: h.other.key });
    expect((await h.signed('GET', '/v1/orders?payId=x', undefined, { nonce })).statusCode).toBe(200);
  });

  it("never shows or touches another merchant's order", async () => {
    const mine = await h.signed('GET', `/v1/orders/${body.outTradeNo}`);
    expect(mine.statusCode).toBe(200);
    const theirs = await h.signed('GET', `/v1/orders/${body.outTradeNo}`, undefined, { merchant: h.other });
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json().code).toBe('PGW_ERR_ORDER_NOT_FOUND');
    h.clock.advance(20_000);
    const rev = await h.signed('POST', `/v1/orders/${body.outTradeNo}/reverse`, undefined, {
      merchant: h.other,
    });
    expect(rev.json().code).toBe('PGW_ERR_ORDER_NOT_FOUND');
    const ref = await h.signed(
      'POST',
      `/v1/orders/${body.outTradeNo}/refunds`,
      { outRefundNo: 'R1', amount: 1 },
      { merchant: h.other },
    );
    expect(ref.json().code).toBe('PGW_ERR_ORDER_NOT_FOUND');
    const list = await h.signed('GET', `/v1/orders?payId=${payId}`, undefined, { merchant: h.other });
    expect(list.json().orders).toEqual([]);
    // Their reverse above closed that number for them alone (no order of theirs had it): their own pay under
    // it is refused, and the owner's order is untouched.
    const same = await h.signed(
      'POST',
      '/v1/micropay',
      { ...body, amount: 700, authCode: TEST_CODES.alipayPaid },
      { merchant: h.other },
    );
    expect(same.json().code).toBe('PGW_ERR_OUT_TRADE_NO_USED');
    expect((await h.signed('GET', `/v1/orders/${body.outTradeNo}`)).json()).toMatchObject({
      amount: 500,
      state: 'SUCCESS',
    });
  });

  it('signs every answer to a signed request, bound to its nonce', async () => {
    const nonce = newNonce();
    const res = await h.signed('GET', `/v1/orders/${body.outTradeNo}`, undefined, { nonce });
    const signature = String(res.headers[HEADER.signature]);
    const o = { merchantId: h.merchant.id, nonce, status: res.statusCode, body: res.body };
    expect(verifyResponse(h.merchant.key, o, signature)).toBe(true);
    expect(verifyResponse(h.merchant.key, { ...o, nonce: newNonce() }, signature)).toBe(false);
    expect(verifyResponse(h.other.key, o, signature)).toBe(false);
    const refused = await h.signed('GET', '/v1/orders/nothing-here');
    expect(refused.headers[HEADER.signature]).toMatch(/^[0-9a-f]{64}$/);
  });
});
