import { Agent, fetch as undiciFetch } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { carAtTheExit, DEMO, loginToken, useTopology } from './topology';

/**
 * Strangers and other stations against the centre (mutual TLS, one certificate per station): uploads
 * without a certificate or under another station's trade IDs, and publishing lists and tariffs without the
 * publisher identity. The demo station's genuine record stays accepted and verified throughout.
 */
describe('hostile: centre trust', () => {
  const t = useTopology();
  let otherStationId: string;
  let genuine: { tradeId: string; record: Record<string, unknown> };
  let tariffVersion: string;

  /** `fetch` to the centre presenting `creds` (or, without, as a stranger trusting only the centre CA). */
  const centre = (creds?: { ca: string; cert: string; key: string }) => {
    const dispatcher = new Agent({ connect: creds ?? { ca: t().centreCa } });
    return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const res = await undiciFetch(`${t().centreUrl}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        dispatcher,
      });
      const json = (await res.json().catch(() => ({}))) as { code?: string };
      return `${res.status} ${json.code ?? ''}`.trim();
    };
  };

  beforeAll(async () => {
    const { network, car, card, hh } = await carAtTheExit(t());
    tariffVersion = network.version;
    otherStationId = network.stations.find((s) => s.id !== t().stationId)!.id;
    // One genuine exit through the demo station, uploaded by its relay.
    const monitor = await loginToken(t().stationFetch, t().stationUrl, DEMO.monitor);
    const out = await hh.exit(car, card, { approve: async () => monitor });
    for (let i = 0; i < 300; i++) {
      const r = await t().publisherFetch(`${t().centreUrl}/records/${out.tradeId}`);
      if (r.ok) {
        const got = (await r.json()) as { record: Record<string, unknown> };
        genuine = { tradeId: out.tradeId, record: got.record };
        break;
      }
      await new Promise((res) => setTimeout(res, 200));
    }
    if (!genuine) throw new Error('the genuine record did not reach the centre');
  }, 120_000);

  const stillVerified = async () => {
    const r = await t().publisherFetch(`${t().centreUrl}/records/${genuine.tradeId}`);
    return ((await r.json()) as { ack: { tacStatus: string } }).ack.tacStatus;
  };

  it('an upload without a client certificate is refused', async () => {
    const stranger = centre();
    expect(await stranger('POST', '/records', genuine.record, { 'idempotency-key': genuine.tradeId })).toBe(
      '401 CTR_ERR_AUTH_CERTIFICATE',
    );
    expect(await stillVerified()).toBe('verified');
  });

  it('another station cannot upload under this station’s trade IDs, nor take one before it is used', async () => {
    const other = centre(await t().stationCredentials(otherStationId));
    const replay = await other('POST', '/records', genuine.record, { 'idempotency-key': genuine.tradeId });
    expect(replay).toMatch(/^4\d\d CTR_ERR_RECORD_WRONG_STATION$/);
    // A trade ID of this station's lane that the station has not used yet: claimed by another station.
    const next = `${genuine.tradeId.slice(0, 31)}${'9'.repeat(6)}`;
    const claim = await other(
      'POST',
      '/records',
      { ...genuine.record, id: next },
      { 'idempotency-key': next },
    );
    expect(claim).toMatch(/^4\d\d CTR_ERR_RECORD_(WRONG_STATION|INVALID)$/);
    expect(await stillVerified()).toBe('verified');
  });

  it('publishing a list change or a tariff needs the publisher identity; a station or a stranger is refused', async () => {
    const station = centre(await t().stationCredentials(t().stationId));
    const stranger = centre();
    const change = { changes: [{ key: '99010000000000000001', type: 1, action: 'add' }] };
    expect(await station('POST', '/lists/card/changes', change)).toBe('403 CTR_ERR_AUTH_PUBLISHER_REQUIRED');
    expect(await stranger('POST', '/lists/card/changes', change)).toBe('401 CTR_ERR_AUTH_CERTIFICATE');
    expect(await station('POST', '/lists/card/cut')).toBe('403 CTR_ERR_AUTH_PUBLISHER_REQUIRED');
    expect(await station('POST', '/tariffs', { activation: new Date(0).toISOString() })).toBe(
      '403 CTR_ERR_AUTH_PUBLISHER_REQUIRED',
    );
    expect(await stranger('POST', '/tariffs', {})).toBe('401 CTR_ERR_AUTH_CERTIFICATE');
    // The tariff in force at the station is still the centre's published one.
    const monitor = await loginToken(t().stationFetch, t().stationUrl, DEMO.monitor);
    const status = await t().stationFetch(`${t().stationUrl}/sync/status`, {
      headers: { authorization: `Bearer ${monitor}` },
    });
    expect(((await status.json()) as { inForce: { tariff: string } }).inForce.tariff).toBe(tariffVersion);
  });

  it.todo(
    'a back-dated or unsigned tariff served to the station never takes effect — needs a publisher-side forgery harness; covered in apps/station/src/sync tests',
  );

  it('every server is still up', async () => {
    expect(t().ended()).toEqual([]);
    expect(await t().health()).toEqual({ station: 200, centre: 200, page: 200, laneSim: 200 });
  });
});
