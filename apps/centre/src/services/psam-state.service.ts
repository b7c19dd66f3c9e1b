import { parseLaneId } from '@tollpad/domain';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { CentreError } from '../errors';

/** A PSAM's authorisation at the centre: its last answer, or none asked yet. */
export interface PsamState {
  terminalNo: string;
  /** `revoked` also when the PSAM was authorised before and is in the revoked set now. */
  state: 'authorised' | 'revoked' | 'never';
  psamNo: string | null;
  laneId: string | null;
  at: string | null;
}

/**
 * The station a PSAM authorisation is for: the calling station (its certificate) when a station asks;
 * otherwise (a publisher's tools acting for a handheld) the station of the lane named, if it is a lane ID.
 */
export function psamStationOf(callerStation: string | null, laneId: string): string | null {
  if (callerStation !== null) return callerStation;
  return parseLaneId(laneId).ok ? laneId.slice(0, 14) : null;
}

/**
 * What a station may know of its PSAMs' authorisation (系统配置 shows it per handheld). A PSAM belongs to the
 * station its last authorisation was for: one last authorised for another station — or for none recorded —
 * is refused, so a station learns nothing of another's devices.
 */
export class PsamStateService {
  constructor(
    private readonly db: Kysely<Database>,
    /** [P] The same revoked set the authorisation refuses (PSAM serials or terminal numbers). */
    private readonly revoked: ReadonlySet<string>,
  ) {}

  /** `stationId`: the asking station, from its certificate. */
  async stateFor(terminalNo: string, stationId: string): Promise<PsamState> {
    const t = terminalNo.toUpperCase();
    const last = await this.db
      .selectFrom('psam_auth_log')
      .select(['psam_no', 'lane_id', 'station_id', 'result', 'at'])
      .where('terminal_no', '=', t)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!last) {
      return {
        terminalNo: t,
        state: this.revoked.has(t) ? 'revoked' : 'never',
        psamNo: null,
        laneId: null,
        at: null,
      };
    }
    if (last.station_id !== stationId) throw new CentreError('CTR_ERR_PSAM_WRONG_STATION', t);
    const revoked = last.result === 'revoked' || this.revoked.has(t) || this.revoked.has(last.psam_no);
    return {
      terminalNo: t,
      state: revoked ? 'revoked' : 'authorised',
      psamNo: last.psam_no,
      laneId: last.lane_id,
      at: last.at,
    };
  }
}
