import { formatTariffFile, generateProvince } from '@tollpad/tariff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, TEST_SEED } from '../testing/harness';
import { DIALECTS } from '../testing/test-db';

describe.each(DIALECTS)('tariff publication on %s', (dialect) => {
  let h: Harness;
  const next = formatTariffFile(generateProvince({ seed: TEST_SEED, version: '99020101' }));

  beforeAll(async () => {
    h = await startHarness(dialect);
  });
  afterAll(async () => h?.close());

  it('serves the seeded synthetic tariff as the version in force', async () => {
    const list = (await h.call('GET', '/tariffs')).json();
    expect(list.current).toBe('99010101');
    expect(list.versions[0].label).toContain('SYNTHETIC TEST DATA');
    expect(list.next).toBeNull();
    const file = await h.call('GET', '/tariffs/current');
    expect(file.headers['x-tariff-version']).toBe('99010101');
    expect(file.body).toContain('"type":"header"');
  });

  it('publishes a new version that comes into force at its activation time', async () => {
    const res = await h.call('POST', '/tariffs', {
      body: { content: next, activateAt: '2026-11-24T00:00:00+08:00' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ version: '99020101', activateAt: '2026-11-23T16:00:00.000Z' });
    // Publishing the same file again is idempotent.
    expect(
      (await h.call('POST', '/tariffs', { body: { content: next, activateAt: '2026-11-24T00:00:00+08:00' } }))
        .statusCode,
    ).toBe(200);
    let list = (await h.call('GET', '/tariffs')).json();
    expect(list.current).toBe('99010101');
    expect(list.next.version).toBe('99020101');
    h.clock.now = new Date('2026-11-23T16:00:00.000Z');
    list = (await h.call('GET', '/tariffs')).json();
    expect(list.current).toBe('99020101');
    expect((await h.centre.services.tariffs.activeAt(new Date('2026-11-23T15:59:59Z'))).version).toBe(
      '99010101',
    );
  });

  it('refuses an invalid file and a changed file under a published version, keeping both', async () => {
    const broken = await h.call('POST', '/tariffs', {
      body: { content: '{"type":"header"}\n', activateAt: '2026-12-01T00:00:00Z' },
    });
    expect(broken.statusCode).toBe(422);
    expect(broken.json().code).toBe('CTR_ERR_TARIFF_INVALID');
    const changed = `${next}\n# a changed file\n`;
    const conflict = await h.call('POST', '/tariffs', {
      body: { content: changed, activateAt: '2026-12-01T00:00:00Z' },
    });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().code).toBe('CTR_ERR_TARIFF_VERSION_CONFLICT');
    const kept = (await h.call('GET', '/rejected?kind=tariff')).json().rejected as { code: string }[];
    expect(kept.map((k) => k.code).sort()).toEqual([
      'CTR_ERR_TARIFF_INVALID',
      'CTR_ERR_TARIFF_VERSION_CONFLICT',
    ]);
    expect((await h.call('GET', '/tariffs/00000000')).json().code).toBe('CTR_ERR_TARIFF_NOT_FOUND');
  });
});
