import {
  beijingBatch,
  describeSpecial,
  formatExitTradeId,
  formatVehicleId,
  type PlateColour,
  toIsoBeijing,
  VEHICLE_KIND,
  validatePlate,
} from '@tollpad/domain';
import { timeOrderedId } from '@tollpad/server-kit';
import type { ExitChecks } from '@tollpad/station-api';
import { decideExitFee, type ProvincePolicy } from '@tollpad/tariff';
import type { OpenedDatabase } from '../db/database';
import type { ExitRecordRow, ExitTxnRow } from '../db/schema';
import { StationError } from '../errors';
import type { OnlineFeeSource } from '../ports/centre-online-fee';
import type { AccountsRepository } from '../repositories/accounts.repository';
import type { Executor } from '../repositories/executor';
import {
  type ExitListFilter,
  type ExitsRepository,
  NO_FEE_YET,
  NOTHING_YET,
} from '../repositories/exits.repository';
import type { GreenInspectionsRepository } from '../repositories/green-inspections.repository';
import type { RecordsRepository } from '../repositories/records.repository';
import type { ShiftsRepository } from '../repositories/shifts.repository';
import type { AuditService } from './audit.service';
import type { Principal } from './auth.service';
import type { ConfigService } from './config.service';
import { approvedFee, type FeeChoice, feeInput, feeRefusal, refusedFee, shapeFee } from './exit/charge';
import { chaseSpecials } from './exit/chase-hit';
import { type Committed, ExitCommit } from './exit/commit';
import type { EtcExitTypes } from './exit/etc-exit';
import type { ExitParts, ExitTypes } from './exit/exit-parts';
import { greenFactsOf, requireGreenChoice, withGreenInspection } from './exit/green-channel';
import { requireAuthorisedForPayment, requireAwaitingAuthorisation, requireState, STEP } from './exit/states';
import type { ExitNotifier } from './exit-notifier';
import type { ExitOwnership } from './exit-ownership';
import type { ImageService } from './image.service';
import { type FeeJson, readJsonColumn } from './json-columns';
import type { ReferenceService } from './reference.service';

export interface ExitServiceOptions {
  onlineFee: OnlineFeeSource | undefined;
  policy: Partial<ProvincePolicy>;
}

export interface ExitServiceDeps {
  db: OpenedDatabase;
  exits: ExitsRepository;
  records: RecordsRepository;
  shifts: ShiftsRepository;
  accounts: Pick<AccountsRepository, 'findById'>;
  config: ConfigService;
  reference: ReferenceService;
  images: ImageService;
  audit: AuditService;
  notifier: ExitNotifier;
  ownership: ExitOwnership;
  now: () => Date;
  onCommitted?: () => void;
  /** 绿通查验 of the exits (exit/green-channel.ts): 【算费】 prices with the latest, the commit uploads it. */
  greenInspections?: GreenInspectionsRepository;
  /** After a record is durable (and on a replayed commit): lane linkage and the outbox relay listen. */
  onRecordCommitted?: (row: ExitRecordRow, replayed: boolean) => void;
}

/**
 * The exit transaction, one resource through its states (exit/states.ts), composed of a medium, a fee
 * decision, a payment and a card write (exit/exit-parts.ts). This service owns the steps, their moves and
 * what is written with them; the parts own what differs from one medium or payment to another.
 */
export class ExitService<T extends ExitTypes = EtcExitTypes> {
  private readonly committer: ExitCommit<T>;

  constructor(
    private readonly d: ExitServiceDeps,
    private readonly opts: ExitServiceOptions,
    private readonly parts: ExitParts<T>,
  ) {
    this.committer = new ExitCommit(d, parts);
  }

