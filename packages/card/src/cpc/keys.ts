/**
 * Per-card CPC key diversification (cpc-card.md §1): each level is SM4-ECB of the parent key over
 * factor ‖ ~factor, and its result is the parent of the next level. The PSAM does the same from 801A's data.
 */
import { hexToBytes } from '../apdu/hex';
import { diversifyKey } from '../crypto/pboc';

/**
 * [P] cpc-card.md §1: the mode is configuration (per issuer and PSAM), never read from the card.
 * 1 = one level, CPC ID only (in-house test cards); 2 = area ‖ area first, then the CPC ID (MOT SM4 PSAM).
 */
export type CpcDiversificationMode = 1 | 2;

export interface CpcKeyFactors {
  mode: CpcDiversificationMode;
  /** Area factor: MF/EF01 bytes 0–3 (the province's short name in GBK), 4 B or 8 hex digits. */
  area: Uint8Array | string;
  /** CPC ID: MF/EF01 bytes 8–15, 8 B or 16 hex digits. */
  cpcId: Uint8Array | string;
}

const bytesOf = (v: Uint8Array | string): Uint8Array => (typeof v === 'string' ? hexToBytes(v) : v);

/** The 8 B factor of every level, in the order they are applied. */
export function cpcKeyFactors(f: CpcKeyFactors): Uint8Array[] {
  const cpcId = bytesOf(f.cpcId);
  if (f.mode === 1) return [cpcId];
  const area = bytesOf(f.area);
  const twice = new Uint8Array(area.length * 2);
  twice.set(area);
  twice.set(area, area.length);
  return [twice, cpcId];
}

/** Every level's key, the card's own key last (mode 2: [level-1 key, card key]). */
export function cpcKeyLevels(root: Uint8Array, f: CpcKeyFactors): Uint8Array[] {
  return keyLevelsOver(root, cpcKeyFactors(f));
}

/**
 * Each factor's level in turn (the PSAM's view: 801A's data cut into 8 B factors, applied in the order given).
 * Throws CRYPTO_KEY_LENGTH for a factor that is not 8 B or a root that is not 16 B.
 */
export function keyLevelsOver(root: Uint8Array, factors: readonly Uint8Array[]): Uint8Array[] {
  const levels: Uint8Array[] = [];
  let parent = root;
  for (const factor of factors) {
    parent = diversifyKey('sm4', parent, factor);
    levels.push(parent);
  }
  return levels;
}

/** The card's diversified key (e.g. UK1 from the UK1 root key). */
export function diversifyCpcKey(root: Uint8Array, f: CpcKeyFactors): Uint8Array {
  const levels = cpcKeyLevels(root, f);
  return levels[levels.length - 1] ?? root;
}
