import { beijingCompact } from '@tollpad/domain';
import type { ListVersionRow } from '../repositories/lists.repository';

/** A published version of a status list, as the stations see it in the version listing. */
export interface ListVersionInfo {
  version: string;
  type: 'full' | 'delta';
  baseVersion: string | null;
  entryCount: number;
  added: number;
  removed: number;
  source: string;
  bytes: number;
  createdAt: string;
}

export interface ListsPolicy {
  /** [S] Card/OBU increments every 5 min, version = minute timestamp ending in 0 or 5 (business-rules §4). */
  deltaMinutes: number;
  /** [P] After this many deltas since the last full version, a full version is published too (288 = daily). */
  fullEveryDeltas: number;
}

export const DEFAULT_LISTS_POLICY: ListsPolicy = { deltaMinutes: 5, fullEveryDeltas: 288 };

/** Versions of equal length compare as text (timestamps); otherwise any different label counts as newer. */
export function isNewer(a: string, b: string): boolean {
  return a.length === b.length ? a > b : a !== b;
}

/**
 * The next version label: the current slot of `deltaMinutes` in Beijing time (YYYYMMDDhhmm), or the first
 * slot after the version in force when that one is already taken, so versions always increase.
 */
export function nextVersionLabel(now: Date, deltaMinutes: number, inForce: string | undefined): string {
  const step = deltaMinutes * 60_000;
  let slot = Math.floor(now.getTime() / step) * step;
  const label = (ms: number) => beijingCompact(new Date(ms)).slice(0, 12);
  while (inForce !== undefined && !isNewer(label(slot), inForce)) slot += step;
  return label(slot);
}

/** The delta chain after `since`: follow base → version links through the versions in publication order. */
export function deltaChain(all: readonly ListVersionInfo[], since: string): ListVersionInfo[] {
  const chain: ListVersionInfo[] = [];
  let at = since;
  for (const v of all) {
    if (v.type === 'delta' && v.baseVersion === at) {
      chain.push(v);
      at = v.version;
    }
  }
  return chain;
}

export function versionInfo(r: Omit<ListVersionRow, 'signature' | 'list_kind'>): ListVersionInfo {
  return {
    version: r.version,
    type: r.type === 'full' ? 'full' : 'delta',
    baseVersion: r.base_version ?? null,
    entryCount: r.entry_count,
    added: r.added,
    removed: r.removed,
    source: r.source,
    bytes: toBytes(r.payload).length,
    createdAt: r.created_at,
  };
}

export function toBytes(p: Uint8Array): Uint8Array {
  // Node Buffers from the drivers may be pooled slices; the list decoder copies when unaligned.
  return p instanceof Uint8Array ? p : new Uint8Array(p);
}
