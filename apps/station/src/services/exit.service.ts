import { hash } from 'node:crypto';
import {
  beijingBatch,
  checkExitRecord,
  describeSpecial,
  type ExitRecord,
  type Fen,
  formatExitTradeId,
  formatPassId,
  formatSpecialTypes,
  formatVehicleId,
  type PlateColour,
  parseBeijingCompact,
  SPECIAL,
  type VehicleClass,
  type VehicleKind,
  validatePlate,
} from '@tollpad/domain';
import { timeOrderedId } from '@tollpad/server-kit';
import {
  type ChargeFigures,
  decideExitFee,
  type ExitFeeDecision,
  type ExitFeeInput,
  type ProvincePolicy,
} from '@tollpad/tariff';
import type { OpenedDatabase } from '../db/database';
import type { ExitRecordRow, ExitTxnRow } from '../db/schema';
import { StationError } from '../errors';
import type { OnlineFeeSource } from '../ports/centre-online-fee';
import {
  type ExitListFilter,
  type ExitsRepository,
  NO_FEE_YET,
  NOTHING_YET,
} from '../repositories/exits.repository';
import type { RecordsRepository } from '../repositories/records.repository';
import type { ShiftsRepository } from '../repositories/shifts.repository';
import type { AuditService } from './audit.service';
import type { Principal } from './auth.service';
import type { ConfigService } from './config.service';
import {
  type CardFacts,
  type CardReadInput,
  type CheckResult,
  checkCard,
  decodeCard,
  type ObuReadInput,
  type SpecialNote,
  STATION_SPECIAL,
} from './exit-checks';
import type { ExitNotifier } from './exit-notifier';
import type { ExitOwnership } from './exit-ownership';
import type { ImageService } from './image.service';
import { readJsonColumn } from './json-columns';
import type { ReferenceService } from './reference.service';

export type ExitState = 'read' | 'imaged' | 'priced' | 'debit_pending' | 'committed' | 'cancelled';
export type AuthStatus = 'none' | 'required' | 'approved' | 'refused';

interface ReadJson {
  input: CardReadInput;
  card: CardFacts;
  obu: ObuReadInput | null;
}

interface ChecksJson extends CheckResult {
  imageSpecials: SpecialNote[];
}

export interface FeeJson {
  vehicleClass: number;
  vehicleKind: number;
  decision: Omit<ExitFeeDecision, 'trace'> & { trace: { rule: string; text: string }[] };
  /** What is charged now (the decision, or its `ifRefused` figures after a refusal). */
  charge: ChargeFigures;
  specials: number[];
  authReasons: { code: string; text: string }[];
  etcPayable: boolean;
  notPayableReason: string | null;
}

interface DebitJson {
  cardAtc: number;
  amount: number;
  psamTerminalNo: string;
  /** The PSAM's transaction serial for this purchase (8 hex); absent on intents stored before it was announced. */
  terminalTransNo?: string;
  /** The purchase datetime sent to the card (its TAC covers it), as ISO-8601: the record's exTime. */
  exTime: string;
  passId: string;
  announcedAt: string;
}

export interface CommitInput {
  tradeId: string;
  tac: string;
  psamTerminalNo: string;
  terminalTransNo: string;
  cardTransNo: number;
  preBalance: number;
  postBalance: number;
  algorithm: 1 | 2;
}

export interface ExitServiceOptions {
  validNetworks: readonly string[];
  layout0019: 'legacy' | '2019';
  /** [P] Refuse a debit intent whose purchase datetime is further than this from the station clock. */
  maxClockSkewSeconds: number;
  onlineFee: OnlineFeeSource | undefined;
  policy: Partial<ProvincePolicy>;
}

export interface ExitServiceDeps {
  db: OpenedDatabase;
  exits: ExitsRepository;
  records: RecordsRepository;
  shifts: ShiftsRepository;
  config: ConfigService;
  reference: ReferenceService;
  images: ImageService;
  audit: AuditService;
  notifier: ExitNotifier;
  ownership: ExitOwnership;
  now: () => Date;
  onCommitted?: () => void;
  /** After a record is durable (and on a replayed commit): lane linkage and the outbox relay listen. */
  onRecordCommitted?: (row: ExitRecordRow, replayed: boolean) => void;
}

const PRE_DEBIT: readonly ExitState[] = ['read', 'imaged', 'priced'];

