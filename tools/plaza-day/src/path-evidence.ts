import type { ExitPath } from '@tollpad/station-api';
import type { EvidenceFact } from './served-vehicle';
import { ApiError } from './station-client';
import type { StationCall } from './station-setup';

/**
 * A committed exit's evidence as the shift leader opens it at the end of the day (`GET /exits/:id/path`):
 * where the path came from, the gantries in it that the gantries themselves reported, and the photos on it
 * (the lane and gantry cameras', the exit's own).
 */
export async function pathEvidence(
  sc: StationCall,
  token: string,
  txnId: string,
  tradeId: string,
  passages: number,
): Promise<EvidenceFact> {
  try {
    const path = await sc<ExitPath>('GET', `/exits/${txnId}/path`, token);
    const points = [path.entry, ...path.gantries, path.exit];
    return {
      tradeId,
      passages,
      source: path.source,
      gantries: path.gantries.filter((g) => g.observed).length,
      photos: points.filter((p) => p?.photo).length,
    };
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return { tradeId, passages, gantries: null, photos: 0, error: e.code || `HTTP ${e.status}` };
  }
}
