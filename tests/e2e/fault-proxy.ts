import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * A small HTTP fault proxy (Toxiproxy-style, for tests) between the station and the centre. Each request
 * gets a fault chosen by `policy`: pass, drop (black hole: never answered), delay, reset (TCP RST), 500
 * (answered here, never forwarded) or 500-after (forwarded — the centre stores it — then answered 500, so
 * the station must resend and get the idempotent replay), or corrupt (forwarded, one byte of the answer
 * flipped).
 * An https upstream (the centre) is reached over mutual TLS with `upstreamTls`: the station's TEST
 * credentials, so the centre still sees the station's certificate.
 */
export type Fault = 'pass' | 'drop' | 'reset' | '500' | '500-after' | 'corrupt' | { delayMs: number };

export interface FaultProxy {
  url: string;
  policy: (req: IncomingMessage, n: number) => Fault;
  counts: Record<string, number>;
  close(): Promise<void>;
}

export async function startFaultProxy(
  upstream: string,
  policy: FaultProxy['policy'],
  upstreamTls?: { ca: string; cert: string; key: string },
): Promise<FaultProxy> {
  const target = new URL(upstream);
  let n = 0;
  const held = new Set<ServerResponse>();
  const proxy: FaultProxy = { url: '', policy, counts: {}, close: async () => {} };

  const forward = (
    req: IncomingMessage,
    body: Buffer,
    done: (status: number, headers: IncomingMessage['headers'], data: Buffer) => void,
    fail: () => void,
  ) => {
    const send = target.protocol === 'https:' ? httpsRequest : request;
    const up = send(
      {
        ...(target.protocol === 'https:' ? (upstreamTls ?? {}) : {}),
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(res.statusCode ?? 502, res.headers, Buffer.concat(chunks)));
        res.on('error', fail);
      },
    );
    up.on('error', fail);
    up.end(body);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const fault = proxy.policy(req, n++);
      const key = typeof fault === 'string' ? fault : 'delay';
      proxy.counts[key] = (proxy.counts[key] ?? 0) + 1;
      const body = Buffer.concat(chunks);
      const bad = () => {
        if (!res.headersSent) res.writeHead(502).end();
      };
      const pass = () =>
        forward(
          req,
          body,
          (status, headers, data) => {
            res.writeHead(status, headers);
            res.end(data);
          },
          bad,
        );
      if (fault === 'pass') return pass();
      if (fault === 'drop') {
        held.add(res);
        res.on('close', () => held.delete(res));
        return;
      }
      if (fault === 'reset') {
        req.socket.resetAndDestroy();
        return;
      }
      if (fault === '500') {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('proxy: internal error');
        return;
      }
      if (fault === 'corrupt') {
        forward(
          req,
          body,
          (status, headers, data) => {
            if (data.length > 16) data[data.length - 12]! ^= 0xff;
            res.writeHead(status, headers);
            res.end(data);
          },
          bad,
        );
        return;
      }
      if (fault === '500-after') {
        forward(
          req,
          body,
          () => res.writeHead(500, { 'content-type': 'text/plain' }).end('proxy: lost answer'),
          bad,
        );
        return;
      }
      setTimeout(pass, fault.delayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((r) => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      server.close(() => r());
    });
  return proxy;
}
