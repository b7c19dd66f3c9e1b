import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildIndex,
  diffIndexes,
  encodeDeltaList,
  encodeFullList,
  type ListKind,
  type StatusIndex,
} from '@tollpad/lists';
import { formatTariffFile, generateProvince } from '@tollpad/tariff';
import {
  encodeSignatureHeader,
  generatePublisherKeyPair,
  publisherSigningKey,
  publisherVerifyingKeys,
  type SchemeKey,
  SIGNATURE_HEADER,
  signPublication,
} from '@tollpad/tariff/publication';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditService } from '../services/audit.service';
import { ReferenceService } from '../services/reference.service';
import { testReference } from '../testing/world';
import { createCentreHttp } from './centre-http';
import { ReferenceCache } from './reference-cache';
import { ReferenceSync } from './reference-sync';

// SYNTHETIC TEST DATA: a small province and TEST card numbers of network 9901.
const TARIFF = formatTariffFile(generateProvince({ roads: 2, stationsPerRoad: 4, seed: 7 }), 'TEST');
const TARIFF_VERSION = /"version":"([^"]+)"/.exec(TARIFF)?.[1] ?? '';
const CARD_A = '99010000000000000001';
const CARD_B = '99010000000000000002';
// TEST publisher keys: the one the station trusts, and a stranger's.
const TEST_PUBLISHER = generatePublisherKeyPair();
const TEST_PUBLISHER_KEY = publisherSigningKey(TEST_PUBLISHER.privatePem);
const TEST_STRANGER_KEY = publisherSigningKey(generatePublisherKeyPair().privatePem);
const TRUSTED = publisherVerifyingKeys(TEST_PUBLISHER.publicPem);
const PUBLISHED_AT = '2026-11-23T00:00:00.000Z';

/** How the stub signs what it serves: as the publisher, as a stranger, or not at all. */
type Signer = SchemeKey | 'none';

function index(kind: ListKind, version: string, keys: string[]): StatusIndex {
  const r = buildIndex(
    kind,
    version,
    keys.map((key) => ({ key, type: 1 })),
    'TEST',
  );
  if (!r.ok) throw r.error;
  return r.value;
}

/** A stub centre: the publication routes over an in-memory set of files (fetch-shaped). */
class StubCentre {
  fulls = new Map<string, Map<string, Uint8Array>>();
  deltas = new Map<string, { from: string; to: string; bytes: Uint8Array }[]>();
  /** The `since` listing order; tests reverse it to deliver deltas out of order. */
  reverseChain = false;
  requests: string[] = [];
  listSigner: Signer = TEST_PUBLISHER_KEY;
  tariff = { text: TARIFF, version: TARIFF_VERSION, activateAt: PUBLISHED_AT, publishedAt: PUBLISHED_AT };
  tariffSigner: Signer = TEST_PUBLISHER_KEY;

  private signed(
    signer: Signer,
    bytes: Uint8Array,
    f: { subject: string; version: string; activateAt: string; publishedAt: string },
    headers: Record<string, string> = {},
  ): Response {
    const h =
      signer === 'none'
        ? headers
        : { ...headers, [SIGNATURE_HEADER]: encodeSignatureHeader(signPublication(signer, f, bytes)) };
    return new Response(Buffer.from(bytes), { headers: h });
  }

  addFull(idx: StatusIndex) {
    const m = this.fulls.get(idx.kind) ?? new Map();
    m.set(idx.version, encodeFullList(idx));
    this.fulls.set(idx.kind, m);
  }
  addDelta(a: StatusIndex, b: StatusIndex, corrupt = false) {
    const d = diffIndexes(a, b);
    if (!d.ok) throw d.error;
    const bytes = encodeDeltaList(d.value).slice();
    if (corrupt) bytes[bytes.length - 10]! ^= 0xff;
    const list = this.deltas.get(a.kind) ?? [];
    list.push({ from: a.version, to: b.version, bytes });
    this.deltas.set(a.kind, list);
  }

