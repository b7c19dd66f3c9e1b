import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

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
): Promise<{ url: string; close(): Promise<void> }> {
  const station = new URL(stationUrl);
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    const rel = path === '/' ? 'index.html' : path.slice(1);
    const file = normalize(join(distDir, rel));
    if (
      req.method === 'GET' &&
      file.startsWith(distDir + sep) &&
      existsSync(file) &&
      statSync(file).isFile()
    ) {
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        // The shell must revalidate (new builds); hashed assets may be cached.
        'cache-control': rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      createReadStream(file).pipe(res);
      return;
    }
    const up = request(
      {
        host: station.hostname,
        port: station.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: station.host },
      },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify(unreachable));
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
