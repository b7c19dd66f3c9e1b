import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { paygatePort } from './paygate-port';

/** TEST merchant of a platform that misbehaves at the byte level (no real platform behind it). */
const MERCHANT = { merchantId: 'TEST-M1', merchantKey: 'TEST-key-'.padEnd(40, 'k'), ca: undefined };
const PAY = {
  outTradeNo: 'TP0101AB0101202612061000000001-1',
  payId: 'TP0101AB0101202612061000000001',
  amountFen: 1500,
  authCode: '134500000000000001',
  channel: 'WECHAT' as const,
  subject: 'TEST',
};

/** What the port answered, or 'still waiting' when it had not answered after `ms` (a call that never ends). */
const within = <T>(p: Promise<T>, ms: number): Promise<T | 'still waiting'> =>
  Promise.race([p, new Promise<'still waiting'>((r) => setTimeout(() => r('still waiting'), ms))]);

/**
 * A platform's answer is input from outside the station too: bounded before it costs the station anything.
 * One that trickles a byte at a time never ends the call by the socket's idle timeout alone, and one that
 * streams megabytes is buffered whole before its signature can refuse it. Each ends as `unknown` (the runner
 * then queries), never a payment call that waits forever or a station that holds whatever it is sent.
 */
describe('paygate port: an answer that never ends or never stops', () => {
  let server: Server | undefined;
  const sockets = new Set<import('node:net').Socket>();
  afterEach(async () => {
    for (const s of sockets) s.destroy();
    sockets.clear();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
  });

  async function platform(answer: (res: import('node:http').ServerResponse) => void): Promise<string> {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => answer(res));
    });
    server.on('connection', (s) => sockets.add(s));
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('an answer trickled a byte every 50 ms is given up after the timeout: unknown', async () => {
    const url = await platform((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const drip = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(drip));
    });
    const port = paygatePort({ ...MERCHANT, url, timeoutMs: 400 });
    expect(await within(port.payByCode(PAY), 10_000)).toEqual({ kind: 'unknown', reason: 'timeout' });
  });

  it('an answer larger than any the platform gives is cut off when it passes the bound: unknown', async () => {
    const url = await platform((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // 8 MiB, then the connection is held open: only the bound ends the call before the idle timeout.
      res.write(Buffer.alloc(8 * 1024 * 1024, 0x20));
    });
    const port = paygatePort({ ...MERCHANT, url, timeoutMs: 60_000, maxAnswerBytes: 1024 * 1024 });
    expect(await within(port.payByCode(PAY), 10_000)).toEqual({ kind: 'unknown', reason: 'unreadable' });
  });
});
