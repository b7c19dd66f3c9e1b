import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createCa, issueClientCert, type TlsIdentity } from '@tollpad/server-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Centre, createCentre } from '../centre';
import { loadConfig } from '../config';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../testing/test-db';
import { testRecord } from '../testing/test-records';
import { centreCa, issuePublisherIdentity, issueStationIdentity } from '../tls/centre-tls';

/** What a stranger on the network or a station sees: a real HTTPS socket, certificates or none. */
describe.each(DIALECTS)('the centre over mutual TLS on %s', (dialect) => {
  let db: TestDatabase;
  let centre: Centre;
  let base: string;
  let caCert: string;
  let stationA: string;
  let stationB: string;
  let certA: TlsIdentity;

  /** One HTTPS request from a client that trusts the centre CA and presents `who` (or no certificate). */
  const call = (who: TlsIdentity | undefined, method: string, path: string, body?: unknown, headers = {}) =>
    new Promise<{ status: number; json: () => Promise<unknown> }>((resolve, reject) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        `${base}${path}`,
        {
          method,
          ca: caCert,
          ...(who ?? {}),
          headers: { ...(data === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, json: async () => JSON.parse(text) as unknown });
          });
        },
      );
      req.on('error', reject);
      req.end(data);
    });

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    const config = {
      ...loadConfig({}),
      databaseUrl: db.databaseUrl,
      dataDir: db.dataDir,
      tlsDir: `${db.dataDir}/tls`,
      tlsHosts: ['127.0.0.1'],
      seedCardListSize: 50,
      listDeltaMinutes: 0,
    };
    expect(config.plainHttp).toBe(false); // mutual TLS is the default
    centre = await createCentre({ config, logger: false });
    await centre.app.listen({ port: 0, host: '127.0.0.1' });
    base = `https://127.0.0.1:${(centre.app.server.address() as AddressInfo).port}`;
    caCert = (await centreCa(config.tlsDir)).cert;
    const stations = (await centre.services.tariffs.activeAt()).network.stations;
    stationA = stations[1]!.id;
    stationB = stations[2]!.id;
    certA = await issueStationIdentity(config.tlsDir, stationA);
  });
  afterAll(async () => {
    await centre?.close();
    await db?.drop();
  });

  const exTime = new Date('2026-11-23T07:30:15.000Z');
  const recordOf = async (id: string, serial: number) => {
    const station = (await centre.services.tariffs.activeAt()).network.stations.find((s) => s.id === id)!;
    return testRecord({ station, exTime, serial, fee: 1234 });
  };

  it('answers public routes without a certificate', async () => {
    expect((await call(undefined, 'GET', '/healthz')).status).toBe(200);
  });

  it('refuses an upload without a client certificate, and stores nothing', async () => {
    const r = await recordOf(stationA, 1);
    const res = await call(undefined, 'POST', '/records', r, { 'idempotency-key': r.id });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('CTR_ERR_AUTH_CERTIFICATE');
    expect(await centre.services.records.find(r.id)).toBeUndefined();
  });

  it('refuses a certificate of another CA naming the same station', async () => {
    const rogueCa = await createCa({ commonName: 'rogue CA (TEST)' });
    const rogue = await issueClientCert(rogueCa, { commonName: stationA });
    const r = await recordOf(stationA, 2);
    const res = await call(rogue, 'POST', '/records', r, { 'idempotency-key': r.id });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('CTR_ERR_AUTH_CERTIFICATE');
  });

  it("refuses station A's upload of station B's trade ID; B's genuine record is then accepted", async () => {
    const rb = await recordOf(stationB, 3);
    const squat = await call(certA, 'POST', '/records', rb, { 'idempotency-key': rb.id });
    expect(squat.status).toBe(403);
    expect(((await squat.json()) as { code: string }).code).toBe('CTR_ERR_RECORD_WRONG_STATION');
    const certB = await issueStationIdentity(`${db.dataDir}/tls`, stationB);
    const genuine = await call(certB, 'POST', '/records', rb, { 'idempotency-key': rb.id });
    expect(genuine.status).toBe(201);
  });

  it('accepts its own station’s record over the station certificate', async () => {
    const r = await recordOf(stationA, 4);
    const res = await call(certA, 'POST', '/records', r, { 'idempotency-key': r.id });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { tacStatus: string }).tacStatus).toBe('verified');
  });

  it('lets only a publisher certificate publish', async () => {
    const change = { changes: [{ key: '99010000000000000042', type: 1, action: 'add' }] };
    const asStation = await call(certA, 'POST', '/lists/card/changes', change);
    expect(asStation.status).toBe(403);
    expect(((await asStation.json()) as { code: string }).code).toBe('CTR_ERR_AUTH_PUBLISHER_REQUIRED');
    const publisher = await issuePublisherIdentity(`${db.dataDir}/tls`, 'TEST');
    const ok = await call(publisher, 'POST', '/lists/card/changes', change);
    expect(ok.status).toBe(200);
  });
});