  fetch: typeof fetch = async (input) => {
    const url = new URL(String(input));
    this.requests.push(url.pathname + url.search);
    const p = url.pathname;
    const json = (v: unknown) => new Response(JSON.stringify(v), { status: 200 });
    const t = this.tariff;
    if (p === '/tariffs') {
      const sha256 = createHash('sha256').update(t.text).digest('hex');
      return json({ versions: [{ version: t.version, sha256 }], current: t.version, next: null });
    }
    if (p === `/tariffs/${t.version}`) {
      const { text, ...fields } = t;
      return this.signed(this.tariffSigner, new TextEncoder().encode(text), { subject: 'tariff', ...fields });
    }
    const m = /^\/lists\/([a-z-]+)\/(versions|full|deltas)(?:\/(.+))?$/.exec(p);
    if (!m) return new Response('{}', { status: 404 });
    const [, kind = '', what, arg] = m;
    const fulls = this.fulls.get(kind) ?? new Map<string, Uint8Array>();
    const deltas = this.deltas.get(kind) ?? [];
    if (what === 'full') {
      const v = arg === 'latest' ? [...fulls.keys()].sort().at(-1) : arg;
      const bytes = v ? fulls.get(v) : undefined;
      const at = { activateAt: PUBLISHED_AT, publishedAt: PUBLISHED_AT };
      return bytes && v
        ? this.signed(
            this.listSigner,
            bytes,
            { subject: `list/${kind}/full`, version: v, ...at },
            {
              'x-list-version': v,
            },
          )
        : new Response('{}', { status: 404 });
    }
    if (what === 'deltas') {
      const d = deltas.find((x) => x.to === arg);
      const at = { activateAt: PUBLISHED_AT, publishedAt: PUBLISHED_AT };
      return d
        ? this.signed(this.listSigner, d.bytes, { subject: `list/${kind}/delta`, version: d.to, ...at })
        : new Response('{}', { status: 404 });
    }
    const since = url.searchParams.get('since');
    if (since === null)
      return json({
        versions: [...fulls.keys()].map((version) => ({ version, type: 'full', baseVersion: null })),
      });
    const chain: { version: string; type: string; baseVersion: string }[] = [];
    for (
      let at = since, d = deltas.find((x) => x.from === at);
      d;
      at = d.to, d = deltas.find((x) => x.from === at)
    )
      chain.push({ version: d.to, type: 'delta', baseVersion: d.from });
    return json({ versions: this.reverseChain ? chain.reverse() : chain });
  };
}

/** A station's reference (tariff and lists in force) before any sync, as at a start with no list files. */
function freshReference(now: () => Date = () => new Date()): ReferenceService {
  const audit = { record: async () => {} } as unknown as AuditService;
  return new ReferenceService({ tariffFile: undefined, listsDir: undefined }, audit, now, testReference());
}

function setup() {
  const centre = new StubCentre();
  const reference = freshReference();
  const sync = new ReferenceSync({
    reference,
    http: createCentreHttp({ centreUrl: 'http://centre.test', timeoutMs: 1_000, fetch: centre.fetch }),
    publishers: TRUSTED,
    intervalMs: 60_000,
  });
  return { centre, reference, sync };
}

