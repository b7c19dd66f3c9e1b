import { randomUUID } from 'node:crypto';
import type { ReceiptKind, ReceiptLog } from '@tollpad/station-api';
import { StationError } from '../errors';
import type { Executor } from '../repositories/executor';
import type { ReceiptsRepository } from '../repositories/receipts.repository';
import type { RecordsRepository } from '../repositories/records.repository';
import type { AuditService } from './audit.service';
import type { Principal } from './auth.service';
import type { ExitOwnership } from './exit-ownership';

/**
 * Receipts printed at the exit (payments.md §8): each print and reprint (重打, scrap type 1) of a committed
 * exit's receipt is logged — who, when, which exit — for the shift's hand-over. The record is read as the
 * caller may see it: a collector only their own terminal's and open shift's.
 */
export class ReceiptsService {
  constructor(
    private readonly repo: ReceiptsRepository,
    private readonly records: RecordsRepository,
    private readonly ownership: ExitOwnership,
    private readonly audit: AuditService,
    private readonly db: Executor,
    private readonly now: () => Date,
  ) {}

  async log(p: Principal, tradeId: string, kind: ReceiptKind): Promise<ReceiptLog> {
    const r = await this.records.find(tradeId);
    if (!r) throw new StationError('STN_ERR_RECORD_NOT_FOUND', tradeId);
    await this.ownership.require(p, r);
    const row = {
      id: randomUUID(),
      trade_id: r.trade_id,
      shift_id: r.shift_id,
      kind,
      actor: p.accountId,
      at: this.now().toISOString(),
    };
    await this.db.transaction().execute(async (t) => {
      await this.repo.insert(row, t);
      if (kind === 'reprint')
        await this.audit.record({ actor: p.accountId, action: 'receipt.reprint', target: r.trade_id }, t);
    });
    return { id: row.id, tradeId: row.trade_id, kind, by: row.actor, at: row.at };
  }
}