  /** 【读卡】: decode, check, and open the transaction. */
  async create(p: Principal, laneId: string, input: T['input']): Promise<ExitTxnRow> {
    const terminal = await this.d.config.requireTerminal(p.terminalId);
    const shift = await this.d.shifts.findOpen(p.accountId);
    if (!shift) throw new StationError('STN_ERR_SHIFT_NOT_OPEN');
    await this.d.config.requireEnabledLane(laneId);
    const now = this.d.now();
    const { lists, tariff } = this.d.reference.snapshot;
    const opened = this.parts.medium.open(input, { lists, network: tariff.network, now });
    await this.refuseRepeat(opened.mediumNo, opened.read, laneId, now);
    const checks: ExitChecks = { ...opened.checks, imageSpecials: [] };
    const row: ExitTxnRow = {
      id: timeOrderedId(),
      state: 'read',
      lane_id: laneId,
      terminal_id: terminal.id,
      shift_id: shift.id,
      collector_id: p.accountId,
      medium: this.parts.medium.id,
      card_no: opened.mediumNo,
      read_json: JSON.stringify(opened.read),
      checks_json: JSON.stringify(checks),
      ...NOTHING_YET,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    await this.d.exits.insert(row);
    return row;
  }

  async get(id: string): Promise<ExitTxnRow> {
    const t = await this.d.exits.find(id);
    if (!t) throw new StationError('STN_ERR_EXIT_NOT_FOUND', id);
    return t;
  }

  /** One transaction as the caller may see it: a collector only their own terminal's and shift's. */
  async read(p: Principal, id: string): Promise<ExitTxnRow> {
    return this.owned(p, id);
  }

  list(filter: ExitListFilter): Promise<ExitTxnRow[]> {
    return this.d.exits.list(filter);
  }

  /** 【提交图片数据】: actual plate + colour + photo → plate mismatch specials. Resets any fee. */
  async image(p: Principal, id: string, body: { plate: string; plateColour: number; photoSha256: string }) {
    const t = await this.owned(p, id);
    requireState(t, STEP.image.from);
    const v = validatePlate(body.plate, body.plateColour);
    if (!v.ok) throw new StationError('STN_ERR_EXIT_PLATE_INVALID', `${v.error.field}: ${v.error.reason}`);
    await this.d.images.require(body.photoSha256);
    const actual = { plate: v.value.plate, colour: v.value.colour };
    // A medium known by its plate alone (no card): a payment for this plate already made or pending is
    // answered now, before the fee; the payment intent asks again under a claim.
    await this.refusePlateRepeat(t.id, actual.plate, actual.colour, this.d.now());
    const codes = [
      ...this.parts.medium.plateSpecials(this.readOf(t), actual),
      // 追缴 (issue #22 item 4): the confirmed plate on the chase list — 118 black, 127 grey (预追缴).
      ...chaseSpecials(this.d.reference.snapshot.lists, actual),
    ];
    const nextChecks: ExitChecks = {
      ...readJsonColumn<ExitChecks>(t.checks_json),
      imageSpecials: codes.map((c) => ({ code: c, description: describeSpecial(c) })),
    };
    const next = {
      state: STEP.image.to,
      plate: actual.plate,
      plate_colour: actual.colour,
      photo_sha256: body.photoSha256,
      checks_json: JSON.stringify(nextChecks),
      ...NO_FEE_YET,
      updated_at: this.iso(),
    } satisfies Partial<ExitTxnRow>;
    if (!(await this.d.exits.transition(t.id, STEP.image.from, next)))
      throw new StationError('STN_ERR_EXIT_BAD_STATE');
    this.d.notifier.notify(t.id);
    // The compare-and-set applied exactly these columns: no need to read the row back.
    return { ...t, ...next };
  }

  /** 【算费】: chosen class and kind → the tariff decision (online fee through the port, then fallback). */
  async fee(p: Principal, id: string, body: FeeChoice) {
    const t = await this.owned(p, id);
    requireState(t, STEP.fee.from);
    const read = this.readOf(t);
    const checks = readJsonColumn<ExitChecks>(t.checks_json);
    if (checks.blocked)
      throw new StationError('STN_ERR_EXIT_NOT_ETC_PAYABLE', checks.specials.map((s) => s.code).join('|'));
    const inspections = this.d.greenInspections;
    const vehicleId = formatVehicleId(t.plate ?? '', (t.plate_colour ?? 0) as PlateColour);
    const green = inspections?.mayHave(t.id, t.created_at)
      ? greenFactsOf(
          await inspections.latestOf(t.id),
          vehicleId,
          this.d.reference.snapshot.lists.green(vehicleId).ban !== null,
        )
      : undefined;
    requireGreenChoice(body.vehicleKind, green);
    const { medium, payment } = this.parts;
    const input = feeInput(medium.feeFacts(read), body, t.lane_id, this.d.now(), t.plate);
    const r = await decideExitFee(input, {
      tables: this.d.reference.snapshot.tariff.tables,
      ...(this.opts.onlineFee
        ? { onlineFee: this.opts.onlineFee({ passId: medium.passId(read, t.lane_id, input.exitTime) }) }
        : {}),
      policy: this.opts.policy,
    });
    if (!r.ok) throw feeRefusal(r.error);
    const fee = withGreenInspection(
      shapeFee(body, r.value, checks, payment.payable(read, r.value.fee)),
      green,
    );
    const next = {
      state: STEP.fee.to,
      vehicle_class: body.vehicleClass,
      vehicle_kind: body.vehicleKind,
      fee_json: JSON.stringify(fee),
      amount: r.value.fee,
      auth_status: fee.authReasons.length > 0 ? 'required' : 'none',
      auth_by: null,
      auth_reason: null,
      auth_at: null,
      updated_at: this.iso(),
    } satisfies Partial<ExitTxnRow>;
    if (!(await this.d.exits.transition(t.id, STEP.fee.from, next)))
      throw new StationError('STN_ERR_EXIT_BAD_STATE');
    this.d.notifier.notify(t.id);
    return { ...t, ...next };
  }

  /** A monitor approves or refuses; the collector's long-poll wakes up. */
  async authorise(p: Principal, id: string, body: { approve: boolean; reason: string }) {
    const at = this.iso();
    const replayed = await this.d.exits.inTransaction(async (trx) => {
      const t = await this.d.exits.find(id, trx);
      if (!t) throw new StationError('STN_ERR_EXIT_NOT_FOUND', id);
      // The same decision sent again (a retry after the answer was lost, e.g. the station restarted
      // mid-response) is answered with the decision already recorded, not refused.
      if (
        t.auth_status === (body.approve ? 'approved' : 'refused') &&
        t.auth_by === p.accountId &&
        t.auth_reason === body.reason
      ) {
        return true;
      }
      requireAwaitingAuthorisation(t);
      const before = readJsonColumn<FeeJson>(t.fee_json);
      let fee: FeeJson = { ...before };
      let amount = t.amount;
      if (body.approve) fee = approvedFee(before);
      else {
        const refused = refusedFee(before, (a) => this.parts.payment.payable(this.readOf(t), a));
        if (refused) ({ fee, amount } = refused);
      }
      const ok = await this.d.exits.transition(
        id,
        STEP.authorise.from,
        {
          auth_status: body.approve ? 'approved' : 'refused',
          auth_by: p.accountId,
          auth_reason: body.reason,
          auth_at: at,
          fee_json: JSON.stringify(fee),
          amount,
          updated_at: at,
        },
        trx,
      );
      if (!ok) throw new StationError('STN_ERR_EXIT_BAD_STATE');
      await this.d.audit.record(
        {
          actor: p.accountId,
          action: body.approve ? 'exit.authorise' : 'exit.refuse',
          target: id,
          detail: { reason: body.reason, reasons: fee.authReasons.map((r) => r.code) },
        },
        trx,
      );
      return false;
    });
    if (!replayed) this.d.notifier.notify(id);
    return this.get(id);
  }

  /** Long-poll: returns when the authorisation is decided (or the state moves on), or after `waitMs`. */
  async waitForDecision(p: Principal, id: string, waitMs: number, signal?: AbortSignal): Promise<ExitTxnRow> {
    await this.owned(p, id);
    const deadline = Date.now() + waitMs;
    for (;;) {
      const t = await this.get(id);
      const pending = t.state === 'priced' && t.auth_status === 'required';
      const left = deadline - Date.now();
      if (!pending || left <= 0 || signal?.aborted) return t;
      await this.d.notifier.wait(id, left, signal);
    }
  }

  /** The payment announced just before the money moves; allocates the exit trade ID. */
  async debitIntent(
    p: Principal,
    id: string,
    body: T['intent'],
  ): Promise<{ txn: ExitTxnRow; debit: T['debit'] }> {
    const t = await this.owned(p, id);
    const { payment, medium } = this.parts;
    const now = this.d.now();
    if (t.state === 'debit_pending' && t.debit_json) {
      const pending = readJsonColumn<T['debit']>(t.debit_json);
      const again = payment.reannounce(pending, body, now);
      if (again === 'same') return { txn: t, debit: pending }; // retried
      const set = { debit_json: JSON.stringify(again), updated_at: again.announcedAt };
      if (!(await this.d.exits.transition(t.id, STEP.reannounce.from, set)))
        throw new StationError('STN_ERR_EXIT_BAD_STATE');
      return { txn: { ...t, ...set }, debit: again };
    }
    requireState(t, STEP.announce.from);
    const fee = t.fee_json === null ? null : readJsonColumn<FeeJson>(t.fee_json);
    if (!fee) throw new StationError('STN_ERR_EXIT_BAD_STATE');
    requireAuthorisedForPayment(t, fee);
    if (!fee.etcPayable) throw new StationError('STN_ERR_EXIT_NOT_ETC_PAYABLE', fee.notPayableReason ?? '');
    await this.requireGreenPassInForce(t, fee);
    const passId = () => medium.passId(this.readOf(t), t.lane_id, now);
    const announced = await payment.announce(t, body, { now, passId });
    const next = await this.d.exits.inTransaction(async (trx) => {
      let debit = announced;
      if (medium.onePaymentPerPass && medium.passIdByExitTime)
        debit = await this.claimExitTimePass(t, debit, trx);
      else if (medium.onePaymentPerPass) await this.claimPass(debit.passId, t.id, debit.announcedAt, trx);
      await this.claimPlate(t, debit.announcedAt, now, trx);
      const batch = beijingBatch(now);
      const serial = await this.d.exits.nextSerial(t.lane_id, batch, trx);
      const tradeId = formatExitTradeId({ laneId: t.lane_id, batch, serial });
      // A payment the station makes itself is persisted here, with the trade ID, before any request.
      const kept = payment.open ? await payment.open(t, debit, tradeId, trx) : debit;
      const set = {
        state: STEP.announce.to,
        trade_id: tradeId,
        debit_json: JSON.stringify(kept),
        updated_at: debit.announcedAt,
      } satisfies Partial<ExitTxnRow>;
      if (!(await this.d.exits.transition(t.id, STEP.announce.from, set, trx)))
        throw new StationError('STN_ERR_EXIT_BAD_STATE');
      return { set, kept };
    });
    payment.launch?.(next.kept);
    return { txn: { ...t, ...next.set }, debit: next.kept };
  }

  /** 【提交数据】 after the debit: the final record + outbox row in one DB transaction; idempotent on trade ID. */
  async commit(p: Principal, id: string, c: T['proof']): Promise<Committed> {
    return this.committer.commit(p, id, c, 'exit.commit');
  }

  /** Recovery from the handheld's proof (GET TRANSACTION PROVE): debited → commit; not debited → back to priced. */
  async recover(
    p: Principal,
    id: string,
    proof: { outcome: 'debited'; commit: T['proof'] } | ({ outcome: 'not-debited' } & T['notDebited']),
  ): Promise<{ txn: ExitTxnRow; record: ExitRecordRow | null }> {
    if (proof.outcome === 'debited') {
      const r = await this.committer.commit(p, id, proof.commit, 'exit.recover');
      return { txn: await this.get(id), record: r.record };
    }
    const t = await this.owned(p, id);
    // A repeat whose first answer was lost on the way (a cut link, a restarted station): already back to
    // priced with nothing pending, there is nothing to undo, and the handheld goes on from the state it is told.
    if (t.state === STEP.notDebited.to && t.trade_id === null && t.debit_json === null)
      return { txn: t, record: null };
    if (t.state !== 'debit_pending' || !t.debit_json)
      throw new StationError('STN_ERR_EXIT_BAD_STATE', t.state);
    const debit = readJsonColumn<T['debit']>(t.debit_json);
    await this.d.exits.inTransaction(async (trx) => {
      // Checked under the row's lock: a new payment attempt opens only under the same lock (underDebitPending).
      const locked = await this.d.exits.lock(id, trx);
      if (locked?.state !== 'debit_pending' || locked.trade_id !== t.trade_id)
        throw new StationError('STN_ERR_EXIT_BAD_STATE', locked?.state);
      await this.parts.payment.verifyNotDebited(debit, proof, trx);
      if (this.parts.medium.onePaymentPerPass) await this.d.exits.releasePass(id, trx);
      const ok = await this.d.exits.transition(
        id,
        STEP.notDebited.from,
        { state: STEP.notDebited.to, trade_id: null, debit_json: null, updated_at: this.iso() },
        trx,
      );
      if (!ok) throw new StationError('STN_ERR_EXIT_BAD_STATE');
      await this.d.audit.record(
        {
          actor: p.accountId,
          action: 'exit.recover',
          target: id,
          detail: { outcome: 'not-debited', tradeId: t.trade_id },
        },
        trx,
      );
    });
    return { txn: await this.get(id), record: null };
  }

  /**
   * Runs `work` in one transaction holding the exit row's lock, the row re-read there and required
   * `debit_pending` under `tradeId`: what `work` writes cannot land on an exit a recover has just undone.
   */
  async underDebitPending<R>(id: string, tradeId: string, work: (x: Executor) => Promise<R>): Promise<R> {
    return this.d.exits.inTransaction(async (trx) => {
      const row = await this.d.exits.lock(id, trx);
      if (row?.state !== 'debit_pending' || row.trade_id !== tradeId)
        throw new StationError('STN_ERR_EXIT_BAD_STATE', row?.state);
      return work(trx);
    });
  }

  /** Cancel before debit. After the debit intent only recovery can end the transaction. */
  async cancel(p: Principal, id: string, reason: string): Promise<ExitTxnRow> {
    const t = await this.owned(p, id);
    if (t.state === 'cancelled') return t;
    requireState(t, STEP.cancel.from);
    await this.d.exits.inTransaction(async (trx) => {
      const ok = await this.d.exits.transition(
        id,
        STEP.cancel.from,
        { state: STEP.cancel.to, cancel_reason: reason, updated_at: this.iso() },
        trx,
      );
      if (!ok) throw new StationError('STN_ERR_EXIT_BAD_STATE');
      await this.d.audit.record(
        { actor: p.accountId, action: 'exit.cancel', target: id, detail: { reason } },
        trx,
      );
    });
    this.d.notifier.notify(id);
    return this.get(id);
  }
  /**
   * 【读卡】 of a card already paid for here: a committed exit of the same card the card still names (a closed
   * CPC reads as a new trip), or a trip whose one payment another transaction holds (pending or committed).
   * Answered before the collector photographs and prices it, not only when the cash is announced.
   */
  private async refuseRepeat(mediumNo: string, read: T['read'], laneId: string, now: Date): Promise<void> {
    const { medium } = this.parts;
    const repeat = medium.repeatExit;
    if (repeat && repeat.windowMs > 0) {
      const since = new Date(now.getTime() - repeat.windowMs).toISOString();
      const earlier = await this.d.records.latestExitOf(medium.id, mediumNo, since);
      const refusal = earlier && repeat.refusal(read, earlier);
      if (refusal) throw refusal;
    }
    // A PassID made of the exit time names no vehicle before its payment: nothing to ask at 【读卡】.
    if (medium.onePaymentPerPass && !medium.passIdByExitTime) {
      const passId = medium.passId(read, laneId, now);
      const holder = await this.d.exits.passClaimOf(passId);
      if (holder !== undefined)
        throw new StationError('STN_ERR_EXIT_PASS_PAID', `${passId} held by ${holder}`);
    }
  }

  /**
   * The PassID of a medium that names it by the exit time (no card: 030 + lane + exit time): claimed in the
   * payment intent's transaction; another vehicle's exit in the same second on this lane (two handhelds) moves
   * this one's PassID on by a second, so two vehicles never share a PassID and neither is refused. The record's
   * exTime stays the payment's (an ETC card's TAC covers it): [P] the PassID's time may then run ahead of it by
   * the seconds taken.
   */
  private async claimExitTimePass(t: ExitTxnRow, debit: T['debit'], trx: Executor): Promise<T['debit']> {
    const read = this.readOf(t);
    const from = Date.parse(debit.exTime);
    for (let s = 0; s < 60; s++) {
      const at = new Date(from + s * 1000);
      const passId = this.parts.medium.passId(read, t.lane_id, at);
      if (await this.d.exits.claimOnce(passId, t.id, debit.announcedAt, trx))
        return s === 0 ? debit : { ...debit, passId };
    }
    throw new StationError('STN_ERR_EXIT_PASS_PAID', `${t.lane_id}: no free exit second`);
  }

  /**
   * A fee made free by a passed 绿通查验 stands only while that inspection is the exit's latest: one made since
   * (a fail whose re-pricing never landed — the station stopped between the two writes, or the re-pricing was
   * refused) sends the collector back to 【算费】. Read only for such a fee: an ordinary exit asks nothing.
   */
  private async requireGreenPassInForce(t: ExitTxnRow, fee: Readonly<FeeJson>): Promise<void> {
    const g = fee.greenInspection;
    if (!g?.passed || fee.vehicleKind !== VEHICLE_KIND.GREEN_CHANNEL || !this.d.greenInspections) return;
    const latest = await this.d.greenInspections.latestOf(t.id);
    if (latest?.id !== g.id) throw new StationError('STN_ERR_GREEN_NOT_INSPECTED', `${g.id} → ${latest?.id}`);
  }

  /** The claim key of a plate for a medium known by its plate alone (medium.repeatByPlate). */
  private plateKey(plate: string, colour: number): string {
    return `PLATE:${this.parts.medium.id}:${formatVehicleId(plate, colour as PlateColour)}`;
  }

  /**
   * The refusal when another transaction holds the plate's claim and still counts: its payment is pending, or
   * it committed within the medium's window. undefined when the holder is stale (or this transaction).
   */
  private async plateHolderRefusal(
    holder: string | undefined,
    self: string,
    now: Date,
    x?: Executor,
  ): Promise<StationError | undefined> {
    const windowMs = this.parts.medium.repeatByPlate?.windowMs ?? 0;
    if (holder === undefined || holder === self) return undefined;
    const h = await this.d.exits.find(holder, x);
    if (!h?.debit_json) return undefined;
    const exTime = readJsonColumn<{ exTime: string }>(h.debit_json).exTime;
    const pending = h.state === 'debit_pending';
    const recent = h.state === 'committed' && Date.parse(exTime) >= now.getTime() - windowMs;
    if (!pending && !recent) return undefined;
    return new StationError('STN_ERR_EXIT_NOCARD_REPEAT', `${h.trade_id ?? holder} ${h.state} ${exTime}`, {
      fill: `${toIsoBeijing(new Date(exTime)).slice(0, 19).replace('T', ' ')}（交易编号 ${h.trade_id ?? ''}）`,
    });
  }

  /** At the photo: the plate's claim, read (advisory; the payment intent decides under the claim). */
  private async refusePlateRepeat(id: string, plate: string, colour: number, now: Date): Promise<void> {
    if (!this.parts.medium.repeatByPlate?.windowMs) return;
    const holder = await this.d.exits.passClaimOf(this.plateKey(plate, colour));
    const refusal = await this.plateHolderRefusal(holder, id, now);
    if (refusal) throw refusal;
  }

  /**
   * At the payment intent, in its transaction: the plate's one payment in the window (medium.repeatByPlate).
   * The claim's primary key serialises two collectors announcing the same plate; a stale holder (committed
   * before the window) hands it over; a not-debited recover gives it back with the PassID (releasePass).
   */
  private async claimPlate(t: ExitTxnRow, at: string, now: Date, trx: Executor): Promise<void> {
    if (!this.parts.medium.repeatByPlate?.windowMs || t.plate === null || t.plate_colour === null) return;
    const key = this.plateKey(t.plate, t.plate_colour);
    if (await this.d.exits.claimOnce(key, t.id, at, trx)) return;
    const holder = await this.d.exits.passClaimOf(key, trx);
    const refusal = await this.plateHolderRefusal(holder, t.id, now, trx);
    if (refusal) throw refusal;
    if (holder === t.id) return;
    const moved =
      holder === undefined
        ? await this.d.exits.claimOnce(key, t.id, at, trx)
        : await this.d.exits.moveClaim(key, holder, t.id, at, trx);
    if (!moved)
      throw new StationError('STN_ERR_EXIT_NOCARD_REPEAT', `${key} taken meanwhile`, { fill: '刚才' });
  }

  /** The trip's one payment, or STN_ERR_EXIT_PASS_PAID when another transaction announced one for it. */
  private async claimPass(passId: string, txnId: string, at: string, trx: Executor): Promise<void> {
    try {
      await this.d.exits.claimPass(passId, txnId, at, trx);
    } catch (e) {
      if (this.d.db.ops.isUniqueViolation(e)) throw new StationError('STN_ERR_EXIT_PASS_PAID', passId);
      throw e;
    }
  }

  /** The transaction, if the caller may act on it (see exit-ownership.ts). */
  private async owned(p: Principal, id: string): Promise<ExitTxnRow> {
    const t = await this.get(id);
    await this.d.ownership.require(p, t);
    return t;
  }

  private readOf(t: ExitTxnRow): T['read'] {
    return readJsonColumn<T['read']>(t.read_json);
  }

  private iso(): string {
    return this.d.now().toISOString();
  }
}
