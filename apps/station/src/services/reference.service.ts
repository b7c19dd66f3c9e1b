import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListStore } from '@tollpad/lists';
import {
  buildMinFeeTables,
  compileNetwork,
  generateProvince,
  loadTariff,
  type MinFeeTables,
  type Network,
} from '@tollpad/tariff';
import { StationError } from '../errors';
import {
  type GreenListFile,
  type ListFile,
  type ListKind,
  type StatusLists,
  statusListsFromStore,
  storeFromJson,
} from '../ports/status-lists';
import type { AuditService } from './audit.service';

export interface TariffInForce {
  network: Network;
  tables: MinFeeTables;
  version: string;
  loadedAt: string;
}

export interface ReferenceSnapshot {
  tariff: TariffInForce;
  lists: StatusLists;
  listsLoadedAt: string;
}

export interface ReferenceSources {
  tariffFile: string | undefined;
  listsDir: string | undefined;
}

/**
 * Tariff and status lists in force. Loaded from files at start; a reload builds a complete new snapshot
 * and swaps one reference, so a request sees either the old or the new versions, never a mix.
 * Without TARIFF_FILE the synthetic province (SYNTHETIC TEST DATA from @tollpad/tariff) is used.
 */
export class ReferenceService {
  private snap: ReferenceSnapshot;

  constructor(
    private readonly sources: ReferenceSources,
    private readonly audit: AuditService,
    private readonly now: () => Date,
    initial?: ReferenceSnapshot,
  ) {
    this.snap = initial ?? this.load();
  }

  get snapshot(): ReferenceSnapshot {
    return this.snap;
  }

  versions() {
    return {
      tariff: { version: this.snap.tariff.version, loadedAt: this.snap.tariff.loadedAt },
      lists: this.snap.lists.versions(),
      listsLoadedAt: this.snap.listsLoadedAt,
    };
  }

  /** Swaps in a prepared snapshot (the centre sync and the reload from files call this). */
  async swap(next: ReferenceSnapshot, actor: string): Promise<void> {
    const before = this.versions();
    this.snap = next;
    await this.audit.record({
      actor,
      action: 'reference.swap',
      target: 'reference',
      detail: { before, after: this.versions() },
    });
  }

  async reload(actor: string): Promise<void> {
    let next: ReferenceSnapshot;
    try {
      next = this.load();
    } catch (e) {
      throw new StationError(
        'STN_ERR_CONFIG_REFERENCE_INVALID',
        e instanceof Error ? e.message.slice(0, 200) : undefined,
        {
          cause: e,
        },
      );
    }
    await this.swap(next, actor);
  }

  private load(): ReferenceSnapshot {
    const at = this.now().toISOString();
    return {
      tariff: loadTariffFrom(this.sources.tariffFile, at),
      lists: loadLists(this.sources.listsDir),
      listsLoadedAt: at,
    };
  }
}

function loadTariffFrom(file: string | undefined, loadedAt: string): TariffInForce {
  let network: Network;
  if (file) {
    const r = loadTariff(readFileSync(file, 'utf8'));
    if (!r.ok)
      throw new Error(
        `tariff ${file}: ${r.error
          .slice(0, 3)
          .map((e) => e.message)
          .join('; ')}`,
      );
    network = r.value;
  } else {
    const r = compileNetwork(generateProvince({}));
    if (!r.ok) throw new Error('synthetic tariff failed to compile');
    network = r.value;
  }
  return tariffFromNetwork(network, loadedAt);
}

export function tariffFromNetwork(network: Network, loadedAt: string): TariffInForce {
  return { network, tables: buildMinFeeTables(network), version: network.version, loadedAt };
}

/**
 * Lists from LISTS_DIR: binary list files of @tollpad/lists (`*.bin`, full then deltas, applied in name
 * order) and/or JSON files `<card|obu|vehicle>.json`. A refused file fails the load, so a reload keeps the
 * lists in force.
 */
function loadLists(dir: string | undefined): StatusLists {
  const store = new ListStore();
  if (dir) {
    for (const name of readdirSync(dir)
      .filter((n) => n.endsWith('.bin'))
      .sort()) {
      const r = store.loadFile(readFileSync(join(dir, name)));
      if (!r.ok) throw new Error(`list ${name}: ${r.error.field}: ${r.error.reason}`);
    }
    const files: Partial<Record<ListKind | GreenListFile, ListFile>> = {};
    // The green-channel appointments and bans as `green.json` / `green-ban.json` (ports/status-lists.ts).
    for (const kind of ['card', 'obu', 'vehicle', 'green', 'green-ban'] as const) {
      const p = join(dir, `${kind}.json`);
      if (existsSync(p)) files[kind] = JSON.parse(readFileSync(p, 'utf8')) as ListFile;
    }
    storeFromJson(files, store);
  }
  return statusListsFromStore(store);
}
