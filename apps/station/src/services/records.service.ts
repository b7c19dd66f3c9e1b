import { createHash } from 'node:crypto';
import {
  beijingBatch,
  checkExitRecord,
  type ExitRecord,
  formatExitTradeId,
  formatVehicleId,
  isVehicleClass,
  isVehicleKind,
  type PlateColour,
  parseVehicleId,
  validatePlate,
} from '@tollpad/domain';
import { timeOrderedId } from '@tollpad/server-kit';
import type { Correction } from '@tollpad/station-api';
import type { OpenedDatabase } from '../db/database';
import type { ExitRecordRow } from '../db/schema';
import { StationError } from '../errors';
import type { ExitsRepository } from '../repositories/exits.repository';
import type { RecordFilter, RecordsRepository } from '../repositories/records.repository';
import type { AuditService } from './audit.service';
import type { Principal } from './auth.service';
import type { ExitOwnership } from './exit-ownership';

/**
 * Records: search, and corrections. A committed record never changes (the DB refuses UPDATE/DELETE); a
 * correction is a new record with its own trade ID, `correctsId` pointing at the original, uploaded
 * through the outbox like any record. Money fields are copied: the card debit itself cannot change.
 */
export class RecordsService {
  constructor(
    private readonly repo: RecordsRepository,
    private readonly exits: ExitsRepository,
    private readonly audit: AuditService,
    private readonly db: OpenedDatabase,
    private readonly now: () => Date,
    private readonly ownership: ExitOwnership,
  ) {}

  search(f: RecordFilter): Promise<ExitRecordRow[]> {
    return this.repo.search(f);
  }

  async require(tradeId: string): Promise<ExitRecordRow> {
    const r = await this.repo.find(tradeId);
    if (!r) throw new StationError('STN_ERR_RECORD_NOT_FOUND', tradeId);
    return r;
  }

  /** One record as the caller may see it: a collector only their own terminal's and shift's. */
  async read(p: Principal, tradeId: string): Promise<ExitRecordRow> {
    const r = await this.require(tradeId);
    await this.ownership.require(p, r);
    return r;
  }

  async correct(p: Principal, tradeId: string, c: Correction): Promise<ExitRecordRow> {
    const orig = await this.require(tradeId);
    if (c.vehicleClass !== undefined && !isVehicleClass(c.vehicleClass)) {
      throw new StationError('STN_ERR_REQ_INVALID', `vehicleClass ${c.vehicleClass}`);
    }
    if (c.vehicleKind !== undefined && !isVehicleKind(c.vehicleKind)) {
      throw new StationError('STN_ERR_REQ_INVALID', `vehicleKind ${c.vehicleKind}`);
    }
    const base = JSON.parse(orig.record_json) as ExitRecord;
    let vehicleId = base.vehicleId;
    if (c.plate !== undefined || c.plateColour !== undefined) {
      const cur = parseVehicleId(base.vehicleId);
      const plate = c.plate ?? (cur.ok ? cur.value.plate : '');
      const colour = c.plateColour ?? (cur.ok ? cur.value.colour : 0);
      const v = validatePlate(plate, colour);
      if (!v.ok) throw new StationError('STN_ERR_EXIT_PLATE_INVALID', `${v.error.field}: ${v.error.reason}`);
      vehicleId = formatVehicleId(v.value.plate, v.value.colour as PlateColour);
    }
    const now = this.now();
    let row: ExitRecordRow | undefined;
    await this.db.db.transaction().execute(async (trx) => {
      const batch = beijingBatch(now);
      const serial = await this.exits.nextSerial(orig.lane_id, batch, trx);
      const id = formatExitTradeId({ laneId: orig.lane_id, batch, serial });
      const record: ExitRecord = {
        ...base,
        id,
        vehicleId,
        ...(c.vehicleClass !== undefined ? { vehicleType: c.vehicleClass as ExitRecord['vehicleType'] } : {}),
        ...(c.vehicleKind !== undefined ? { vehicleClass: c.vehicleKind as ExitRecord['vehicleClass'] } : {}),
        description: `更正 ${orig.trade_id}：${c.reason}`.slice(0, 256),
        correctsId: orig.trade_id,
      };
      const checked = checkExitRecord(record);
      if (!checked.ok)
        throw new StationError('STN_ERR_REQ_INVALID', `${checked.error.field}: ${checked.error.reason}`);
      const json = JSON.stringify(checked.value);
      row = {
        ...orig,
        trade_id: id,
        txn_id: null,
        kind: 'correction',
        supersedes: orig.trade_id,
        vehicle_id: record.vehicleId,
        vehicle_class: record.vehicleType,
        vehicle_kind: record.vehicleClass,
        auth_by: p.accountId,
        commit_digest: createHash('sha256').update(json).digest('hex'),
        record_json: json,
        created_at: now.toISOString(),
      };
      await this.repo.insert(row, trx);
      await this.repo.insertOutbox(
        {
          id: timeOrderedId(),
          topic: 'exit-record',
          idempotency_key: id,
          payload: json,
          created_at: row.created_at,
        },
        trx,
      );
      await this.audit.record(
        {
          actor: p.accountId,
          action: 'record.correct',
          target: orig.trade_id,
          detail: { correction: id, ...c },
        },
        trx,
      );
    });
    if (!row) throw new StationError('STN_ERR_INTERNAL');
    return row;
  }
}
