import {
  decodeList,
  encodeKey,
  LIST_TYPES,
  type ListDelta,
  type ListKind,
  type StatusIndex,
} from '@tollpad/lists';
import { isNewer } from './list-versions';

/** An issuer's change to a status list, queued for the next delta. */
export interface ListChange {
  key: string;
  /** Status type code (business-rules §4); ignored for 'remove'. */
  type: number;
  action: 'add' | 'remove';
  issuer?: string;
}

/** Why input was refused: the error code, what was wrong, and the reference it is kept under. */
export interface ListRefusal {
  code: 'CTR_ERR_LIST_INVALID' | 'CTR_ERR_LIST_VERSION_GAP';
  detail: string;
  ref: string;
}

/** The first submitted change with a malformed key or a status type the kind does not have, if any. */
export function invalidChange(kind: ListKind, changes: readonly ListChange[]): string | null {
  const k = new Uint32Array(2);
  for (const [i, c] of changes.entries()) {
    const typeOk = c.action === 'remove' || (LIST_TYPES[kind].has(c.type) && c.type <= 255);
    if (!encodeKey(kind, c.key, k) || !typeOk)
      return `changes[${i}]: ${!typeOk ? `type ${c.type}` : `key ${c.key}`}`;
  }
  return null;
}

export type UpstreamFile =
  | { ok: true; type: 'full'; index: StatusIndex }
  | { ok: true; type: 'delta'; delta: ListDelta }
  | ({ ok: false } & ListRefusal);

/**
 * An upstream binary file checked against the list in force: a full version must be newer than it, a
 * delta must start exactly at it (a gap is refused) and lead to a newer version.
 */
export function checkUpstreamFile(
  kind: ListKind,
  bytes: Uint8Array,
  inForce: StatusIndex | undefined,
): UpstreamFile {
  const refuse = (code: ListRefusal['code'], detail: string, ref: string): UpstreamFile => ({
    ok: false,
    code,
    detail,
    ref,
  });
  const d = decodeList(bytes);
  if (!d.ok) return refuse('CTR_ERR_LIST_INVALID', `${d.error.field}: ${d.error.reason}`, kind);
  if (d.value.type === 'full') {
    const idx = d.value.index;
    if (idx.kind !== kind) return refuse('CTR_ERR_LIST_INVALID', `file kind ${idx.kind}`, kind);
    if (inForce && !isNewer(idx.version, inForce.version)) {
      return refuse(
        'CTR_ERR_LIST_INVALID',
        `full version ${idx.version} not after ${inForce.version}`,
        `${kind}:${idx.version}`,
      );
    }
    return { ok: true, type: 'full', index: idx };
  }
  const delta = d.value.delta;
  if (delta.kind !== kind) return refuse('CTR_ERR_LIST_INVALID', `file kind ${delta.kind}`, kind);
  if (!inForce || delta.fromVersion !== inForce.version) {
    return refuse(
      'CTR_ERR_LIST_VERSION_GAP',
      `delta ${delta.fromVersion}→${delta.toVersion}, version in force ${inForce?.version ?? '(none)'}`,
      `${kind}:${delta.toVersion}`,
    );
  }
  if (!isNewer(delta.toVersion, inForce.version)) {
    return refuse(
      'CTR_ERR_LIST_INVALID',
      `delta to ${delta.toVersion} not after ${inForce.version}`,
      `${kind}:${delta.toVersion}`,
    );
  }
  return { ok: true, type: 'delta', delta };
}