describe('centre → station reference sync', () => {
  const v1 = index('card', '202611230800', [CARD_A]);
  const v2 = index('card', '202611230805', [CARD_A, CARD_B]);
  const v3 = index('card', '202611230810', [CARD_B]);

  it('takes the full list first, then the deltas, and swaps tariff and lists in force', async () => {
    const { centre, reference, sync } = setup();
    centre.addFull(v1);
    centre.addDelta(v1, v2);
    centre.addDelta(v2, v3);
    for (const kind of [
      'obu',
      'vehicle-chase',
      'vehicle-green',
      'vehicle-emergency',
      'vehicle-green-ban',
    ] as const)
      centre.addFull(index(kind, '202611230800', []));
    const before = reference.snapshot;
    expect(await sync.syncOnce()).toBe(true);
    expect(reference.snapshot).not.toBe(before);
    const v = reference.versions();
    expect(v.tariff.version).toBe(TARIFF_VERSION);
    expect(v.lists).toMatchObject({ card: '202611230810', obu: '202611230800' });
    expect(reference.snapshot.lists.lookup('card', CARD_A)).toBeNull();
    expect(reference.snapshot.lists.lookup('card', CARD_B)).toMatchObject({
      type: 1,
      version: '202611230810',
    });
    expect(centre.requests.filter((r) => r.startsWith('/lists/card/'))).toEqual([
      '/lists/card/full/latest',
      '/lists/card/versions?since=202611230800',
      '/lists/card/deltas/202611230805',
      '/lists/card/deltas/202611230810',
    ]);
    // Nothing new: no swap.
    expect(await sync.syncOnce()).toBe(false);
    expect(sync.status.swaps).toBe(1);
    expect(sync.status.lastSuccessAt).not.toBeNull();
  });

  it('refuses a corrupted delta and keeps the previous version in force', async () => {
    const { centre, reference, sync } = setup();
    centre.addFull(v1);
    await sync.syncOnce();
    expect(reference.versions().lists.card).toBe('202611230800');
    centre.addDelta(v1, v2, true);
    expect(await sync.syncOnce()).toBe(false);
    expect(reference.versions().lists.card).toBe('202611230800');
    expect(reference.snapshot.lists.lookup('card', CARD_A)).toMatchObject({ version: '202611230800' });
    expect(sync.status.lists.card?.error?.code).toBe('LIST_CHECKSUM');
  });

  it('refuses deltas delivered out of order and keeps the previous version in force', async () => {
    const { centre, reference, sync } = setup();
    centre.addFull(v1);
    await sync.syncOnce();
    centre.addDelta(v1, v2);
    centre.addDelta(v2, v3);
    centre.reverseChain = true; // v2→v3 arrives first
    expect(await sync.syncOnce()).toBe(false);
    expect(reference.versions().lists.card).toBe('202611230800');
    expect(sync.status.lists.card?.error?.code).toBe('LIST_VERSION_GAP');
    // In order again: both apply.
    centre.reverseChain = false;
    expect(await sync.syncOnce()).toBe(true);
    expect(reference.versions().lists.card).toBe('202611230810');
    expect(sync.status.lists.card?.error).toBeNull();
  });

  it('re-bases on a newer full file when the delta chain is broken', async () => {
    const { centre, reference, sync } = setup();
    centre.addFull(v1);
    await sync.syncOnce();
    centre.addDelta(v1, v2, true);
    centre.addFull(v3);
    expect(await sync.syncOnce()).toBe(true);
    expect(reference.versions().lists.card).toBe('202611230810');
  });

  it('an unreachable centre changes nothing and is reported', async () => {
    const { reference, sync } = setup();
    const s2 = new ReferenceSync({
      reference,
      http: createCentreHttp({ centreUrl: 'http://127.0.0.1:1', timeoutMs: 500 }),
      publishers: TRUSTED,
      intervalMs: 60_000,
    });
    const before = reference.snapshot;
    expect(await s2.syncOnce()).toBe(false);
    expect(reference.snapshot).toBe(before);
    expect(s2.status.tariff.error?.code).toBe('SYNC_CENTRE_UNREACHABLE');
    expect(sync.status.lastSuccessAt).toBeNull();
  });

  it('retries soon after a failed run, then keeps the normal interval', async () => {
    const { centre, reference } = setup();
    centre.addFull(v1);
    for (const kind of [
      'obu',
      'vehicle-chase',
      'vehicle-green',
      'vehicle-emergency',
      'vehicle-green-ban',
    ] as const)
      centre.addFull(index(kind, '202611230800', []));
    let up = false;
    const flaky: typeof fetch = (input, init) =>
      up ? centre.fetch(input, init) : Promise.reject(new Error('ECONNREFUSED (TEST)'));
    const sync = new ReferenceSync({
      reference,
      http: createCentreHttp({ centreUrl: 'http://centre.test', timeoutMs: 1_000, fetch: flaky }),
      publishers: TRUSTED,
      intervalMs: 60_000,
      retryMs: 30,
    });
    expect(await sync.syncOnce()).toBe(false);
    up = true;
    sync.start();
    for (let i = 0; i < 100 && reference.versions().lists.card !== '202611230800'; i++)
      await new Promise((r) => setTimeout(r, 10));
    await sync.stop();
    expect(reference.versions().lists.card).toBe('202611230800');
    expect(sync.status.lastSuccessAt).toBe(sync.status.lastRunAt);
  });
});