/** The exit transaction, one resource through its states (read → imaged → priced → debit_pending → committed). */
export class ExitService {
  constructor(
    private readonly d: ExitServiceDeps,
    private readonly opts: ExitServiceOptions,
  ) {}

  /** 【读卡】: decode, check, and open the transaction. */
  async create(p: Principal, laneId: string, input: CardReadInput): Promise<ExitTxnRow> {
    const terminal = await this.d.config.requireTerminal(p.terminalId);
    const shift = await this.d.shifts.findOpen(p.accountId);
    if (!shift) throw new StationError('STN_ERR_SHIFT_NOT_OPEN');
    await this.d.config.requireEnabledLane(laneId);
    const card = decodeCard(input, this.opts.layout0019);
    const now = this.d.now();
    const checks = checkCard(card, input.obu, this.d.reference.snapshot.lists, now, {
      validNetworks: this.opts.validNetworks,
      layout0019: this.opts.layout0019,
    });
    const read: ReadJson = { input, card, obu: input.obu ?? null };
    const checksJson: ChecksJson = { ...checks, imageSpecials: [] };
    const row: ExitTxnRow = {
      id: timeOrderedId(),
      state: 'read',
      lane_id: laneId,
      terminal_id: terminal.id,
      shift_id: shift.id,
      collector_id: p.accountId,
      card_no: card.cardId,
      read_json: JSON.stringify(read),
      checks_json: JSON.stringify(checksJson),
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
    this.requireState(t, PRE_DEBIT);
    const v = validatePlate(body.plate, body.plateColour);
    if (!v.ok) throw new StationError('STN_ERR_EXIT_PLATE_INVALID', `${v.error.field}: ${v.error.reason}`);
    await this.d.images.require(body.photoSha256);
    const read = readJsonColumn<ReadJson>(t.read_json);
    const checks = readJsonColumn<ChecksJson>(t.checks_json);
    const codes = new Set<number>();
    const actual = { plate: v.value.plate, colour: v.value.colour };
    // [I] The typed plate against the entry plate (0019) is 52; against the card's own plate (0015) it is
    // also treated as 52 (the card plate is what entry recorded); against the OBU's plate it is 41.
    const entry = read.card.entry;
    if (
      entry?.plate &&
      (entry.plate !== actual.plate || (entry.plateColour !== null && entry.plateColour !== actual.colour))
    ) {
      codes.add(SPECIAL.ENTRY_EXIT_PLATE);
    }
    if (
      read.card.plate !== actual.plate ||
      (read.card.plateColour !== null && read.card.plateColour !== actual.colour)
    ) {
      codes.add(SPECIAL.ENTRY_EXIT_PLATE);
    }
    if (read.obu?.plate !== undefined && read.obu.plate !== null && read.obu.plate !== actual.plate) {
      codes.add(SPECIAL.CARD_OBU_PLATE);
    }
    const nextChecks: ChecksJson = {
      ...checks,
      imageSpecials: [...codes]
        .sort((a, b) => a - b)
        .map((c) => ({ code: c, description: describeSpecial(c) })),
    };
    const next = {
      state: 'imaged',
      plate: actual.plate,
      plate_colour: actual.colour,
      photo_sha256: body.photoSha256,
      checks_json: JSON.stringify(nextChecks),
      ...NO_FEE_YET,
      updated_at: this.iso(),
    } satisfies Partial<ExitTxnRow>;
    if (!(await this.d.exits.transition(t.id, PRE_DEBIT, next)))
      throw new StationError('STN_ERR_EXIT_BAD_STATE');
    this.d.notifier.notify(t.id);
    // The compare-and-set applied exactly these columns: no need to read the row back.
    return { ...t, ...next };
  }

  /** 【算费】: chosen class and kind → the tariff decision (online fee through the port, then fallback). */
  async fee(
    p: Principal,
    id: string,
    body: { vehicleClass: number; vehicleKind: number; seats?: number; entryStation?: string },
  ) {
    const t = await this.owned(p, id);
    this.requireState(t, ['imaged', 'priced']);
    const read = readJsonColumn<ReadJson>(t.read_json);
    const checks = readJsonColumn<ChecksJson>(t.checks_json);
    if (checks.blocked)
      throw new StationError('STN_ERR_EXIT_NOT_ETC_PAYABLE', checks.specials.map((s) => s.code).join('|'));
    const snap = this.d.reference.snapshot;
    const card = read.card;
    const ef04 = read.obu?.ef04;
    const input: ExitFeeInput = {
      card: {
        userType: card.userType,
        entry: card.entry
          ? {
              station: card.entry.stationHex,
              time: new Date(card.entry.time),
              vehicleClass: card.entry.vehicleClass ?? 0,
            }
          : null,
        ...(card.entry?.cumulativeAmount != null
          ? { accumulatedAmount: card.entry.cumulativeAmount as Fen }
          : {}),
      },
      obu:
        read.obu && ef04
          ? {
              ef04: ef04.status,
              removed: read.obu.removed,
              totalAmount: ef04.totalAmount as Fen,
              totalDiscountAmount: ef04.totalDiscountAmount as Fen,
              provinceCount: ef04.provinceCount,
            }
          : null,
      vehicleClass: body.vehicleClass as VehicleClass,
      vehicleKind: body.vehicleKind as VehicleKind,
      ...(body.seats !== undefined ? { seats: body.seats } : {}),
      exitStation: t.lane_id.slice(0, 14),
      exitTime: this.d.now(),
      ...(body.entryStation ? { selectedEntryStation: body.entryStation } : {}),
    };
    const r = await decideExitFee(input, {
      tables: snap.tariff.tables,
      ...(this.opts.onlineFee
        ? { onlineFee: this.opts.onlineFee({ passId: this.passIdOf(read, t.lane_id, input.exitTime) }) }
        : {}),
      policy: this.opts.policy,
    });
    if (!r.ok) {
      switch (r.error.code) {
        case 'ENTRY_REQUIRED':
          throw new StationError('STN_ERR_EXIT_ENTRY_REQUIRED', r.error.reason);
        case 'ENTRY_STATION_UNKNOWN':
          throw new StationError('STN_ERR_EXIT_ENTRY_UNKNOWN', r.error.reason);
        case 'EXIT_STATION_UNKNOWN':
          throw new StationError('STN_ERR_EXIT_TARIFF_MISSING', r.error.reason);
        default:
          throw new StationError('STN_ERR_REQ_INVALID', `${r.error.field}: ${r.error.reason}`);
      }
    }
    const dec = r.value;
    const specials = new Set<number>([
      ...checks.specials.map((s) => s.code),
      ...checks.imageSpecials.map((s) => s.code),
      ...dec.specialCodes,
    ]);
    const authReasons = dec.authorisation.reasons.map((x) => ({ code: x.code as string, text: x.text }));
    if (checks.needsRelease)
      authReasons.push({ code: 'LIST_RELEASE', text: '状态名单车辆临时放行需班长授权' });
    let etcPayable = true;
    let notPayableReason: string | null = null;
    if (card.cardKind === 'stored-value' && card.balance < dec.fee) {
      specials.add(SPECIAL.BALANCE_INSUFFICIENT);
      etcPayable = false;
      notPayableReason = '储值卡余额不足，请车主以其他方式缴费';
    }
    const fee: FeeJson = {
      vehicleClass: body.vehicleClass,
      vehicleKind: body.vehicleKind,
      decision: { ...dec, trace: dec.trace.map((s) => ({ rule: s.rule, text: s.text })) },
      charge: {
        payFee: dec.payFee,
        discountFee: dec.discountFee,
        fee: dec.fee,
        exitFeeType: dec.exitFeeType,
      },
      specials: [...specials].sort((a, b) => a - b),
      authReasons,
      etcPayable,
      notPayableReason,
    };
    const next = {
      state: 'priced',
      vehicle_class: body.vehicleClass,
      vehicle_kind: body.vehicleKind,
      fee_json: JSON.stringify(fee),
      amount: dec.fee,
      auth_status: authReasons.length > 0 ? 'required' : 'none',
      auth_by: null,
      auth_reason: null,
      auth_at: null,
      updated_at: this.iso(),
    } satisfies Partial<ExitTxnRow>;
    if (!(await this.d.exits.transition(t.id, ['imaged', 'priced'], next)))
      throw new StationError('STN_ERR_EXIT_BAD_STATE');
    this.d.notifier.notify(t.id);
    return { ...t, ...next };
  }

  /** A monitor approves or refuses; the collector's long-poll wakes up. */
  async authorise(p: Principal, id: string, body: { approve: boolean; reason: string }) {
    const at = this.iso();
    const replayed = await this.d.db.db.transaction().execute(async (trx) => {
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
      if (t.state !== 'priced' || t.auth_status !== 'required' || !t.fee_json) {
        throw new StationError('STN_ERR_EXIT_BAD_STATE', `${t.state}/${t.auth_status}`);
      }
      const fee = JSON.parse(t.fee_json) as FeeJson;
      let amount = t.amount;
      if (body.approve) {
        if (fee.authReasons.some((r) => r.code === 'LIST_RELEASE')) {
          fee.specials = [...new Set([...fee.specials, STATION_SPECIAL.LIST_TEMP_RELEASE])].sort(
            (a, b) => a - b,
          );
        }
      } else if (fee.decision.ifRefused && fee.authReasons.every((r) => r.code === 'OVER_BAND')) {
        // Hunan 027: a refused over-band online fee is charged at the minimum fee.
        fee.charge = fee.decision.ifRefused;
        amount = fee.charge.fee;
        const card = (JSON.parse(t.read_json) as ReadJson).card;
        if (card.cardKind === 'stored-value' && card.balance < amount) {
          fee.etcPayable = false;
          fee.notPayableReason = '储值卡余额不足，请车主以其他方式缴费';
        } else {
          fee.etcPayable = true;
          fee.notPayableReason = null;
        }
      }
      const ok = await this.d.exits.transition(
        id,
        ['priced'],
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

  /** The pending entry the handheld announces just before DEBIT; allocates the exit trade ID. */
  async debitIntent(
    p: Principal,
    id: string,
    body: {
      cardId: string;
      cardAtc: number;
      amount: number;
      psamTerminalNo: string;
      terminalTransNo: string;
      datetime: string;
    },
  ): Promise<{ txn: ExitTxnRow; debit: DebitJson }> {
    const t = await this.owned(p, id);
    const now = this.d.now();
    if (t.state === 'debit_pending' && t.debit_json) {
      const d = readJsonColumn<DebitJson>(t.debit_json);
      if (
        d.cardAtc !== body.cardAtc ||
        d.amount !== body.amount ||
        d.psamTerminalNo !== body.psamTerminalNo.toUpperCase()
      ) {
        throw new StationError('STN_ERR_EXIT_BAD_STATE', 'a different debit is already pending');
      }
      const exTime = this.purchaseTime(body.datetime, now);
      const serial = body.terminalTransNo.toUpperCase();
      if (d.exTime === exTime && d.terminalTransNo === serial) return { txn: t, debit: d }; // retried
      // The same ATC announced again with a new datetime and PSAM serial: the purchase was retried from
      // INITIALIZE after the card proved the earlier attempt not debited (its ATC did not move), and only
      // this attempt can end up under the TAC.
      const again: DebitJson = { ...d, exTime, terminalTransNo: serial, announcedAt: now.toISOString() };
      const set = { debit_json: JSON.stringify(again), updated_at: again.announcedAt };
      if (!(await this.d.exits.transition(t.id, ['debit_pending'], set)))
        throw new StationError('STN_ERR_EXIT_BAD_STATE');
      return { txn: { ...t, ...set }, debit: again };
    }
    this.requireState(t, ['priced']);
    const fee = t.fee_json === null ? null : readJsonColumn<FeeJson>(t.fee_json);
    if (!fee) throw new StationError('STN_ERR_EXIT_BAD_STATE');
    if (t.auth_status === 'required') throw new StationError('STN_ERR_EXIT_AUTH_PENDING');
    if (
      t.auth_status === 'refused' &&
      !(fee.decision.ifRefused && fee.authReasons.every((r) => r.code === 'OVER_BAND'))
    ) {
      throw new StationError('STN_ERR_EXIT_AUTH_REFUSED', t.auth_reason ?? '');
    }
    if (!fee.etcPayable) throw new StationError('STN_ERR_EXIT_NOT_ETC_PAYABLE', fee.notPayableReason ?? '');
    if (body.cardId !== t.card_no) throw new StationError('STN_ERR_EXIT_PROOF_MISMATCH', 'cardId');
    if (body.amount !== t.amount)
      throw new StationError('STN_ERR_EXIT_AMOUNT_MISMATCH', `${body.amount} ≠ ${t.amount}`);
    const terminal = await this.d.config.requireTerminal(t.terminal_id);
    const psam = body.psamTerminalNo.toUpperCase();
    if (terminal.psam_terminal_no !== psam) throw new StationError('STN_ERR_CONFIG_TERMINAL_MISMATCH');
    const exTime = this.purchaseTime(body.datetime, now);
    const read = readJsonColumn<ReadJson>(t.read_json);
    const passId = this.passIdOf(read, t.lane_id, now);
    const debit: DebitJson = {
      cardAtc: body.cardAtc,
      amount: body.amount,
      psamTerminalNo: psam,
      terminalTransNo: body.terminalTransNo.toUpperCase(),
      exTime,
      passId,
      announcedAt: now.toISOString(),
    };
    const next = await this.d.db.db.transaction().execute(async (trx) => {
      const batch = beijingBatch(now);
      const serial = await this.d.exits.nextSerial(t.lane_id, batch, trx);
      const set = {
        state: 'debit_pending',
        trade_id: formatExitTradeId({ laneId: t.lane_id, batch, serial }),
        debit_json: JSON.stringify(debit),
        updated_at: debit.announcedAt,
      } satisfies Partial<ExitTxnRow>;
      if (!(await this.d.exits.transition(t.id, ['priced'], set, trx)))
        throw new StationError('STN_ERR_EXIT_BAD_STATE');
      return set;
    });
    return { txn: { ...t, ...next }, debit };
  }

  /**
   * The record's exTime is the datetime the handheld sent to the card for this purchase: the TAC covers it,
   * so the centre can only verify the TAC against exactly that time (never the station's own clock).
   */
  private purchaseTime(datetime: string, now: Date): string {
    const parsed = parseBeijingCompact(datetime, 'datetime');
    if (!parsed.ok) throw new StationError('STN_ERR_REQ_INVALID', parsed.error.message);
    const skewS = Math.abs(parsed.value.getTime() - now.getTime()) / 1000;
    if (skewS > this.opts.maxClockSkewSeconds)
      throw new StationError('STN_ERR_EXIT_CLOCK_SKEW', `${datetime} vs station ${now.toISOString()}`);
    return parsed.value.toISOString();
  }

  /** 【提交数据】 after the debit: the final record + outbox row in one DB transaction; idempotent on trade ID. */
  async commit(
    p: Principal,
    id: string,
    c: CommitInput,
  ): Promise<{ record: ExitRecordRow; replayed: boolean; built?: ExitRecord }> {
    const r = await this.commitInternal(p, id, c, 'exit.commit');
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

  /** Recovery from the handheld's proof (GET TRANSACTION PROVE): debited → commit; not debited → back to priced. */
  async recover(
    p: Principal,
    id: string,
    proof: { outcome: 'debited'; commit: CommitInput } | { outcome: 'not-debited'; cardAtc: number },
  ): Promise<{ txn: ExitTxnRow; record: ExitRecordRow | null }> {
    if (proof.outcome === 'debited') {
      const r = await this.commitInternal(p, id, proof.commit, 'exit.recover');
      this.committed(r.record, r.replayed);
      return { txn: await this.get(id), record: r.record };
    }
    const t = await this.owned(p, id);
    if (t.state !== 'debit_pending' || !t.debit_json)
      throw new StationError('STN_ERR_EXIT_BAD_STATE', t.state);
    const d = JSON.parse(t.debit_json) as DebitJson;
    // The card's ATC has not moved past the announced one: no debit happened, the intent is void.
    if (proof.cardAtc !== d.cardAtc)
      throw new StationError('STN_ERR_EXIT_PROOF_MISMATCH', `ATC ${proof.cardAtc} ≠ ${d.cardAtc}`);
    await this.d.db.db.transaction().execute(async (trx) => {
      const ok = await this.d.exits.transition(
        id,
        ['debit_pending'],
        { state: 'priced', trade_id: null, debit_json: null, updated_at: this.iso() },
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

  /** Cancel before debit. After the debit intent only recovery can end the transaction. */
  async cancel(p: Principal, id: string, reason: string): Promise<ExitTxnRow> {
    const t = await this.owned(p, id);
    if (t.state === 'cancelled') return t;
    this.requireState(t, PRE_DEBIT);
    await this.d.db.db.transaction().execute(async (trx) => {
      const ok = await this.d.exits.transition(
        id,
        PRE_DEBIT,
        { state: 'cancelled', cancel_reason: reason, updated_at: this.iso() },
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

  private async commitInternal(
    p: Principal,
    id: string,
    c: CommitInput,
    action: 'exit.commit' | 'exit.recover',
  ): Promise<{ record: ExitRecordRow; replayed: boolean; built?: ExitRecord }> {
    const digest = commitDigest(id, c);
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
    const debit = readJsonColumn<DebitJson>(t.debit_json);
    // The proof must come from the PSAM and the purchase the intent announced; refused before any write,
    // so the genuine proof still commits.
    const serial = c.terminalTransNo.toUpperCase();
    if (debit.psamTerminalNo !== c.psamTerminalNo.toUpperCase())
      throw new StationError('STN_ERR_EXIT_PSAM_MISMATCH', `terminal ${c.psamTerminalNo}`);
    if (debit.terminalTransNo !== undefined && debit.terminalTransNo !== serial)
      throw new StationError('STN_ERR_EXIT_PSAM_MISMATCH', `serial ${serial}`);
    if (c.postBalance !== c.preBalance - debit.amount) {
      throw new StationError(
        'STN_ERR_EXIT_AMOUNT_MISMATCH',
        `pre ${c.preBalance} − ${debit.amount} ≠ post ${c.postBalance}`,
      );
    }
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
      await this.d.db.db.transaction().execute(async (trx) => {
        await this.d.records.insert(row, trx);
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
        const ok = await this.d.exits.transition(
          t.id,
          ['debit_pending'],
          { state: 'committed', updated_at: row.created_at },
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

  private replay(existing: ExitRecordRow, digest: string): { record: ExitRecordRow; replayed: boolean } {
    if (existing.commit_digest !== digest) throw new StationError('STN_ERR_EXIT_COMMIT_CONFLICT');
    return { record: existing, replayed: true };
  }

  private async buildRecord(
    p: Principal,
    t: ExitTxnRow,
    debit: DebitJson,
    c: CommitInput,
  ): Promise<ExitRecord> {
    const read = readJsonColumn<ReadJson>(t.read_json);
    const fee = readJsonColumn<FeeJson>(t.fee_json ?? '{}');
    const lane = await this.d.config.requireLane(t.lane_id);
    const station = await this.d.config.station();
    const snap = this.d.reference.snapshot;
    const net = snap.tariff.network;
    const card = read.card;
    const entryIdx = card.entry ? net.stationByHex.get(card.entry.stationHex) : undefined;
    const entryStation = entryIdx !== undefined ? net.stations[entryIdx] : undefined;
    const exitIdx = net.nodeIndex.get(t.lane_id.slice(0, 14));
    const exitName = station?.name ?? (exitIdx !== undefined ? net.stations[exitIdx]?.name : undefined) ?? '';
    const dec = fee.decision;
    const specials = fee.specials;
    const collector = await this.collectorOf(t, p);
    const record: ExitRecord = {
      id: c.tradeId,
      passId: debit.passId,
      ...(card.entry
        ? {
            enTollStationHex: card.entry.stationHex,
            enTime: card.entry.time,
            ...(entryStation
              ? { enTollStationId: entryStation.id, enTollStationName: entryStation.name.slice(0, 64) }
              : {}),
          }
        : {}),
      exTollLaneId: t.lane_id,
      exTollLaneHex: lane.hex,
      exTollStationId: t.lane_id.slice(0, 14),
      exTollStationHex: lane.hex.slice(0, 8),
      exTollStationName: exitName.slice(0, 64),
      exTime: debit.exTime,
      operId: collector.operId,
      operName: collector.operName,
      shiftId: t.shift_id,
      mediaType: 1,
      // [I] card inserted in an OBU = 双片式 (2); the card alone (ETC单卡) is recorded as 1.
      obuSign: read.obu ? 2 : 1,
      ...(read.obu && /^[0-9A-F]{16}$/.test(read.obu.obuId) ? { obuId: read.obu.obuId } : {}),
      cardId: card.cardId,
      cardNet: card.cardNet,
      etcCardType: card.cardKind === 'account' ? 2 : 1,
      transPayType: read.obu ? 1 : 2,
      exitFeeType: fee.charge.exitFeeType,
      identification: 2,
      vehicleId: formatVehicleId(
        t.plate ?? card.plate,
        (t.plate_colour ?? card.plateColour ?? 0) as PlateColour,
      ),
      vehicleType: fee.vehicleClass as VehicleClass,
      vehicleClass: fee.vehicleKind as VehicleKind,
      vehicleSign: card.entry?.vehicleStatusFlag ?? 0xff,
      axleCount: card.entry?.axles ?? 0,
      ...(card.entry?.axles != null ? { enAxleCount: card.entry.axles } : {}),
      tac: c.tac.toUpperCase(),
      transFee: debit.amount as Fen,
      transType: '09',
      terminalNo: c.psamTerminalNo.toUpperCase(),
      terminalTransNo: c.terminalTransNo.toUpperCase(),
      cardTransNo: c.cardTransNo,
      algorithmIdentifier: c.algorithm,
      preBalance: c.preBalance as Fen,
      postBalance: c.postBalance as Fen,
      payFee: fee.charge.payFee,
      fee: fee.charge.fee,
      discountFee: fee.charge.discountFee,
      shortFee: dec.shortFee,
      shortFeeMileage: dec.shortFeeMileage,
      feeMileage: dec.feeMileage,
      feeRate: dec.feeRate,
      spcRateVersion: dec.spcRateVersion,
      ...(card.entry?.cumulativeAmount != null
        ? { cardTotalAmount: card.entry.cumulativeAmount as Fen }
        : {}),
      ...(read.obu?.ef04
        ? {
            obuTotalAmount: read.obu.ef04.totalAmount as Fen,
            obuTotalDiscountAmount: read.obu.ef04.totalDiscountAmount as Fen,
          }
        : {}),
      provinceCount: read.obu?.ef04?.provinceCount ?? 1,
      noCardCount: 0,
      ...(dec.discountType !== undefined ? { discountType: dec.discountType } : {}),
      provinceDiscountFee: 0 as Fen,
      originFee: fee.charge.payFee,
      specialType: formatSpecialTypes(specials),
      description: specials
        .map((s) => describeSpecial(s))
        .join('；')
        .slice(0, 256),
      laneType: 5,
      operationMedia: 2,
      listVersions: { ...snap.lists.versions(), tariff: snap.tariff.version },
    };
    const checked = checkExitRecord(record);
    if (!checked.ok) {
      throw new StationError('STN_ERR_REQ_INVALID', `record ${checked.error.field}: ${checked.error.reason}`);
    }
    return checked.value;
  }

  private async collectorOf(t: ExitTxnRow, p: Principal): Promise<{ operId: string; operName: string }> {
    if (t.collector_id === p.accountId)
      return { operId: p.username.slice(0, 32), operName: p.displayName.slice(0, 32) };
    const acc = await this.d.db.db
      .selectFrom('accounts')
      .select(['username', 'display_name'])
      .where('id', '=', t.collector_id)
      .executeTakeFirst();
    return {
      operId: (acc?.username ?? t.collector_id).slice(0, 32),
      operName: (acc?.display_name ?? '').slice(0, 32),
    };
  }

  /** The transaction, if the caller may act on it (see exit-ownership.ts). */
  private async owned(p: Principal, id: string): Promise<ExitTxnRow> {
    const t = await this.get(id);
    await this.d.ownership.require(p, t);
    return t;
  }

  private passIdOf(read: ReadJson, laneId: string, now: Date): string {
    return read.card.entry
      ? formatPassId({
          media: 'card',
          cardNetwork: read.card.cardNet,
          cardNo: read.card.cardId.slice(4),
          entryTime: new Date(read.card.entry.time),
        })
      : formatPassId({ media: 'none', exitLaneId: laneId, exitTime: now });
  }

  private requireState(t: ExitTxnRow, allowed: readonly ExitState[]): void {
    if (t.state === 'cancelled') throw new StationError('STN_ERR_EXIT_CANCELLED');
    if (!allowed.includes(t.state as ExitState)) throw new StationError('STN_ERR_EXIT_BAD_STATE', t.state);
  }

  private iso(): string {
    return this.d.now().toISOString();
  }
}

/** sha256 over the canonical commit input: a replay must carry exactly the same proof. */
export function commitDigest(txnId: string, c: CommitInput): string {
  const canon = JSON.stringify([
    txnId,
    c.tradeId,
    c.tac.toUpperCase(),
    c.psamTerminalNo.toUpperCase(),
    c.terminalTransNo.toUpperCase(),
    c.cardTransNo,
    c.preBalance,
    c.postBalance,
    c.algorithm,
  ]);
  return hash('sha256', canon, 'hex');
}
