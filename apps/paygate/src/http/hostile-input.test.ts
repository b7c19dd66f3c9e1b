import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../signing/signature';
import { type Harness, newNonce, startHarness } from '../testing/harness';

describe('hostile input on merchant routes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ bodyLimitBytes: 2048 });
  });
  afterAll(async () => h?.close());

  const send = (payload: string, contentType = 'application/json') => {
    const headers = signRequest(h.merchant.key, {
      method: 'POST',
      path: '/v1/micropay',
      merchantId: h.merchant.id,
      timestamp: Math.floor(h.clock.now().getTime() / 1000),
      nonce: newNonce(),
      body: payload,
    });
    return h.paygate.app.inject({
      method: 'POST',
      url: '/v1/micropay',
      headers: { ...headers, 'content-type': contentType },
      payload,
    });
  };

  it('refuses a body over the limit, signed or not', async () => {
    const big = JSON.stringify({ subject: 'x'.repeat(4096) });
    expect((await send(big)).json().code).toBe('PGW_ERR_REQ_TOO_LARGE');
    expect((await h.raw('POST', '/v1/micropay', { body: { subject: 'x'.repeat(4096) } })).statusCode).toBe(
      413,
    );
  });

  it('refuses malformed JSON, deep JSON, another media type and extra fields, with codes', async () => {
    expect((await send('{"outTradeNo":')).json().code).toBe('PGW_ERR_REQ_INVALID');
    expect((await send(`${'['.repeat(100)}${']'.repeat(100)}`)).json().code).toBe('PGW_ERR_REQ_TOO_DEEP');
    expect((await send('a=b', 'application/x-www-form-urlencoded')).json().code).toBe(
      'PGW_ERR_REQ_MEDIA_TYPE',
    );
    const extra = await send(
      JSON.stringify({
        outTradeNo: 'A-1',
        payId: 'A',
        amount: 1,
        authCode: '134500000000000001',
        admin: true,
      }),
    );
    expect(extra.json().code).toBe('PGW_ERR_REQ_INVALID');
  });

  it('refuses amounts that are not whole positive fen', async () => {
    for (const amount of [0, -1, 1.5, 'cent']) {
      const res = await send(
        JSON.stringify({ outTradeNo: 'A-1', payId: 'A', amount, authCode: '134500000000000001' }),
      );
      expect(res.json().code, String(amount)).toBe('PGW_ERR_REQ_INVALID');
    }
  });
});
