import { bytesToHex, hexToBytes } from '@tollpad/card';
import { testAuthorisationApdu } from '@tollpad/card/sim';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { CentreError } from '../errors';

export interface PsamAuthRequest {
  laneId: string;
  /** PSAM terminal number (0016), 12 hex. */
  terminalNo: string;
  /** PSAM serial (0015 bytes 0–9), 20 hex. */
  psamNo: string;
  version?: number;
  keyType?: number;
  areaCode?: string;
  /** The PSAM's 4-byte GET CHALLENGE answer (00 84 00 00 04), 8 hex. */
  random: string;
}

/** Computes the authorisation APDU; the demo uses the card package's TEST key, a province its HSM. */
export type PsamAuthoriser = (challenge: Uint8Array, req: PsamAuthRequest) => Uint8Array;

/**
 * [P] Format (matches @tollpad/card's VirtualPsam): EXTERNAL AUTHENTICATE
 * `00 82 00 00 08 ‖ 3DES_ECB(TEST_PSAM_AUTH_KEY, challenge(4) ‖ 00 00 00 00)`. No public source gives
 * the real one; a real centre plugs its own `PsamAuthoriser`.
 */
export const testPsamAuthoriser: PsamAuthoriser = (challenge) => testAuthorisationApdu(challenge);

/** PSAM online authorisation (PSAM授权, card-and-obu.md §3.0 step 5); every answer is logged. */
export class PsamService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => Date,
    private readonly authoriser: PsamAuthoriser = testPsamAuthoriser,
    /** [P] PSAM serials or terminal numbers refused authorisation (lost or withdrawn devices). */
    private readonly revoked: ReadonlySet<string> = new Set(),
  ) {}

  /** `forStation`: the station the PSAM serves (see psam-state.service.ts `psamStationOf`), kept in the log. */
  async authorise(
    req: PsamAuthRequest,
    forStation: string | null = null,
  ): Promise<{ apdu: string; expectSw: '9000' }> {
    if (!/^[0-9A-Fa-f]{8}$/.test(req.random))
      throw new CentreError('CTR_ERR_PSAM_INVALID', 'random: 8 hex digits');
    const terminalNo = req.terminalNo.toUpperCase();
    const psamNo = req.psamNo.toUpperCase();
    const at = this.now().toISOString();
    const log = async (result: string) => {
      await this.db
        .insertInto('psam_auth_log')
        .values({
          terminal_no: terminalNo,
          psam_no: psamNo,
          lane_id: req.laneId,
          station_id: forStation,
          challenge: req.random.toUpperCase(),
          result,
          at,
        })
        .execute();
    };
    if (this.revoked.has(psamNo) || this.revoked.has(terminalNo)) {
      await log('revoked');
      throw new CentreError('CTR_ERR_PSAM_REVOKED', psamNo);
    }
    const apdu = bytesToHex(this.authoriser(hexToBytes(req.random), req)).toUpperCase();
    await log('authorised');
    return { apdu, expectSw: '9000' };
  }
}
