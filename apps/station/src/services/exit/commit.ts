import type { AnyExitRecord } from '@tollpad/domain';
import { timeOrderedId } from '@tollpad/server-kit';
import type { ExitRecordRow, ExitTxnRow } from '../../db/schema';
import { StationError } from '../../errors';
import type { Executor } from '../../repositories/executor';
import type { Principal } from '../auth.service';
import type { ExitServiceDeps } from '../exit.service';
import { type FeeJson, readJsonColumn } from '../json-columns';
import type { ExitParts, ExitTypes } from './exit-parts';
import {
  GREEN_INSPECTION_KEY_SUFFIX,
  GREEN_INSPECTION_TOPIC,
  greenInspectionUpload,
} from './green-inspection-upload';
import { buildExitRecord } from './record';
import { STEP } from './states';

/** A commit's answer: the record row, whether it was already there, and the record as built (first time). */
export type Committed = { record: ExitRecordRow; replayed: boolean; built?: AnyExitRecord };

/** 【提交数据】 and recovery from a proof of payment are audited under their own action. */
export type CommitAction = 'exit.commit' | 'exit.recover';

/**
 * 【提交数据】: the payment's proof → the exit record, its outbox row, the committed state and the audit entry
 * in one DB transaction; idempotent on the trade ID (a replay with the same proof gets the same record).
 */
export class ExitCommit<T extends ExitTypes> {
  constructor(
    private readonly d: ExitServiceDeps,
    private readonly parts: ExitParts<T>,
  ) {}

  /** Commits the proof, then tells the listeners (a replay too: they may have missed the first answer). */
  async commit(p: Principal, id: string, c: T['proof'], action: CommitAction): Promise<Committed> {
    const r = await this.write(p, id, c, action);
    this.committed(r.record, r.replayed);
    return r;
  }

  private committed(row: ExitRecordRow, replayed: boolean): void {
    try {
      this.d.onRecordCommitted?.(row, replayed);
    } catch {
      // A listener (lane, relay) must never turn a durable commit into an error for the collector.
    }
  }

  private async write(p: Principal, id: string, c: T['proof'], action: CommitAction): Promise<Committed> {
    const { payment } = this.parts;
    const digest = payment.digest(id, c);
    const t = await this.d.exits.find(id);
    if (!t) throw new StationError('STN_ERR_EXIT_NOT_FOUND', id);
    // Before the idempotency read: a replayed answer would hand another collector the record.
    await this.d.ownership.require(p, t);
    // A pending debit holding this trade ID has no record yet (the record and the 'committed' state are
    // written in one transaction; trade IDs are never reused): only other cases need the idempotency
    // read. A concurrent first commit still meets the unique trade ID below.
    if (!(t.state === 'debit_pending' && t.trade_id === c.tradeId)) {
      const existing = await this.d.records.find(c.tradeId);
      if (existing) return this.replay(existing, digest);
    }
    if (t.state === 'cancelled') throw new StationError('STN_ERR_EXIT_CANCELLED');
    if (t.state === 'committed') {
      // A concurrent commit of the same transaction finished between our two reads.
      const winner = t.trade_id ? await this.d.records.find(t.trade_id) : undefined;
      if (winner && t.trade_id === c.tradeId) return this.replay(winner, digest);
    }
    if (t.state !== 'debit_pending' || !t.debit_json || !t.fee_json)
      throw new StationError('STN_ERR_EXIT_BAD_STATE', t.state);
    if (t.trade_id !== c.tradeId) throw new StationError('STN_ERR_EXIT_COMMIT_CONFLICT', 'tradeId');
    const announced = readJsonColumn<T['debit']>(t.debit_json);
    // Refused before any write, so the genuine proof still commits.
    payment.verifyProof(announced, c);
    // A payment the station made itself: only a captured one makes a record (refused otherwise).
    const debit = payment.captured ? await payment.captured(t, announced) : announced;
    this.parts.cardWrite.verifyProof?.(c);
    const record = await this.buildRecord(p, t, debit, c);
    const row: ExitRecordRow = {
      trade_id: c.tradeId,
      txn_id: t.id,
      kind: 'exit',
      supersedes: null,
      pass_id: record.passId,
      lane_id: t.lane_id,
      terminal_id: t.terminal_id,
      shift_id: t.shift_id,
      collector_id: t.collector_id,
      medium: t.medium,
      card_no: t.card_no,
      vehicle_id: record.vehicleId,
      ex_time: debit.exTime,
      special_types: `|${record.specialType}|`,
      exit_fee_type: record.exitFeeType,
      vehicle_class: record.vehicleType,
      vehicle_kind: record.vehicleClass,
      fee: record.fee,
      pay_fee: record.payFee,
      auth_by: t.auth_status === 'approved' || t.auth_status === 'refused' ? t.auth_by : null,
      commit_digest: digest,
      record_json: JSON.stringify(record),
      created_at: this.iso(),
    };
    try {
      await this.d.exits.inTransaction(async (trx) => {
        await this.d.records.insert(row, trx);
        await payment.bind?.(t, debit, c.tradeId, trx);
        await this.d.records.insertOutbox(
          {
            id: timeOrderedId(),
            topic: 'exit-record',
            idempotency_key: c.tradeId,
            payload: row.record_json,
            created_at: row.created_at,
          },
          trx,
        );
        await this.outboxGreenInspection(record, row.created_at, trx);
        const ok = await this.d.exits.transition(
          t.id,
          STEP.commit.from,
          { state: STEP.commit.to, updated_at: row.created_at },
          trx,
        );
        if (!ok) throw new StationError('STN_ERR_EXIT_BAD_STATE');
        await this.d.audit.record(
          { actor: p.accountId, action, target: c.tradeId, detail: { txn: t.id, fee: record.fee } },
          trx,
        );
      });
    } catch (e) {
      // A concurrent commit of the same trade ID won the race: answer with its record.
      if (
        this.d.db.ops.isUniqueViolation(e) ||
        (e instanceof StationError && e.code === 'STN_ERR_EXIT_BAD_STATE')
      ) {
        // Inside a transaction: the winner may still be waiting for its group commit (SQLite), and a
        // plain read sees committed data only. The transaction's own commit waits until it is durable.
        const winner = await this.d.db.db.transaction().execute((trx) => this.d.records.find(c.tradeId, trx));
        if (winner) return this.replay(winner, digest);
      }
      throw e;
    }
    this.d.onCommitted?.();
    this.d.notifier.notify(t.id);
    return { record: row, replayed: false, built: record };
  }