describe('the station takes only what the publisher signed', () => {
  const v1 = index('card', '202611230800', [CARD_A]);
  const v2 = index('card', '202611230805', [CARD_A, CARD_B]);
  const NEXT_TARIFF = formatTariffFile(
    generateProvince({ roads: 2, stationsPerRoad: 4, seed: 7, version: '99020101' }),
    'TEST',
  );

  const FIRST_TARIFF = formatTariffFile(
    generateProvince({ roads: 2, stationsPerRoad: 4, seed: 7, version: '99011101' }),
    'TEST',
  );

  function inForce() {
    const { centre, reference, sync } = setup();
    centre.addFull(v1);
    return { centre, reference, sync };
  }

  it('refuses an unsigned delta and a stranger-signed delta; the list in force stays', async () => {
    const { centre, reference, sync } = inForce();
    await sync.syncOnce();
    expect(reference.versions().lists.card).toBe('202611230800');
    centre.addDelta(v1, v2);
    centre.listSigner = 'none';
    expect(await sync.syncOnce()).toBe(false);
    expect(sync.status.lists.card?.error?.code).toBe('SYNC_UNSIGNED');
    centre.listSigner = TEST_STRANGER_KEY;
    expect(await sync.syncOnce()).toBe(false);
    expect(sync.status.lists.card?.error?.code).toBe('SYNC_SIGNATURE_INVALID');
    expect(reference.versions().lists.card).toBe('202611230800');
    expect(reference.snapshot.lists.lookup('card', CARD_B)).toBeNull();
    // Signed by the publisher, the same delta applies.
    centre.listSigner = TEST_PUBLISHER_KEY;
    expect(await sync.syncOnce()).toBe(true);
    expect(reference.versions().lists.card).toBe('202611230805');
  });

  it('refuses an unsigned or stranger-signed first full list: no list is taken', async () => {
    const { centre, reference, sync } = inForce();
    const before = reference.versions().lists.card;
    centre.listSigner = TEST_STRANGER_KEY;
    await sync.syncOnce();
    expect(sync.status.lists.card?.error?.code).toBe('SYNC_SIGNATURE_INVALID');
    expect(reference.versions().lists.card).toBe(before);
  });

  it('refuses an unsigned, a stranger-signed, a back-dated and an older tariff; the one in force stays', async () => {
    const { centre, reference, sync } = inForce();
    const local = reference.versions().tariff.version;
    centre.tariff = {
      text: FIRST_TARIFF,
      version: '99011101',
      activateAt: PUBLISHED_AT,
      publishedAt: PUBLISHED_AT,
    };
    centre.tariffSigner = 'none';
    await sync.syncOnce();
    expect(sync.status.tariff.error?.code).toBe('SYNC_UNSIGNED');
    centre.tariffSigner = TEST_STRANGER_KEY;
    await sync.syncOnce();
    expect(sync.status.tariff.error?.code).toBe('SYNC_SIGNATURE_INVALID');
    expect(reference.versions().tariff.version).toBe(local);

    // Signed by the publisher, it is taken: activation 2026-12-01.
    centre.tariffSigner = TEST_PUBLISHER_KEY;
    centre.tariff = { ...centre.tariff, activateAt: '2026-12-01T00:00:00.000Z' };
    await sync.syncOnce();
    expect(sync.status.tariff.error).toBeNull();
    expect(reference.versions().tariff.version).toBe('99011101');

    // A new version signed as taking effect before it was published: back-dated.
    centre.tariff = {
      text: NEXT_TARIFF,
      version: '99020101',
      activateAt: '2026-12-02T00:00:00.000Z',
      publishedAt: '2026-12-03T00:00:00.000Z',
    };
    await sync.syncOnce();
    expect(sync.status.tariff.error?.code).toBe('SYNC_BACKDATED');
    expect(reference.versions().tariff.version).toBe('99011101');

    // A version activated before the one in force: a roll-back.
    centre.tariff = { ...centre.tariff, activateAt: '2026-11-30T00:00:00.000Z', publishedAt: PUBLISHED_AT };
    await sync.syncOnce();
    expect(sync.status.tariff.error?.code).toBe('SYNC_OLDER_VERSION');
    expect(reference.versions().tariff.version).toBe('99011101');

    // Properly dated after the one in force, it is taken.
    centre.tariff = { ...centre.tariff, activateAt: '2026-12-05T00:00:00.000Z' };
    await sync.syncOnce();
    expect(sync.status.tariff.error).toBeNull();
    expect(reference.versions().tariff.version).toBe('99020101');
  });
});

