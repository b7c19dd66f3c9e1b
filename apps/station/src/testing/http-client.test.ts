import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient } from './http-client';

/** The load generator's client against a real socket: what each request carried, and how answers come back. */
describe('the benchmark HTTP client', () => {
  const seen: {
    method?: string;
    url?: string;
    type?: string;
    length?: string;
    auth?: string;
    body: string;
  }[] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('latin1');
    seen.push({
      method: req.method,
      url: req.url,
      type: req.headers['content-type'],
      length: req.headers['content-length'],
      auth: req.headers.authorization,
      body,
    });
    if (req.url === '/text') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
      return;
    }
    res.writeHead(201, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ echoed: body.length, url: req.url }));
  });
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends JSON, raw bytes and headers, and parses JSON answers only', async () => {
    const http = httpClient(base, 2);
    try {
      const a = await http.call(
        'POST',
        '/exits?x=1',
        { plate: '浙A12345' },
        { authorization: 'Bearer TEST' },
      );
      const b = await http.call('POST', '/images', Buffer.from([0x89, 0x50, 0x4e, 0x47]), {
        'content-type': 'image/png',
      });
      const c = await http.call('GET', '/text');
      expect(a).toEqual({ status: 201, body: { echoed: 21, url: '/exits?x=1' } });
      expect(b).toEqual({ status: 201, body: { echoed: 4, url: '/images' } });
      expect(c).toEqual({ status: 404, body: 'not here' });
      expect(seen.slice(-3)).toEqual([
        {
          method: 'POST',
          url: '/exits?x=1',
          type: 'application/json',
          length: '21',
          auth: 'Bearer TEST',
          body: Buffer.from('{"plate":"浙A12345"}').toString('latin1'),
        },
        { method: 'POST', url: '/images', type: 'image/png', length: '4', body: '\x89PNG' },
        { method: 'GET', url: '/text', body: '' },
      ]);
    } finally {
      await http.close();
    }
  });

  it('keeps concurrent calls apart on its connections', async () => {
    const http = httpClient(base, 4);
    try {
      const urls = Array.from({ length: 40 }, (_, i) => `/n/${i}`);
      const answers = await Promise.all(urls.map((u) => http.call('PUT', u, { u })));
      expect(answers.map((r) => (r.body as { url: string }).url)).toEqual(urls);
    } finally {
      await http.close();
    }
  });
});
