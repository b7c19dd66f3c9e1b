import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpsJson } from '@tollpad/server-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config';
import { TEST_MERCHANTS } from './fixtures/test-merchants';
import type { Merchant } from './merchants';
import { createPaygate, type Paygate, paygateCa } from './paygate';
import { TEST_ADMIN_TOKEN, testPayId } from './testing/harness';
import { signedHttps } from './testing/https-client';

/** The paygate as deployed: HTTPS with its own TEST CA on a loopback port; the faults that drop connections. */
describe('paygate over TLS on the loopback', () => {
  let paygate: Paygate;
  let base: string;
  let ca: string;
  let dir: string;
  const merchant = TEST_MERCHANTS[0] as Merchant;
  let serial = 700;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paygate-tls-'));
    const config = { ...loadConfig({}), tlsDir: dir, adminToken: TEST_ADMIN_TOKEN };
    expect(config.plainHttp).toBe(false);
    paygate = await createPaygate({ config, logger: false });
    await paygate.app.listen({ port: 0, host: '127.0.0.1' });
    base = `https://127.0.0.1:${(paygate.app.server.address() as AddressInfo).port}`;
    ca = (await paygateCa(dir)).cert;
  });
  afterAll(async () => {
    await paygate?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (method: 'GET' | 'POST', path: string, body?: unknown, timeoutMs?: number) =>
    signedHttps(base, { ca, merchant, ...(timeoutMs ? { timeoutMs } : {}) }, method, path, body);
  const fault = async (body: object) => {
    const res = await httpsJson(
      `${base}/test/faults`,
      { method: 'POST', ca, headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } },
      body,
    );
    expect(res.status, res.text).toBe(200);
  };
  const payBody = (authCode: string) => {
    const payId = testPayId(serial++);
    return { outTradeNo: `${payId}-1`, payId, amount: 1500, authCode };
  };

  it('serves HTTPS only to a client that trusts its CA, and signs its answers', async () => {
    await expect(httpsJson(`${base}/healthz`, { method: 'GET' })).rejects.toThrow();
    const health = await httpsJson(`${base}/healthz`, { method: 'GET', ca });
    expect(health.json).toMatchObject({ status: 'ok', test: true });
    const paid = await call('POST', '/v1/micropay', payBody('134500000000007001'));
    expect(paid).toMatchObject({ status: 200, signedByPlatform: true, json: { state: 'SUCCESS' } });
  });

  it('answer lost after capture: the client sees no answer, the query finds one capture, a resend the same order', async () => {
    const body = payBody('134500000000007011');
    await fault({ kind: 'lost-after-capture', authCode: body.authCode, times: 1 });
    await expect(call('POST', '/v1/micropay', body)).rejects.toThrow();
    const q = await call('GET', `/v1/orders/${body.outTradeNo}`);
    expect(q.json).toMatchObject({ state: 'SUCCESS', amount: 1500 });
    const resend = await call('POST', '/v1/micropay', body);
    expect(resend.json).toEqual(q.json);
    const all = await call('GET', `/v1/orders?payId=${body.payId}`);
    expect((all.json as { orders: unknown[] }).orders).toHaveLength(1);
  });

  it('answer lost before capture: nothing committed', async () => {
    const body = payBody('134500000000007021');
    await fault({ kind: 'lost-before-capture', authCode: body.authCode, times: 1 });
    await expect(call('POST', '/v1/micropay', body)).rejects.toThrow();
    expect((await call('GET', `/v1/orders/${body.outTradeNo}`)).json).toMatchObject({
      code: 'PGW_ERR_ORDER_NOT_FOUND',
    });
  });

  it('outage by connection reset, then the service comes back', async () => {
    await fault({ kind: 'outage-reset', merchantId: merchant.id, times: 2 });
    const body = payBody('134500000000007031');
    await expect(call('POST', '/v1/micropay', body)).rejects.toThrow();
    await expect(call('GET', `/v1/orders/${body.outTradeNo}`)).rejects.toThrow();
    expect((await call('GET', `/v1/orders/${body.outTradeNo}`)).status).toBe(404);
  });

  it('an answer delayed past the client timeout: the client gives up, the payment stands', async () => {
    const body = payBody('134500000000007041');
    await fault({ kind: 'delay', authCode: body.authCode, delayMs: 1500, times: 1 });
    await expect(call('POST', '/v1/micropay', body, 300)).rejects.toThrow(/timeout/);
    expect((await call('GET', `/v1/orders/${body.outTradeNo}`)).json).toMatchObject({ state: 'SUCCESS' });
  });

  it('the control API answers the loopback over TLS; a wrong token is refused', async () => {
    const res = await httpsJson(`${base}/test/clock`, {
      method: 'GET',
      ca,
      headers: { authorization: 'Bearer x' },
    });
    expect(res.status).toBe(401);
  });
});
