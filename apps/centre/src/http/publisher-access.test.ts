import { readFileSync } from 'node:fs';
import { formatTariffFile, generateProvince } from '@tollpad/tariff';
import {
  decodeSignatureHeader,
  publisherVerifyingKeys,
  SIGNATURE_HEADER,
  verifyPublication,
} from '@tollpad/tariff/publication';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPublisherKeyPaths } from '../services/publisher';
import { type Harness, startHarness, TEST_SEED } from '../testing/harness';
import { DIALECTS } from '../testing/test-db';
import { TEST_PEER_HEADER } from './peer';

describe.each(DIALECTS)('publishing needs a publisher, and what is published is signed, on %s', (dialect) => {
  let h: Harness;
  let station: string;
  const file = formatTariffFile(generateProvince({ seed: TEST_SEED, version: '99030101' }));

  beforeAll(async () => {
    h = await startHarness(dialect);
    station = (await h.centre.services.tariffs.activeAt()).network.stations[2]!.id;
  });
  afterAll(async () => h?.close());

  it('refuses a station that publishes a tariff, a list change, a cut or a list file', async () => {
    const as = { [TEST_PEER_HEADER]: station };
    const attempts = [
      h.call('POST', '/tariffs', {
        body: { content: file, activateAt: '2026-12-01T00:00:00Z' },
        headers: as,
      }),
      h.call('POST', '/lists/card/changes', {
        body: { changes: [{ key: '99010000000000000042', type: 1, action: 'add' }] },
        headers: as,
      }),
      h.call('POST', '/lists/card/cut', { headers: as }),
      h.call('POST', '/lists/card/publish-full', { headers: as }),
      h.call('POST', '/lists/card/files', { payload: Buffer.from('TPSL'), headers: as }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('CTR_ERR_AUTH_PUBLISHER_REQUIRED');
    }
    expect((await h.call('GET', '/tariffs')).json().versions).toHaveLength(1);
    expect((await h.call('GET', '/lists/card/lookup/99010000000000000042')).json().hit).toBeNull();
  });

  it('refuses a caller without a certificate on every non-public route', async () => {
    const none = { [TEST_PEER_HEADER]: 'nobody' };
    for (const [method, url] of [
      ['GET', '/tariffs'],
      ['POST', '/records'],
      ['POST', '/lists/card/cut'],
    ] as const) {
      const res = await h.call(method, url, { headers: none });
      expect(res.statusCode, url).toBe(401);
      expect(res.json().code).toBe('CTR_ERR_AUTH_CERTIFICATE');
    }
  });

  it('refuses a back-dated tariff and keeps the one in force', async () => {
    const res = await h.call('POST', '/tariffs', {
      body: { content: file, activateAt: '2026-11-23T07:59:59Z' }, // the harness clock is 08:00
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('CTR_ERR_TARIFF_BACKDATED');
    expect(res.json().rejectionId).toBeGreaterThan(0);
    expect((await h.call('GET', '/tariffs')).json().current).toBe('99010101');
  });

  it('serves tariff and list files with a signature that verifies with the publisher key', async () => {
    const trusted = publisherVerifyingKeys(
      readFileSync(testPublisherKeyPaths(h.db.dataDir).publicKey, 'utf8'),
    );
    /** Whether the file at `url` carries a signature over its bytes, for `subject` at its version. */
    const verifies = async (
      url: string,
      subject: string,
      version: (headers: Record<string, unknown>) => string,
    ) => {
      const r = await h.call('GET', url);
      const signature = decodeSignatureHeader(r.headers[SIGNATURE_HEADER] as string);
      return verifyPublication(trusted, signature, r.rawPayload, { subject, version: version(r.headers) }).ok;
    };
    expect(await verifies('/tariffs/current', 'tariff', () => '99010101')).toBe(true);
    expect(
      await verifies(
        '/lists/card/full/latest',
        'list/card/full',
        (headers) => headers['x-list-version'] as string,
      ),
    ).toBe(true);
  });
});
