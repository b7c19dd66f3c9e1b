import { createCa, httpsJson, issueClientCert, type TlsIdentity } from '@tollpad/server-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Centre } from '../centre';
import { DIALECTS } from '../testing/test-db';
import { testRecord } from '../testing/test-records';
import { startTlsCentre, type TlsCentre } from '../testing/tls-centre';
import { issuePublisherIdentity, issueStationIdentity } from '../tls/centre-tls';

/** What a stranger on the network or a station sees: a real HTTPS socket, certificates or none. */
describe.each(DIALECTS)('the centre over mutual TLS on %s', (dialect) => {
  let tls: TlsCentre;
  let centre: Centre;
  let base: string;
  let caCert: string;
  let stationA: string;
  let stationB: string;
  let certA: TlsIdentity;

  /** One HTTPS request from a client that trusts the centre CA and presents `who` (or no certificate). */
  const call = (who: TlsIdentity | undefined, method: string, path: string, body?: unknown, headers = {}) =>
    httpsJson(`${base}${path}`, { method, ca: caCert, ...(who ?? {}), headers }, body);

  beforeAll(async () => {
    tls = await startTlsCentre(dialect);
    expect(tls.plainHttp).toBe(false); // mutual TLS is the default
    ({ centre, base, caCert } = tls);
    stationA = tls.stationIds[1]!;
    stationB = tls.stationIds[2]!;
    certA = await issueStationIdentity(tls.tlsDir, stationA);
  });
  afterAll(async () => tls?.close());

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
    expect((res.json as { code: string }).code).toBe('CTR_ERR_AUTH_CERTIFICATE');
    expect(await centre.services.records.find(r.id)).toBeUndefined();
  });

  it('refuses a certificate of another CA naming the same station', async () => {
    const rogueCa = await createCa({ commonName: 'rogue CA (TEST)' });
    const rogue = await issueClientCert(rogueCa, { commonName: stationA });
    const r = await recordOf(stationA, 2);
    const res = await call(rogue, 'POST', '/records', r, { 'idempotency-key': r.id });
    expect(res.status).toBe(401);
    expect((res.json as { code: string }).code).toBe('CTR_ERR_AUTH_CERTIFICATE');
  });

  it("refuses station A's upload of station B's trade ID; B's genuine record is then accepted", async () => {
    const rb = await recordOf(stationB, 3);
    const squat = await call(certA, 'POST', '/records', rb, { 'idempotency-key': rb.id });
    expect(squat.status).toBe(403);
    expect((squat.json as { code: string }).code).toBe('CTR_ERR_RECORD_WRONG_STATION');
    const certB = await issueStationIdentity(tls.tlsDir, stationB);
    const genuine = await call(certB, 'POST', '/records', rb, { 'idempotency-key': rb.id });
    expect(genuine.status).toBe(201);
  });

  it('accepts its own station’s record over the station certificate', async () => {
    const r = await recordOf(stationA, 4);
    const res = await call(certA, 'POST', '/records', r, { 'idempotency-key': r.id });
    expect(res.status).toBe(201);
    expect((res.json as { tacStatus: string }).tacStatus).toBe('verified');
  });

  it('lets only a publisher certificate publish', async () => {
    const change = { changes: [{ key: '99010000000000000042', type: 1, action: 'add' }] };
    const asStation = await call(certA, 'POST', '/lists/card/changes', change);
    expect(asStation.status).toBe(403);
    expect((asStation.json as { code: string }).code).toBe('CTR_ERR_AUTH_PUBLISHER_REQUIRED');
    const publisher = await issuePublisherIdentity(tls.tlsDir, 'TEST');
    const ok = await call(publisher, 'POST', '/lists/card/changes', change);
    expect(ok.status).toBe(200);
  });
});
