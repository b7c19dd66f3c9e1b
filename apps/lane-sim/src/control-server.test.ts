import { rawHttp, rawRequest } from '@tollpad/server-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTROL_ERRORS } from './control-errors';
import { type ControlServer, startControlServer } from './control-server';
import type { LaneController } from './lane-controller';

describe('the control port, as a stranger on the host tries it', () => {
  let server: ControlServer;
  let port: number;
  beforeAll(async () => {
    // No lanes: every refusal below happens before a lane is picked.
    server = await startControlServer(new Map<string, LaneController>(), 0);
    port = Number(new URL(server.url).port);
  });
  afterAll(async () => server?.close());

  const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
    rawHttp('POST', '/vehicle', { headers: { 'content-type': 'application/json', ...headers }, body });

  const probes: [string, Buffer, keyof typeof CONTROL_ERRORS][] = [
    ['malformed percent-encoding', rawHttp('GET', '/%E0%A4%A'), 'NOT_FOUND'],
    ['an unknown route', rawHttp('GET', '/no/such/route'), 'NOT_FOUND'],
    ['a method no route has', rawHttp('DELETE', '/vehicle'), 'NOT_FOUND'],
    ['as deep as the body limit allows', post(`${'['.repeat(2040)}${']'.repeat(2040)}`), 'BODY_INVALID'],
    [
      'deep inside an allowed field',
      post(`{"plate":${'['.repeat(2000)}${']'.repeat(2000)}}`),
      'BODY_INVALID',
    ],
    ['nested arrays, never closed', post('['.repeat(4000)), 'BODY_NOT_JSON'],
    ['malformed JSON', post('{"plate":'), 'BODY_NOT_JSON'],
    ['a prototype-poisoning body', post('{"__proto__":{"laneId":"x"}}'), 'BODY_INVALID'],
    ['a body over the limit', post(Buffer.alloc(64 * 1024, 0x20)), 'BODY_TOO_LARGE'],
    ['a Content-Length over the limit', post('{}', { 'content-length': '100000000' }), 'BODY_TOO_LARGE'],
    [
      'headers over 16 KiB',
      rawHttp('GET', '/lanes', { headers: { 'x-filler': 'a'.repeat(20_000) } }),
      'HEADERS_TOO_LARGE',
    ],
    ['not HTTP at all', Buffer.from('HELLO THERE\r\n\r\n'), 'REQUEST_MALFORMED'],
  ];

  it('answers each with a code of its catalogue and the status the catalogue gives it', async () => {
    const failures: string[] = [];
    for (const [name, request, code] of probes) {
      const r = await rawRequest(port, request);
      const got = (r?.json as { code?: string } | undefined)?.code;
      if (got !== code || r?.status !== CONTROL_ERRORS[code].status) {
        failures.push(`${name}: ${r?.status} ${r?.body.slice(0, 120)}`);
      }
    }
    expect(failures).toEqual([]);
    const lanes = await rawRequest(port, rawHttp('GET', '/lanes'));
    expect(lanes?.status).toBe(200);
    expect(lanes?.json).toEqual([]);
  });
});