describe('the green-channel lists (绿通预约, 绿通禁止): synced every 10 min, signed like the others', () => {
  const OTHERS = ['card', 'obu', 'vehicle-chase', 'vehicle-emergency'] as const;
  // TEST plates: an appointment of another province's truck (plates are national), then a second one.
  const g1 = index('vehicle-green', '202611230800', ['苏E12345_1']);
  const g2 = index('vehicle-green', '202611230810', ['苏E12345_1', '鲁B6T001_1']);
  const b1 = index('vehicle-green-ban', '202611230800', []);
  const b2 = index('vehicle-green-ban', '202611230810', ['鲁B6T003_1']);

  function world() {
    const centre = new StubCentre();
    for (const k of OTHERS) centre.addFull(index(k, '202611230800', []));
    centre.addFull(g1);
    centre.addFull(b1);
    const clock = { now: new Date('2026-11-23T00:00:00.000Z') };
    const reference = freshReference(() => clock.now);
    const sync = new ReferenceSync({
      reference,
      http: createCentreHttp({ centreUrl: 'http://centre.test', timeoutMs: 1_000, fetch: centre.fetch }),
      publishers: TRUSTED,
      intervalMs: 60_000,
      now: () => clock.now,
    });
    const later = (ms: number) => {
      clock.now = new Date(clock.now.getTime() + ms);
    };
    return { centre, reference, sync, later };
  }

  it('takes both lists at the first run, then asks again only after 10 min', async () => {
    const { centre, reference, sync, later } = world();
    await sync.syncOnce();
    expect(reference.snapshot.lists.green('苏E12345_1').appointment).toMatchObject({ type: 1 });
    expect(reference.snapshot.lists.green('鲁B6T003_1')).toMatchObject({ appointment: null, ban: null });
    centre.addDelta(g1, g2);
    centre.addDelta(b1, b2);
    later(60_000);
    centre.requests = [];
    await sync.syncOnce();
    expect(centre.requests.some((r) => r.startsWith('/lists/vehicle-green'))).toBe(false);
    expect(centre.requests.some((r) => r.startsWith('/lists/card/'))).toBe(true);
    expect(reference.snapshot.lists.green('鲁B6T001_1').appointment).toBeNull();
    later(9 * 60_000);
    await sync.syncOnce();
    expect(reference.versions().lists['vehicle-green']).toBe('202611230810');
    expect(reference.snapshot.lists.green('鲁B6T001_1').appointment).toMatchObject({ type: 1 });
    expect(reference.snapshot.lists.green('鲁B6T003_1').ban).toMatchObject({ type: 1, reason: '多次混装' });
  });

  it('refuses a ban list another publisher signed (another province’s file): the one in force stays', async () => {
    const { centre, reference, sync, later } = world();
    await sync.syncOnce();
    centre.addDelta(b1, b2);
    centre.listSigner = TEST_STRANGER_KEY;
    later(600_000);
    await sync.syncOnce();
    expect(sync.status.lists['vehicle-green-ban']?.error?.code).toBe('SYNC_SIGNATURE_INVALID');
    expect(reference.versions().lists['vehicle-green-ban']).toBe('202611230800');
    expect(reference.snapshot.lists.green('鲁B6T003_1').ban).toBeNull();
    // A kind whose last run failed is asked again at the next run, not 10 min later.
    centre.listSigner = TEST_PUBLISHER_KEY;
    later(60_000);
    await sync.syncOnce();
    expect(reference.snapshot.lists.green('鲁B6T003_1').ban).toMatchObject({ type: 1 });
  });
});