  /**
   * The record's 绿通查验, uploaded right behind it (its key sorts after the trade ID in the lane's order, so the
   * centre holds the record first): the inspection with its photos referenced by SHA-256 (kept at the station).
   */
  private async outboxGreenInspection(record: AnyExitRecord, at: string, trx: Executor): Promise<void> {
    const id = record.greenInspectionId;
    const row = id === undefined ? undefined : await this.d.greenInspections?.find(id, trx);
    if (!row) return;
    await this.d.records.insertOutbox(
      {
        id: timeOrderedId(),
        topic: GREEN_INSPECTION_TOPIC,
        idempotency_key: `${record.id}${GREEN_INSPECTION_KEY_SUFFIX}`,
        payload: JSON.stringify(greenInspectionUpload(row, record)),
        created_at: at,
      },
      trx,
    );
  }

  private replay(existing: ExitRecordRow, digest: string): Committed {
    if (existing.commit_digest !== digest) throw new StationError('STN_ERR_EXIT_COMMIT_CONFLICT');
    return { record: existing, replayed: true };
  }

  /** Gathers what the record is made of (the station's configuration, the network, the collector). */
  private async buildRecord(
    p: Principal,
    t: ExitTxnRow,
    debit: T['debit'],
    c: T['proof'],
  ): Promise<AnyExitRecord> {
    const { medium, payment, cardWrite } = this.parts;
    const read = this.readOf(t);
    const fee = readJsonColumn<FeeJson>(t.fee_json ?? '{}');
    const m = medium.recordFields(read);
    const lane = await this.d.config.requireLane(t.lane_id);
    const station = await this.d.config.station();
    const snap = this.d.reference.snapshot;
    const net = snap.tariff.network;
    const entryIdx = m.enTollStationHex !== undefined ? net.stationByHex.get(m.enTollStationHex) : undefined;
    const exitIdx = net.nodeIndex.get(t.lane_id.slice(0, 14));
    const written = cardWrite.specials(c);
    return buildExitRecord({
      tradeId: c.tradeId,
      txn: t,
      fee,
      debit,
      medium: m,
      payment: payment.recordFields(read, debit, c),
      specials:
        written.length === 0
          ? fee.specials
          : [...new Set([...fee.specials, ...written])].sort((a, b) => a - b),
      lane,
      entryStation: entryIdx !== undefined ? net.stations[entryIdx] : undefined,
      exitStationName:
        station?.name ?? (exitIdx !== undefined ? net.stations[exitIdx]?.name : undefined) ?? '',
      collector: await this.collectorOf(t, p),
      listVersions: { ...snap.lists.versions(), tariff: snap.tariff.version },
    });
  }

  private async collectorOf(t: ExitTxnRow, p: Principal): Promise<{ operId: string; operName: string }> {
    if (t.collector_id === p.accountId)
      return { operId: p.username.slice(0, 32), operName: p.displayName.slice(0, 32) };
    const acc = await this.d.accounts.findById(t.collector_id);
    return {
      operId: (acc?.username ?? t.collector_id).slice(0, 32),
      operName: (acc?.display_name ?? '').slice(0, 32),
    };
  }

  private iso(): string {
    return this.d.now().toISOString();
  }

  private readOf(t: ExitTxnRow): T['read'] {
    return readJsonColumn<T['read']>(t.read_json);
  }
}
