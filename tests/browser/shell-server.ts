import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json',
};

/**
 * Serves the built handheld (dist/) and forwards every other path to the station, so the page and the
 * API share one origin (no CORS), as when the station serves the app itself.
 */
export async function startShellServer(
  distDir: string,
  stationUrl: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const station = new URL(stationUrl);
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    const rel = path === '/' ? '/index.html' : path;
    const file = normalize(join(distDir, rel));
    if (req.method === 'GET' && file.startsWith(distDir) && existsSync(file) && statSync(file).isFile()) {
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
      });
      createReadStream(file).pipe(res);
      return;
    }
    const fwd = request(
      {
        hostname: station.hostname,
        port: station.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: station.host },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    fwd.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          statusCode: 502,
          code: 'HH_ERR_NETWORK',
          error: 'Bad Gateway',
          message: '无法连接收费站服务器',
        }),
      );
    });
    req.pipe(fwd);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