describe('a restart keeps the tariff and lists of the last sync (reference cache on the station’s disk)', () => {
  const BAN = '鲁B6T003_1'; // a TEST plate on the green-channel ban list
  const card = index('card', '202611230800', [CARD_A]);
  const ban = index('vehicle-green-ban', '202611230800', [BAN]);

  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tollpad-reference-cache-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function station(fetchImpl: typeof fetch | undefined, cacheDir: string) {
    const reference = freshReference();
    const sync = new ReferenceSync({
      reference,
      http: createCentreHttp({
        centreUrl: fetchImpl ? 'http://centre.test' : 'http://127.0.0.1:1',
        timeoutMs: 500,
        ...(fetchImpl ? { fetch: fetchImpl } : {}),
      }),
      publishers: TRUSTED,
      intervalMs: 60_000,
      cache: new ReferenceCache(cacheDir),
    });
    return { reference, sync };
  }

  it('a station restarted with the centre out of reach still refuses a blacklisted card and a banned plate', async () => {
    const centre = new StubCentre();
    centre.addFull(card);
    centre.addFull(ban);
    const first = station(centre.fetch, dir);
    await first.sync.syncOnce();
    expect(first.reference.snapshot.lists.lookup('card', CARD_A)).not.toBeNull();

    // Restarted (SIGKILL, power cut) while the centre cannot be reached.
    const again = station(undefined, dir);
    expect(again.reference.snapshot.lists.lookup('card', CARD_A)).toBeNull();
    expect(await again.sync.restore()).toBe(true);
    expect(await again.sync.syncOnce()).toBe(false);
    expect(again.reference.snapshot.lists.lookup('card', CARD_A)).toMatchObject({
      version: '202611230800',
    });
    expect(again.reference.snapshot.lists.green(BAN).ban).toMatchObject({ type: 1 });
    expect(again.sync.status.lists.card).toMatchObject({ version: '202611230800', source: 'cache' });
    expect(again.sync.status.lists.card?.error?.code).toBe('SYNC_CENTRE_UNREACHABLE');
  });

  it('a station restarted with the centre out of reach prices by the centre’s tariff, not its local one', async () => {
    const centre = new StubCentre();
    centre.addFull(card);
    const version = '99011101'; // a TEST tariff version the station's local tariff is not
    centre.tariff = {
      text: formatTariffFile(generateProvince({ roads: 2, stationsPerRoad: 4, seed: 7, version }), 'TEST'),
      version,
      activateAt: PUBLISHED_AT,
      publishedAt: PUBLISHED_AT,
    };
    const first = station(centre.fetch, dir);
    await first.sync.syncOnce();
    expect(first.reference.versions().tariff.version).toBe(version);
    const again = station(undefined, dir);
    expect(again.reference.versions().tariff.version).not.toBe(version);
    await again.sync.restore();
    await again.sync.syncOnce();
    expect(again.reference.versions().tariff.version).toBe(version);
    expect(again.sync.status.tariff).toMatchObject({ version: version, source: 'cache' });
    // The centre answers again: confirmed, nothing fetched twice.
    const third = station(centre.fetch, dir);
    await third.sync.restore();
    centre.requests = [];
    await third.sync.syncOnce();
    expect(centre.requests.filter((r) => r.startsWith('/tariffs'))).toEqual(['/tariffs']);
    expect(third.sync.status.tariff).toMatchObject({
      version: version,
      source: 'centre',
      error: null,
    });
  });

  it('goes on from the cached version with the deltas only, and keeps the newer one', async () => {
    const centre = new StubCentre();
    centre.addFull(card);
    await station(centre.fetch, dir).sync.syncOnce();
    const v2 = index('card', '202611230805', [CARD_A, CARD_B]);
    centre.addDelta(card, v2);
    const again = station(centre.fetch, dir);
    await again.sync.restore();
    centre.requests = [];
    expect(await again.sync.syncOnce()).toBe(true);
    expect(centre.requests.filter((r) => r.startsWith('/lists/card/'))).toEqual([
      '/lists/card/versions',
      '/lists/card/versions?since=202611230800',
      '/lists/card/deltas/202611230805',
    ]);
    expect(again.sync.status.lists.card).toMatchObject({ version: '202611230805', source: 'centre' });
    const third = station(undefined, dir);
    await third.sync.restore();
    expect(third.reference.snapshot.lists.lookup('card', CARD_B)).toMatchObject({
      version: '202611230805',
    });
  });

  it('a cached version this centre never published (its history reset) gives way to its latest full list', async () => {
    const before = new StubCentre();
    before.addFull(index('card', '202611230900', [CARD_A]));
    await station(before.fetch, dir).sync.syncOnce();
    // The centre starts again with a history of its own: its version sorts before the cached one.
    const centre = new StubCentre();
    centre.addFull(index('card', '202611230800', [CARD_B]));
    const again = station(centre.fetch, dir);
    await again.sync.restore();
    expect(again.reference.snapshot.lists.lookup('card', CARD_A)).not.toBeNull();
    expect(await again.sync.syncOnce()).toBe(true);
    expect(again.reference.snapshot.lists.lookup('card', CARD_A)).toBeNull();
    expect(again.reference.snapshot.lists.lookup('card', CARD_B)).toMatchObject({ version: '202611230800' });
    expect(again.sync.status.lists.card).toMatchObject({
      version: '202611230800',
      source: 'centre',
      error: null,
    });
    // Confirmed once: the next run asks for deltas only.
    centre.requests = [];
    await again.sync.syncOnce();
    expect(centre.requests.filter((r) => r.startsWith('/lists/card/'))).toEqual([
      '/lists/card/versions?since=202611230800',
    ]);
  });

  it('a damaged cache file is not taken (the centre is asked for that list); the others are', async () => {
    const centre = new StubCentre();
    centre.addFull(card);
    centre.addFull(ban);
    await station(centre.fetch, dir).sync.syncOnce();
    const path = join(dir, 'card.bin');
    const bytes = readFileSync(path);
    bytes[bytes.length - 3]! ^= 0xff;
    writeFileSync(path, bytes);
    const again = station(undefined, dir);
    expect(await again.sync.restore()).toBe(true);
    expect(again.reference.snapshot.lists.lookup('card', CARD_A)).toBeNull();
    expect(again.reference.snapshot.lists.green(BAN).ban).toMatchObject({ type: 1 });
    expect(again.sync.status.lists.card?.source).toBe('local');
  });
});
