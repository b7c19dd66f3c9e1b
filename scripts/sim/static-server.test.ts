import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rawHttp, rawRequest } from '@tollpad/server-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../apps/station/src/testing/harness';
import { startHandheldServer } from './static-server';

describe('the handheld page server, as a stranger on the network tries it', () => {
  let station: Harness;
  let dist: string;
  let shell: { url: string; close(): Promise<void> };
  let port: number;
  beforeAll(async () => {
    station = await startHarness('sqlite');
    await station.station.app.listen({ port: 0, host: '127.0.0.1' });
    const stationPort = (station.station.app.server.address() as { port: number }).port;
    dist = mkdtempSync(join(tmpdir(), 'tollpad-TEST-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>TEST shell</title>');
    writeFileSync(join(dist, 'assets', 'app.js'), 'console.log("TEST")');
    shell = await startHandheldServer(dist, `http://127.0.0.1:${stationPort}`, 0);
    port = Number(new URL(shell.url).port);
  });
  afterAll(async () => {
    await shell?.close();
    await station?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('survives malformed percent-encoding: the station answers it with its catalogue code', async () => {
    for (const path of ['/%E0%A4%A', '/assets/%E0%A4%A', '/%', '/%ZZ', '/index.html%C0']) {
      const r = await rawRequest(port, rawHttp('GET', path));
      expect(r?.status, path).toBe(400);
      expect((r?.json as { code?: string } | undefined)?.code, path).toMatch(/^STN_ERR_REQ_/);
    }
    const shellPage = await rawRequest(port, rawHttp('GET', '/'));
    expect(shellPage?.status).toBe(200);
    expect(shellPage?.body).toContain('TEST shell');
  });

  it('keeps /metrics from the proxy, however the path is spelled', async () => {
    for (const path of ['/metrics', '/%6Detrics', '/%6d%65trics/', '/metrics?x=1']) {
      const r = await rawRequest(port, rawHttp('GET', path));
      expect(r?.status, path).toBe(404);
      expect(r?.body, path).not.toContain('# HELP');
    }
  });

  it('serves on after a client that vanishes mid-body and one that sends no HTTP', async () => {
    await new Promise<void>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.write(
          'POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"us',
        );
        setImmediate(() => {
          s.destroy();
          resolve();
        });
      });
    });
    expect((await rawRequest(port, Buffer.from('\x16\x03\x01 not http\r\n\r\n')))?.status).toBe(400);
    expect((await rawRequest(port, rawHttp('GET', '/assets/app.js')))?.status).toBe(200);
    expect((await rawRequest(port, rawHttp('GET', '/healthz')))?.status).toBe(200);
  });
});
