import { connect } from 'node:net';
import { type ConnectionOptions, connect as connectTls } from 'node:tls';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The body as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/**
 * Sends bytes exactly as given to a server on loopback (a stranger's request, unchecked by any HTTP
 * client) and reads the answer until the server closes the socket. `null` when the server closed without
 * answering. Requests must say `Connection: close` (rawHttp does). With `tls`, the same over TLS (for
 * example `{ ca }` to trust a server's own CA).
 */
export function rawRequest(
  port: number,
  request: string | Buffer,
  timeoutMs = 10_000,
  tls?: ConnectionOptions,
): Promise<RawAnswer | null> {
  return new Promise((resolve, reject) => {
    const socket = tls
      ? connectTls({ ...tls, port, host: '127.0.0.1', servername: 'localhost' })
      : connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no answer in time'));
    }, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => {}); // a reset after the answer is still an answer
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseAnswer(Buffer.concat(chunks)));
    });
    // Not end(): Node's server drops a request whose client half-closes before the answer.
    if (tls) socket.once('secureConnect', () => socket.write(request));
    else socket.write(request);
  });
}

function parseAnswer(raw: Buffer): RawAnswer | null {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) return null;
  const [statusLine, ...lines] = raw.subarray(0, split).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1] ?? Number.NaN);
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  let bodyBytes = raw.subarray(split + 4);
  if (headers['transfer-encoding'] === 'chunked') bodyBytes = unchunk(bodyBytes);
  const body = bodyBytes.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status, headers, body, json };
}

function unchunk(b: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = b.indexOf('\r\n', at);
    if (eol < 0) break;
    const size = Number.parseInt(b.subarray(at, eol).toString('latin1'), 16);
    if (!(size > 0)) break;
    out.push(b.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}

/** A request with `Connection: close` and, when a body is given, its Content-Length (unless one is given). */
export function rawHttp(
  method: string,
  path: string,
  o: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Buffer {
  const body = o.body === undefined ? undefined : Buffer.from(o.body);
  const headers: Record<string, string> = { host: '127.0.0.1', connection: 'close', ...(o.headers ?? {}) };
  if (body) headers['content-length'] ??= String(body.length); // a stranger may announce another length
  const head = `${method} ${path} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
  return body ? Buffer.concat([Buffer.from(head, 'latin1'), body]) : Buffer.from(head, 'latin1');
}
