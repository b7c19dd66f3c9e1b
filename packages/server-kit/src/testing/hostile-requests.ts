import { rawHttp } from './raw-http';

/** One request a stranger on the network may send, and the status it must get (never a 5xx). */
export interface HostileRequest {
  name: string;
  request: Buffer;
  status: number;
}

/**
 * The requests that reach Fastify's and Node's own refusals (bad URL, long parameter, JSON too deep or
 * malformed, body too large, wrong media type, unknown route, headers too large, not HTTP at all): every
 * server built on createFastify must answer each with a code from its catalogue. `paramRoute` is a GET
 * route with one `:param`; `jsonRoute` a POST route that parses a JSON body; `bodyLimit` the server's.
 */
export function hostileRequests(o: {
  paramRoute: string;
  jsonRoute: string;
  bodyLimit: number;
  headers?: Record<string, string>;
}): HostileRequest[] {
  const plain = o.headers ? { headers: o.headers } : {};
  const param = (value: string) => o.paramRoute.replace(/:[A-Za-z0-9]+/, value);
  // As deep as fits in the body limit (a deeper body is refused as too large, before any parsing).
  const deep = (perLevel: number, most: number) => Math.min(most, Math.floor((o.bodyLimit - 16) / perLevel));
  const json = (body: string | Buffer, type = 'application/json') =>
    rawHttp('POST', o.jsonRoute, { headers: { ...o.headers, 'content-type': type }, body });
  return [
    { name: 'malformed percent-encoding', request: rawHttp('GET', '/%E0%A4%A', plain), status: 400 },
    {
      name: 'malformed percent-encoding in a docs file name',
      request: rawHttp('GET', '/docs/static/%E0%A4%A', plain),
      status: 400,
    },
    {
      name: 'a docs file name climbing out of its folder',
      request: rawHttp('GET', '/docs/static/..%2F..%2F..%2Fpackage.json', plain),
      status: 404,
    },
    {
      name: 'malformed percent-encoding in a parameter',
      request: rawHttp('GET', param('%E0%A4%A'), plain),
      status: 400,
    },
    {
      name: 'a parameter over 100 characters',
      request: rawHttp('GET', param('x'.repeat(300)), plain),
      status: 414,
    },
    {
      name: '100k nested arrays',
      request: json(`${'['.repeat(deep(2, 100_000))}${']'.repeat(deep(2, 100_000))}`),
      status: 400,
    },
    {
      name: '20k nested objects',
      request: json(`${'{"a":'.repeat(deep(6, 20_000))}1${'}'.repeat(deep(6, 20_000))}`),
      status: 400,
    },
    { name: 'nested arrays, never closed', request: json('['.repeat(deep(1, 100_000))), status: 400 },
    { name: 'malformed JSON', request: json('{"a":'), status: 400 },
    { name: 'an empty JSON body', request: json(''), status: 400 },
    { name: 'a prototype-poisoning body', request: json('{"__proto__":{"x":1}}'), status: 400 },
    { name: 'a body over the limit', request: json(Buffer.alloc(o.bodyLimit + 1, 0x20)), status: 413 },
    { name: 'an unsupported media type', request: json('<a/>', 'application/xml'), status: 415 },
    { name: 'an unknown route', request: rawHttp('GET', '/no/such/route', plain), status: 404 },
    { name: 'a method no route has', request: rawHttp('DELETE', o.jsonRoute, plain), status: 404 },
    {
      name: 'headers over 16 KiB',
      request: rawHttp('GET', '/no/such/route', { headers: { 'x-filler': 'a'.repeat(20_000) } }),
      status: 431,
    },
    { name: 'not HTTP at all', request: Buffer.from('HELLO THERE\r\n\r\n'), status: 400 },
    { name: 'a header with a bare LF', request: Buffer.from('GET / HTTP/1.1\nHost: x\n\n'), status: 400 },
  ];
}
