import { httpsJson, type TlsIdentity } from '@tollpad/server-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PEER_HEADER } from '../http/peer';
import { type Harness, startHarness, TEST_PUBLISHER_PEER } from '../testing/harness';
import { DIALECTS } from '../testing/test-db';
import { startTlsCentre, type TlsCentre } from '../testing/tls-centre';
import { issueStationIdentity } from '../tls/centre-tls';

/** TEST PSAM terminal numbers and serials. */
const MINE = '0137000011AA';
const THEIRS = '0137000022BB';
const REVOKED = '0137000033CC';
const serialOf = (terminal: string) => `9999${terminal}0001`;

describe.each(DIALECTS)('PSAM authorisation state, asked by a station, on %s', (dialect) => {
  let h: Harness;
  let stationA: string;
  let stationB: string;

  const authorise = (terminal: string, laneId: string, peer: string) =>
    h.call('POST', '/psam/auth', {
      body: { laneId, terminalNo: terminal, psamNo: serialOf(terminal), random: '01020304' },
      headers: { [TEST_PEER_HEADER]: peer },
    });
  const stateOf = (terminal: string, peer: string) =>
    h.call('GET', `/psam/${terminal}/authorisation`, { headers: { [TEST_PEER_HEADER]: peer } });

  beforeAll(async () => {
    h = await startHarness(dialect, { revokedPsams: [REVOKED] });
    const stations = (await h.centre.services.tariffs.activeAt()).network.stations;
    stationA = stations[1]!.id;
    stationB = stations[2]!.id;
  });
  afterAll(async () => h?.close());

  it('answers never for a PSAM no one has asked authorisation for', async () => {
    const res = await stateOf(MINE, stationA);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ terminalNo: MINE, state: 'never', psamNo: null, laneId: null, at: null });
  });

  it('answers the last authorisation of its own PSAM, kept for the station of the certificate', async () => {
    expect((await authorise(MINE, `${stationA}2010010`, stationA)).statusCode).toBe(200);
    const res = await stateOf(MINE.toLowerCase(), stationA);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      terminalNo: MINE,
      state: 'authorised',
      psamNo: serialOf(MINE),
      laneId: `${stationA}2010010`,
      at: h.clock.now.toISOString(),
    });
  });

  it("refuses another station's PSAM with a stable code and discloses nothing of it", async () => {
    // A publisher's tools authorise for a lane of station B: the PSAM is B's.
    expect((await authorise(THEIRS, `${stationB}2010010`, TEST_PUBLISHER_PEER)).statusCode).toBe(200);
    expect((await stateOf(THEIRS, stationB)).json().state).toBe('authorised');
    const res = await stateOf(THEIRS, stationA);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('CTR_ERR_PSAM_WRONG_STATION');
    expect(res.body).not.toContain(serialOf(THEIRS));
    expect(res.body).not.toContain(stationB);
  });

  it('a PSAM moved to another station is no longer the first one’s', async () => {
    expect((await authorise(MINE, `${stationB}2010010`, stationB)).statusCode).toBe(200);
    expect((await stateOf(MINE, stationA)).json().code).toBe('CTR_ERR_PSAM_WRONG_STATION');
    expect((await authorise(MINE, `${stationA}2010010`, stationA)).statusCode).toBe(200);
    expect((await stateOf(MINE, stationA)).json().state).toBe('authorised');
  });

  it('answers revoked for its own PSAM refused authorisation', async () => {
    expect((await authorise(REVOKED, `${stationA}2010010`, stationA)).json().code).toBe(
      'CTR_ERR_PSAM_REVOKED',
    );
    const res = await stateOf(REVOKED, stationA);
    expect(res.json()).toMatchObject({ state: 'revoked', psamNo: serialOf(REVOKED) });
  });

  it('refuses a publisher and a PSAM whose station was never recorded', async () => {
    expect((await stateOf(MINE, TEST_PUBLISHER_PEER)).json().code).toBe('CTR_ERR_PSAM_WRONG_STATION');
    const unrecorded = '0137000044DD';
    expect((await authorise(unrecorded, 'L1', TEST_PUBLISHER_PEER)).statusCode).toBe(200);
    expect((await stateOf(unrecorded, stationA)).json().code).toBe('CTR_ERR_PSAM_WRONG_STATION');
  });

  it('refuses a malformed terminal number', async () => {
    const res = await stateOf('XYZ', stationA);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('CTR_ERR_REQ_INVALID');
  });
});

/** As a stranger on the network would try it: a real HTTPS socket and another station's certificate. */
describe.each(DIALECTS)('PSAM authorisation state over mutual TLS on %s', (dialect) => {
  let tls: TlsCentre;
  let base: string;
  let caCert: string;
  let certA: TlsIdentity;
  let certB: TlsIdentity;
  let stationA: string;

  const call = (who: TlsIdentity | undefined, method: string, path: string, body?: unknown) =>
    httpsJson(`${base}${path}`, { method, ca: caCert, ...(who ?? {}) }, body);

  beforeAll(async () => {
    tls = await startTlsCentre(dialect);
    ({ base, caCert } = tls);
    stationA = tls.stationIds[1]!;
    certA = await issueStationIdentity(tls.tlsDir, stationA);
    certB = await issueStationIdentity(tls.tlsDir, tls.stationIds[2]!);
  });
  afterAll(async () => tls?.close());

  it("station B's certificate cannot read station A's PSAM; A can; no certificate gets nothing", async () => {
    const auth = await call(certA, 'POST', '/psam/auth', {
      laneId: `${stationA}2010010`,
      terminalNo: MINE,
      psamNo: serialOf(MINE),
      random: '01020304',
    });
    expect(auth.status).toBe(200);
    const own = await call(certA, 'GET', `/psam/${MINE}/authorisation`);
    expect(own.status).toBe(200);
    expect(own.json).toMatchObject({ terminalNo: MINE, state: 'authorised', psamNo: serialOf(MINE) });
    const stranger = await call(certB, 'GET', `/psam/${MINE}/authorisation`);
    expect(stranger.status).toBe(403);
    expect((stranger.json as { code: string }).code).toBe('CTR_ERR_PSAM_WRONG_STATION');
    const anonymous = await call(undefined, 'GET', `/psam/${MINE}/authorisation`);
    expect(anonymous.status).toBe(401);
    expect((anonymous.json as { code: string }).code).toBe('CTR_ERR_AUTH_CERTIFICATE');
  });
});
