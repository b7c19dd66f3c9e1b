import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signRequest } from './signing/signature';
import { newNonce, startHarness, testPayId } from './testing/harness';

describe('the --data file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paygate-data-'));
  const file = join(dir, 'paygate.json');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps orders, used codes and nonces across a restart', async () => {
    const payId = testPayId(800);
    const body = { outTradeNo: `${payId}-1`, payId, amount: 1200, authCode: '134500000000008001' };
    const nonce = newNonce();
    const first = await startHarness({ dataFile: file });
    const paid = await first.signed('POST', '/v1/micropay', body, { nonce });
    expect(paid.json().state).toBe('SUCCESS');
    await first.close();
    expect(JSON.parse(readFileSync(file, 'utf8')).orders).toHaveLength(1);

    const second = await startHarness({ dataFile: file });
    expect((await second.signed('GET', `/v1/orders/${body.outTradeNo}`)).json()).toEqual(paid.json());
    // The same attempt resent after the restart: the same order, not a second capture.
    expect((await second.signed('POST', '/v1/micropay', body)).json()).toEqual(paid.json());
    // The code stays used, the nonce stays spent.
    const payId2 = testPayId(801);
    const reuse = await second.signed('POST', '/v1/micropay', {
      ...body,
      outTradeNo: `${payId2}-1`,
      payId: payId2,
    });
    expect(reuse.json().failure.code).toBe('PGW_ERR_CODE_USED');
    const raw = JSON.stringify(body);
    const headers = signRequest(second.merchant.key, {
      method: 'POST',
      path: '/v1/micropay',
      merchantId: second.merchant.id,
      timestamp: Math.floor(second.clock.now().getTime() / 1000),
      nonce,
      body: raw,
    });
    const replay = await second.paygate.app.inject({
      method: 'POST',
      url: '/v1/micropay',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: raw,
    });
    expect(replay.json().code).toBe('PGW_ERR_SIGN_REPLAYED');
    await second.close();
  });

  it('keeps a number closed by a cancel before any order existed across a restart', async () => {
    const payId = testPayId(802);
    const body = { outTradeNo: `${payId}-1`, payId, amount: 1200, authCode: '134500000000008021' };
    const first = await startHarness({ dataFile: file });
    expect((await first.signed('POST', `/v1/orders/${body.outTradeNo}/reverse`)).statusCode).toBe(404);
    await first.close();
    const second = await startHarness({ dataFile: file });
    expect((await second.signed('POST', '/v1/micropay', body)).json().code).toBe('PGW_ERR_OUT_TRADE_NO_USED');
    await second.close();
  });

  it('without a data file a new process starts empty', async () => {
    const h = await startHarness();
    expect((await h.signed('GET', `/v1/orders/${testPayId(800)}-1`)).statusCode).toBe(404);
    await h.close();
  });
});
