import { createReadStream, existsSync, statSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { securityHeaderValues, serverTlsOptions, type TlsIdentity } from '@tollpad/server-kit';
import { JSON_BODY_MAX_BYTES } from '../../apps/station/src/http/app';
import { HANDHELD_CSP } from './handheld-csp';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** The request's path, percent-decoded; undefined when it is not valid percent-encoding (`/%E0%A4%A`). */
function decodedPath(url: string | undefined): string | undefined {
  try {
    return decodeURIComponent((url ?? '/').split('?')[0] ?? '/');
  } catch {
    return undefined;
  }
}

/**
 * HTTPS for the page server: its certificate, issued by the station CA, and that CA (sent in the chain, and the
 * one the station's certificate is checked against).
 */
export interface HandheldTls {
  identity: TlsIdentity;
  stationCa: string;
}

/**
 * Serves the built handheld PWA and passes every other path to the station, so the app and its API share
 * one origin (no CORS; the service worker's scope covers both). Loopback only: for the demo and the
 * browser tests. `port` 0 takes a free one; `unreachable` is the 502 body when the station does not answer.
 */
export async function startHandheldServer(
  distDir: string,
  stationUrl: string,
  port: number,
  unreachable: object = { code: 'DEMO_STATION_UNREACHABLE', message: '收费站服务器无法连接' },
  tls?: HandheldTls,
): Promise<{ url: string; close(): Promise<void> }> {
  const station = new URL(stationUrl);
  const headers = securityHeaderValues({ https: tls !== undefined, csp: HANDHELD_CSP });
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    // A malformed path names no file; it goes to the station, which answers it with a catalogue code.
    const path = decodedPath(req.url);
    // Metrics are for the station's loopback or its scraper: a proxy on the same host must not lend its address.
    // Decoded first: the station's router decodes `/%6Detrics` to `/metrics` too.
    if (path?.replace(/\/+$/, '') === '/metrics') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":"DEMO_NOT_FOUND"}');
      return;
    }
    // The station refuses a JSON body over its limit as soon as the headers arrive and closes the connection;
    // refusing it here as well keeps that answer from racing the proxy's upload into a 502.
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > JSON_BODY_MAX_BYTES && /json/i.test(req.headers['content-type'] ?? '')) {
      res
        .writeHead(413, { 'content-type': 'application/json', connection: 'close' })
        .end(JSON.stringify({ code: 'DEMO_REQ_TOO_LARGE', message: '请求内容过大' }));
      return;
    }
    const rel = path === '/' ? 'index.html' : (path?.slice(1) ?? '');
    const file = normalize(join(distDir, rel));
    if (
      req.method === 'GET' &&
      path !== undefined &&
      file.startsWith(distDir + sep) &&
      existsSync(file) &&
      statSync(file).isFile()
    ) {
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        // The shell must revalidate (new builds); hashed assets may be cached.
        'cache-control': rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      createReadStream(file)
        .on('error', () => res.destroy()) // removed since the stat: the client sees a cut answer
        .pipe(res);
      return;
    }
    const up = (station.protocol === 'https:' ? httpsRequest : request)(
      {
        host: station.hostname,
        port: station.port,
        ...(tls ? { ca: tls.stationCa } : {}),
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: station.host },
      },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.on('error', () => res.destroy()).pipe(res);
      },
    );
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify(unreachable));
    });
    // A client that goes away mid-request ends only its own exchange.
    req.on('error', () => up.destroy());
    res.on('error', () => up.destroy());
    req.pipe(up);
  };
  const server: Server = tls
    ? (createHttpsServer(
        serverTlsOptions({ identity: tls.identity, issuer: { cert: tls.stationCa, key: '' } }),
        handle,
      ) as unknown as Server)
    : createHttpServer(handle);
  // Requests Node refuses before they reach `handle` (headers too large, not HTTP, too slow) still get a
  // JSON answer with a code, like every other refusal; Node's default is a bare status line.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const [status, code, text] =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'DEMO_REQ_HEADERS_TOO_LARGE', 'Request Header Fields Too Large']
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'DEMO_REQ_TIMEOUT', 'Request Timeout']
          : [400, 'DEMO_REQ_INVALID', 'Bad Request'];
    const body = JSON.stringify({ code, message: '请求无法识别' });
    socket.end(
      `HTTP/1.1 ${status} ${text}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
