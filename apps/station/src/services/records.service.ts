import type { ExitRecordRow } from '../db/schema';
import { StationError } from '../errors';
import type { RecordFilter, RecordsRepository } from '../repositories/records.repository';

/** Read side of the exit records (listing and search). Records are written only by ExitService.commit. */
export class RecordsService {
  constructor(private readonly repo: RecordsRepository) {}

  search(f: RecordFilter): Promise<ExitRecordRow[]> {
    return this.repo.search(f);
  }

  async require(tradeId: string): Promise<ExitRecordRow> {
    const r = await this.repo.find(tradeId);
    if (!r) throw new StationError('STN_ERR_RECORD_NOT_FOUND', tradeId);
    return r;
  }
}
