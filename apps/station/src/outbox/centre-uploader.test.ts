import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCentreUploader } from './centre-uploader';

const TRADE_ID = 'G002237001003020109102026112308000001'; // TEST trade ID

describe('centre uploader classification', () => {
  let server: Server;
  let url = '';
  let next: { status: number; body: string } = { status: 201, body: '' };
  const seen: { key: string | undefined; auth: string | undefined; url?: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({
        key: req.headers['idempotency-key'] as string | undefined,
        auth: req.headers.authorization,
        ...(req.url === '/records' ? {} : { url: req.url }),
      });
      req.resume();
      req.on('end', () => {
        res.writeHead(next.status, { 'content-type': 'application/json' });
        res.end(next.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const ack = JSON.stringify({ tradeId: TRADE_ID, tacStatus: 'verified' });
  const cases: [string, number, string, string][] = [
    ['created', 201, ack, 'acked'],
    ['replayed', 200, ack, 'acked'],
    [
      'quarantined at the centre (kept there: the outbox is done)',
      202,
      JSON.stringify({ tradeId: TRADE_ID, tacStatus: 'quarantined' }),
      'acked',
    ],
    ['200 that is not an ack', 200, '<html>proxy</html>', 'retry'],
    [
      'TAC refusal',
      422,
      JSON.stringify({ code: 'CTR_ERR_RECORD_TAC_MISMATCH', message: 'TAC不符' }),
      'rejected',
    ],
    ['conflict', 409, JSON.stringify({ code: 'CTR_ERR_RECORD_CONFLICT', message: '冲突' }), 'rejected'],
    ['server error', 500, JSON.stringify({ code: 'CTR_ERR_INTERNAL' }), 'retry'],
    ['centre DB down', 503, JSON.stringify({ code: 'CTR_ERR_DB_UNAVAILABLE' }), 'retry'],
    ['token missing', 401, JSON.stringify({ code: 'CTR_ERR_AUTH_REQUIRED' }), 'retry'],
    ['no client certificate', 401, JSON.stringify({ code: 'CTR_ERR_AUTH_CERTIFICATE' }), 'retry'],
    ['4xx without a centre code', 400, 'Bad Request', 'retry'],
    ['rate limited', 429, JSON.stringify({ code: 'CTR_ERR_X' }), 'retry'],
  ];
  it.each(cases)('%s → %s', async (_name, status, body, kind) => {
    next = { status, body };
    const upload = createCentreUploader({ centreUrl: `${url}/`, timeoutMs: 2_000, token: 'TEST-token' });
    const o = await upload(TRADE_ID, '{}');
    expect(o.kind).toBe(kind);
    if (o.kind === 'acked') expect(o.replayed).toBe(status === 200);
    if (o.kind === 'rejected') expect(o.code).toBe(JSON.parse(body).code);
    expect(seen.at(-1)).toEqual({ key: TRADE_ID, auth: 'Bearer TEST-token' });
  });

  it('a 绿通查验 goes to /green-inspections under its own key, acknowledged by that key only', async () => {
    const key = `${TRADE_ID}-G`;
    const upload = createCentreUploader({ centreUrl: url, timeoutMs: 2_000 });
    next = { status: 201, body: JSON.stringify({ key, id: 'TEST-GI' }) };
    expect(await upload(key, '{}', 'green-inspection')).toMatchObject({ kind: 'acked' });
    expect(seen.at(-1)).toMatchObject({ key, url: '/green-inspections' });
    // The record's ack (its trade ID) does not acknowledge the inspection.
    next = { status: 201, body: ack };
    expect(await upload(key, '{}', 'green-inspection')).toMatchObject({ kind: 'retry' });
    next = { status: 422, body: JSON.stringify({ code: 'CTR_ERR_GREEN_INVALID', message: '不正确' }) };
    expect(await upload(key, '{}', 'green-inspection')).toMatchObject({
      kind: 'rejected',
      code: 'CTR_ERR_GREEN_INVALID',
    });
    // A topic nobody routes is kept and retried, never sent to /records.
    const before = seen.length;
    expect(await upload(key, '{}', 'no-such-topic')).toMatchObject({ kind: 'retry' });
    expect(seen.length).toBe(before);
  });

  it('a refused connection is retried', async () => {
    const upload = createCentreUploader({ centreUrl: 'http://127.0.0.1:1', timeoutMs: 1_000 });
    const o = await upload(TRADE_ID, '{}');
    expect(o).toMatchObject({ kind: 'retry' });
  });
});
