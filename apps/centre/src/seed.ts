import { buildIndex, decodeCardKey, generateCardIndex, LIST_KINDS, type StatusIndex } from '@tollpad/lists';
import { formatTariffFile, generateProvince, SYNTHETIC_LABEL } from '@tollpad/tariff';
import type { ListsService } from './services/lists.service';
import type { TariffService } from './services/tariff.service';

export interface SeedOptions {
  seed: number;
  cardListSize: number;
  /** Extra TEST card-list entries (e.g. the demo's "on the status list" training card). */
  extraCardEntries?: readonly { key: string; type: number }[];
}

/** The synthetic tariff is in force from this date so records of any demo date find it. TEST data. */
export const SEED_TARIFF_ACTIVATION = new Date('2000-01-01T00:00:00.000Z');

/**
 * First start of the demo: publishes the seeded SYNTHETIC TEST province tariff (@tollpad/tariff generator)
 * and an initial full version of every status list (a synthetic card list, the others empty). Does nothing
 * for a part that is already published, so restarts keep their data.
 */
export async function seedCentre(
  tariffs: TariffService,
  lists: ListsService,
  opts: SeedOptions,
): Promise<{ tariff: string | null; lists: string[] }> {
  let tariff: string | null = null;
  if (tariffs.isEmpty) {
    const file = generateProvince({ seed: opts.seed });
    const text = formatTariffFile(file, `${SYNTHETIC_LABEL}: synthetic province, seed ${opts.seed}`);
    const out = await tariffs.publish({ content: text, activateAt: SEED_TARIFF_ACTIVATION, genesis: true });
    tariff = out.info.version;
  }
  const seeded: string[] = [];
  for (const kind of LIST_KINDS) {
    if (lists.summary(kind).version !== null) continue;
    const version = lists.nextVersion(kind);
    if (kind === 'card') {
      const base = generateCardIndex({ count: opts.cardListSize, seed: opts.seed, version });
      const extra = opts.extraCardEntries ?? [];
      if (extra.length === 0) {
        await lists.publishIndex(base, 'seed');
      } else {
        const entries = [...indexEntries(base), ...extra];
        await lists.publishFull('card', { entries, version, label: base.label, source: 'seed' });
      }
    } else {
      const empty = buildIndex(kind, version, [], 'SYNTHETIC TEST DATA');
      if (!empty.ok) throw empty.error;
      await lists.publishIndex(empty.value, 'seed');
    }
    seeded.push(kind);
  }
  return { tariff, lists: seeded };
}

function* indexEntries(index: StatusIndex): Generator<{ key: string; type: number }> {
  for (let i = 0; i < index.count; i++)
    yield { key: decodeCardKey(index.hi[i]!, index.lo[i]!), type: index.types[i]! };
}
