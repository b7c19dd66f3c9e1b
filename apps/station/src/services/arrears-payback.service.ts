import {
  type ArrearsPaybackRecord,
  ArrearsPaybackRecordSchema,
  type Fen,
  formatVehicleId,
  type PlateColour,
  validatePlate,
} from '@tollpad/domain';
import { timeOrderedId } from '@tollpad/server-kit';
import type {
  ArrearsPayback,
  ArrearsPaybackCommit,
  ArrearsPaybackRecovery,
  ArrearsPaybackRequest,
  CpcCommit,
  CpcPaymentIntent,
  ExitChecks,
} from '@tollpad/station-api';
import { Compile } from 'typebox/compile';
import type { OpenedDatabase } from '../db/database';
import type { ExitRecordRow, ExitTxnRow } from '../db/schema';
import { StationError } from '../errors';
import type { AccountsRepository } from '../repositories/accounts.repository';
import { type ExitsRepository, NOTHING_YET } from '../repositories/exits.repository';
import type { RecordsRepository } from '../repositories/records.repository';
import type { ShiftsRepository } from '../repositories/shifts.repository';
import type { ArrearsLookupService } from './arrears-lookup.service';
import type { AuditService } from './audit.service';
import type { Principal } from './auth.service';
import type { ConfigService } from './config.service';
import { type ArrearsExitTypes, arrearsClaimKey } from './exit/arrears-exit';
import type { ExitParts } from './exit/exit-parts';
import type { ArrearsExitRead } from './exit/media/arrears';
import type { ExitService } from './exit.service';
import type { ExitDesk } from './exit-desk';
import type { ExitOwnership } from './exit-ownership';
import { type FeeJson, readJsonColumn } from './json-columns';

/** The outbox topic of a payback record: the uploader posts it to the centre's /arrears-paybacks. */
export const ARREARS_PAYBACK_TOPIC = 'arrears-payback';
/** exit_records.kind of a payback: the shift's tolls (kind 'exit') never count it. */
export const ARREARS_PAYBACK_KIND = 'arrears-payback';

const checkRecord = Compile(ArrearsPaybackRecordSchema);

export interface ArrearsPaybackDeps {
  db: OpenedDatabase;
  exits: ExitsRepository;
  records: RecordsRepository;
  shifts: ShiftsRepository;
  /** The collector named on a record a monitor commits for them (recovery). */
  accounts: Pick<AccountsRepository, 'findById'>;
  config: ConfigService;
  ownership: ExitOwnership;
  audit: AuditService;
  lookup: ArrearsLookupService;
  /** The exit machinery of the `arrears` cell: the payment intent, "not paid" recovery, cancel. */
  service: ExitService<ArrearsExitTypes>;
  parts: ExitParts<ArrearsExitTypes>;
  /** The payment's status (QR attempts, cash), shared with the exits. */
  desk: Pick<ExitDesk, 'paymentNow'>;
  now: () => Date;
  /** After a payback record is durable: the outbox relay uploads it. */
  onRecordCommitted?: (row: ExitRecordRow, replayed: boolean) => void;
}

/**
 * 补缴 (payments.md §9, issue #22 item 4): a payback of a plate's open arrears entries is its own transaction — a
 * row of the exit machinery with medium `arrears`, priced at the entries' sum as the centre's book answers it
 * (rule ARREARS.PAYBACK), paid by the CPC exit's payment parts (own trade ID and pay ID minted once at the
 * intent, idempotent retries, query/cancel recovery), one payment per entry (claims), and its own record
 * (kind `arrears-payback`) uploaded through the outbox to the centre, which clears the entries once. The
 * centre refusing it (another payback cleared them first) leaves the record rejected in the outbox and the
 * payback `conflict`: the money stands, the record is kept for a person to settle.
 */
export class ArrearsPaybackService {
  constructor(private readonly d: ArrearsPaybackDeps) {}

