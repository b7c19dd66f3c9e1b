import type { CpcDiversificationMode } from '../../cpc/keys';
import type { CardErrorCode } from '../../errors';
import { ApduFormatError, encodeCommand } from '../apdu';
import { concatBytes } from '../hex';
import type { CommandStatusTable } from '../status';

/** P1P2 of the CPC entry/exit key (cpc-card.md §3 step 2; 4845 is the 5.8 GHz route-data key). */
export const CPC_ENTRY_EXIT_KEY = 0x4844;

export interface CpcDeliverKeyRequest {
  /** MF/EF01 bytes 8–15. */
  readonly cpcId: Uint8Array;
  /** Area factor, MF/EF01 bytes 0–3 (mode 2 only). */
  readonly area: Uint8Array;
  readonly mode: CpcDiversificationMode;
  /** Default CPC_ENTRY_EXIT_KEY. */
  readonly keyRef?: number;
}

/**
 * PSAM DELIVER KEY: 80 1A 48 44 10 ‖ CPC ID ‖ area ‖ area (mode 2, the MOT SM4 PSAM), or 80 1A 48 44 08 ‖
 * CPC ID (mode 1, in-house test cards) (cpc-card.md §3 step 2).
 */
export function cpcDeliverKey(r: CpcDeliverKeyRequest): Uint8Array {
  if (r.cpcId.length !== 8) throw new ApduFormatError(`CPC ID must be 8 bytes, got ${r.cpcId.length}`);
  if (r.mode === 2 && r.area.length !== 4)
    throw new ApduFormatError(`area must be 4 bytes, got ${r.area.length}`);
  const keyRef = r.keyRef ?? CPC_ENTRY_EXIT_KEY;
  return encodeCommand({
    cla: 0x80,
    ins: 0x1a,
    p1: keyRef >> 8,
    p2: keyRef & 0xff,
    data: r.mode === 2 ? concatBytes(r.cpcId, r.area, r.area) : r.cpcId.slice(),
  });
}

/** DELIVER KEY: no such key in the PSAM, a factor of the wrong length, the PSAM not in DF01. */
export const CPC_DELIVER_KEY_STATUS: CommandStatusTable = new Map<number, CardErrorCode>([
  [0x6a88, 'REFERENCED_DATA_NOT_FOUND'],
  [0x6700, 'WRONG_LENGTH'],
  [0x6985, 'CONDITIONS_NOT_SATISFIED'],
  [0x6a86, 'WRONG_P1P2'],
]);