  /** Opens a payback of the named entries (the collector's own terminal and shift), priced at their sum. */
  async open(p: Principal, body: ArrearsPaybackRequest): Promise<ArrearsPayback> {
    const terminal = await this.d.config.requireTerminal(p.terminalId);
    const shift = await this.d.shifts.findOpen(p.accountId);
    if (!shift) throw new StationError('STN_ERR_SHIFT_NOT_OPEN');
    await this.d.config.requireEnabledLane(body.laneId);
    const v = validatePlate(body.plate, body.colour);
    if (!v.ok) throw new StationError('STN_ERR_EXIT_PLATE_INVALID', `${v.error.field}: ${v.error.reason}`);
    if (body.exitTxnId !== undefined) {
      const exit = await this.d.exits.find(body.exitTxnId);
      if (!exit || exit.medium === 'arrears')
        throw new StationError('STN_ERR_EXIT_NOT_FOUND', body.exitTxnId);
      await this.d.ownership.require(p, exit);
    }
    const vehicleId = formatVehicleId(v.value.plate, v.value.colour as PlateColour);
    // The amount is the centre's word as of now, not a cached answer: a payback clears money owed.
    this.d.lookup.forget(vehicleId);
    const owed = await this.d.lookup.lookup(v.value.plate, v.value.colour);
    if (owed.source !== 'centre') throw new StationError('STN_ERR_ARREARS_CENTRE_UNAVAILABLE');
    const entries = body.entryIds.map((id) => {
      const e = owed.entries.find((x) => x.id === id);
      if (!e) throw new StationError('STN_ERR_ARREARS_ENTRY_NOT_OPEN', id);
      return e;
    });
    const total = entries.reduce((t, e) => t + e.oweFee, 0);
    if (body.amount !== total)
      throw new StationError('STN_ERR_ARREARS_AMOUNT_MISMATCH', `${body.amount} ≠ ${total}`);
    // Told early; the intent's claims decide (arrears-exit.ts).
    for (const id of body.entryIds) {
      const holder = await this.d.exits.passClaimOf(arrearsClaimKey(id));
      if (holder !== undefined) throw new StationError('STN_ERR_ARREARS_CLAIMED', id);
    }
    const now = this.d.now();
    const id = timeOrderedId();
    const read: ArrearsExitRead = { input: body, card: { vehicleId, entries, total, paybackId: id } };
    const specials = owed.specials.map((s) => s.code);
    const checks: ExitChecks = {
      specials: owed.specials,
      listHits: owed.listHit ? [owed.listHit] : [],
      suggested: { vehicleClass: null, vehicleKind: 0 },
      actions: ['补缴追缴欠费：请选择支付方式收取合计金额'],
      blocked: false,
      needsRelease: false,
      imageSpecials: [],
    };
    const row: ExitTxnRow = {
      id,
      state: 'read',
      lane_id: body.laneId,
      terminal_id: terminal.id,
      shift_id: shift.id,
      collector_id: p.accountId,
      medium: 'arrears',
      card_no: vehicleId,
      read_json: JSON.stringify(read),
      checks_json: JSON.stringify(checks),
      ...NOTHING_YET,
      plate: v.value.plate,
      plate_colour: v.value.colour,
      vehicle_class: 0,
      vehicle_kind: 0,
      fee_json: JSON.stringify(paybackFee(total, specials)),
      amount: total,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    // Opened priced: no 【读卡】, photo or tariff stands between the book's sum and the payment.
    row.state = 'priced';
    await this.d.exits.inTransaction(async (trx) => {
      await this.d.exits.insert(row, trx);
      await this.d.audit.record(
        {
          actor: p.accountId,
          action: 'arrears.open',
          target: id,
          detail: { vehicleId, entryIds: body.entryIds, total },
        },
        trx,
      );
    });
    return this.viewOf(row);
  }

  async read(p: Principal, id: string): Promise<ArrearsPayback> {
    return this.viewOf(await this.owned(p, id));
  }

  /** The payment intent (QR, cash, the driver's ETC card): the trade ID and pay ID minted once. */
  async pay(p: Principal, id: string, intent: CpcPaymentIntent): Promise<ArrearsPayback> {
    await this.owned(p, id);
    const r = await this.d.service.debitIntent(p, id, intent);
    return this.viewOf(r.txn);
  }

  /** 【提交数据】: the payback record, its outbox row and the committed state in one transaction; idempotent. */
  async commit(
    p: Principal,
    id: string,
    body: ArrearsPaybackCommit,
    action: 'arrears.commit' | 'arrears.recover' = 'arrears.commit',
  ) {
    const proof = proofOf(body);
    const { payment } = this.d.parts;
    const digest = payment.digest(id, proof);
    const t = await this.owned(p, id);
    if (!(t.state === 'debit_pending' && t.trade_id === proof.tradeId)) {
      const existing = await this.d.records.find(proof.tradeId);
      if (existing) return this.replay(existing, digest);
    }
    if (t.state === 'cancelled') throw new StationError('STN_ERR_EXIT_CANCELLED');
    if (t.state !== 'debit_pending' || !t.debit_json)
      throw new StationError('STN_ERR_EXIT_BAD_STATE', t.state);
    if (t.trade_id !== proof.tradeId) throw new StationError('STN_ERR_EXIT_COMMIT_CONFLICT', 'tradeId');
    const announced = readJsonColumn<ArrearsExitTypes['debit']>(t.debit_json);
    payment.verifyProof(announced, proof);
    const debit = payment.captured ? await payment.captured(t, announced) : announced;
    const read = readJsonColumn<ArrearsExitRead>(t.read_json);
    const record = this.recordOf(await this.operIdOf(p, t), t, read, debit, proof);
    const createdAt = this.d.now().toISOString();
    const row: ExitRecordRow = {
      trade_id: proof.tradeId,
      txn_id: t.id,
      kind: ARREARS_PAYBACK_KIND,
      supersedes: null,
      pass_id: debit.passId,
      lane_id: t.lane_id,
      terminal_id: t.terminal_id,
      shift_id: t.shift_id,
      collector_id: t.collector_id,
      medium: 'arrears',
      card_no: t.card_no,
      vehicle_id: read.card.vehicleId,
      ex_time: debit.exTime,
      special_types: `|${readJsonColumn<FeeJson>(t.fee_json ?? '{}').specials.join('|')}|`,
      exit_fee_type: 0,
      vehicle_class: 0,
      vehicle_kind: 0,
      fee: record.paybackFee,
      pay_fee: record.paybackFee,
      auth_by: null,
      commit_digest: digest,
      record_json: JSON.stringify(record),
      created_at: createdAt,
    };
    try {
      await this.d.exits.inTransaction(async (trx) => {
        await this.d.records.insert(row, trx);
        await payment.bind?.(t, debit, proof.tradeId, trx);
        await this.d.records.insertOutbox(
          {
            id: timeOrderedId(),
            topic: ARREARS_PAYBACK_TOPIC,
            idempotency_key: proof.tradeId,
            payload: row.record_json,
            created_at: createdAt,
          },
          trx,
        );
        const ok = await this.d.exits.transition(
          t.id,
          ['debit_pending'],
          { state: 'committed', updated_at: createdAt },
          trx,
        );
        if (!ok) throw new StationError('STN_ERR_EXIT_BAD_STATE');
        await this.d.audit.record(
          {
            actor: p.accountId,
            action,
            target: proof.tradeId,
            detail: { txn: t.id, fee: record.paybackFee },
          },
          trx,
        );
      });
    } catch (e) {
      if (
        this.d.db.ops.isUniqueViolation(e) ||
        (e instanceof StationError && e.code === 'STN_ERR_EXIT_BAD_STATE')
      ) {
        const winner = await this.d.db.db
          .transaction()
          .execute((trx) => this.d.records.find(proof.tradeId, trx));
        if (winner) return this.replay(winner, digest);
      }
      throw e;
    }
    this.d.lookup.forget(read.card.vehicleId);
    this.committed(row, false);
    return { replayed: false, payback: await this.viewOf({ ...t, state: 'committed' }) };
  }

  /** A lost answer or a restart: paid → the commit; not paid → payable again, the claims given back. */
  async recover(p: Principal, id: string, body: ArrearsPaybackRecovery) {
    if (body.outcome === 'debited') return (await this.commit(p, id, body.commit, 'arrears.recover')).payback;
    await this.owned(p, id);
    const r = await this.d.service.recover(p, id, {
      outcome: 'not-debited',
      ...(body.cardAtc !== undefined ? { cardAtc: body.cardAtc } : {}),
    });
    return this.viewOf(r.txn);
  }

  async cancel(p: Principal, id: string, reason: string): Promise<ArrearsPayback> {
    await this.owned(p, id);
    return this.viewOf(await this.d.service.cancel(p, id, reason));
  }

  /** The collector who took the money, by username, whoever commits (a monitor recovering it). */
  private async operIdOf(p: Principal, t: ExitTxnRow): Promise<string> {
    if (t.collector_id === p.accountId) return p.username.slice(0, 32);
    const acc = await this.d.accounts.findById(t.collector_id);
    return (acc?.username ?? t.collector_id).slice(0, 32);
  }

  private recordOf(
    operId: string,
    t: ExitTxnRow,
    read: ArrearsExitRead,
    debit: ArrearsExitTypes['debit'],
    proof: CpcCommit,
  ): ArrearsPaybackRecord {
    const pay = this.d.parts.payment.recordFields(read, debit, proof);
    const payOrder =
      debit.payment === 'qr'
        ? debit.paid?.outTradeNo
        : debit.payment === 'etc-card'
          ? debit.cardId
          : undefined;
    const record = {
      id: proof.tradeId,
      vehicleId: read.card.vehicleId,
      entryIds: read.input.entryIds,
      paybackFee: read.card.total,
      payType: 'payType' in pay ? pay.payType : 1,
      ...(payOrder ? { payOrder } : {}),
      exTollStationId: t.lane_id.slice(0, 14),
      laneId: t.lane_id,
      ...(read.input.exitTxnId !== undefined ? { exitTxnId: read.input.exitTxnId } : {}),
      payTime: debit.exTime,
      operId,
      shiftId: t.shift_id,
    };
    if (!checkRecord.Check(record)) {
      const first = checkRecord.Errors(record)[0];
      throw new StationError(
        'STN_ERR_REQ_INVALID',
        `payback record ${first?.instancePath ?? ''}: ${first?.message ?? ''}`,
      );
    }
    return record;
  }

  private async replay(existing: ExitRecordRow, digest: string) {
    if (existing.commit_digest !== digest || existing.kind !== ARREARS_PAYBACK_KIND)
      throw new StationError('STN_ERR_EXIT_COMMIT_CONFLICT');
    this.committed(existing, true);
    const t = existing.txn_id ? await this.d.exits.find(existing.txn_id) : undefined;
    if (!t) throw new StationError('STN_ERR_ARREARS_PAYBACK_NOT_FOUND');
    return { replayed: true, payback: await this.viewOf(t) };
  }

  private committed(row: ExitRecordRow, replayed: boolean): void {
    try {
      this.d.onRecordCommitted?.(row, replayed);
    } catch {
      // A listener (the relay) must never turn a durable payback into an error for the collector.
    }
  }

  /** The payback if the caller may act on it (the exit's ownership rule: own terminal and shift). */
  private async owned(p: Principal, id: string): Promise<ExitTxnRow> {
    const t = await this.d.exits.find(id);
    if (!t || t.medium !== 'arrears') throw new StationError('STN_ERR_ARREARS_PAYBACK_NOT_FOUND', id);
    await this.d.ownership.require(p, t);
    return t;
  }

  private async viewOf(t: ExitTxnRow): Promise<ArrearsPayback> {
    const read = readJsonColumn<ArrearsExitRead>(t.read_json);
    const record = t.trade_id && t.state === 'committed' ? await this.d.records.find(t.trade_id) : undefined;
    const upload = record ? await this.uploadOf(record.trade_id) : { upload: 'none' as const, code: null };
    const payment = t.trade_id ? await this.d.desk.paymentNow(t) : undefined;
    return {
      id: t.id,
      state: t.state,
      laneId: t.lane_id,
      shiftId: t.shift_id,
      vehicleId: read.card.vehicleId,
      entries: read.card.entries,
      amount: read.card.total,
      exitTxnId: read.input.exitTxnId ?? null,
      tradeId: t.trade_id,
      debit: t.debit_json ? readJsonColumn<Record<string, unknown>>(t.debit_json) : null,
      ...(payment ? { payment } : {}),
      upload: upload.upload,
      uploadCode: upload.code,
      record: record ? (JSON.parse(record.record_json) as Record<string, unknown>) : null,
      createdAt: t.created_at,
    };
  }

  /** Where the record stands with the centre: a refusal is `conflict` (kept, shown, never retried blindly). */
  private async uploadOf(
    tradeId: string,
  ): Promise<{ upload: ArrearsPayback['upload']; code: string | null }> {
    const row = await this.d.db.db
      .selectFrom('outbox')
      .select(['status', 'reject_code'])
      .where('idempotency_key', '=', tradeId)
      .where('topic', '=', ARREARS_PAYBACK_TOPIC)
      .executeTakeFirst();
    if (!row) return { upload: 'none', code: null };
    if (row.status === 'rejected') return { upload: 'conflict', code: row.reject_code };
    return { upload: row.status === 'acked' ? 'acked' : 'pending', code: null };
  }
}

/** The wire's commit as the payment parts read it: nothing is written to a card ('written' is the parts' no-op). */
function proofOf(body: ArrearsPaybackCommit): CpcCommit {
  return { tradeId: body.tradeId, cardWrite: 'written', ...(body.etcCard ? { etcCard: body.etcCard } : {}) };
}

/** The payback's fee: the owed sum, one named rule, no tariff (fee_json, read by the payment intent). */
function paybackFee(total: number, specials: number[]): FeeJson {
  const sum = total as Fen;
  const charge = { fee: sum, payFee: sum, discountFee: 0 as Fen, exitFeeType: 1 as const };
  return {
    vehicleClass: 0,
    vehicleKind: 0,
    decision: {
      ...charge,
      shortFee: sum,
      shortFeeMileage: 0,
      feeMileage: 0,
      feeRate: 1,
      specialCodes: specials,
      etcDiscountApplied: false,
      feeClass: 1,
      spcRateVersion: '',
      authorisation: { required: false, reasons: [] },
      trace: [{ rule: 'ARREARS.PAYBACK', text: '补缴追缴欠费：金额为中心所列所选欠费之和，不计入通行费' }],
    },
    charge,
    specials,
    authReasons: [],
    etcPayable: true,
    notPayableReason: null,
  };
}
