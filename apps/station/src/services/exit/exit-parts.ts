import type { CPC_ETC_CARD_TRADE_FIELDS, CpcExitRecord, ExitRecord, NoCardExitRecord } from '@tollpad/domain';
import type { ExitChecks } from '@tollpad/station-api';
import type { CardData, EntryInfo, ExitFeeInput } from '@tollpad/tariff';
import type { ExitTxnRow } from '../../db/schema';
import type { StationError } from '../../errors';
import type { StatusLists } from '../../ports/status-lists';
import type { Executor } from '../../repositories/executor';
import type { DebitBase } from '../json-columns';

/**
 * An exit is one medium × one fee decision × one payment × one card write (DESIGN.md §7). The exit service
 * runs the transaction and the fee decision; these three parts are what changes from one cell of that
 * table to another. The seed's cell is `etc` × `etc-debit` × `etc-0019` (see etc-exit.ts); a CPC, QR,
 * cash or no-card exit is another set of parts beside it.
 *
 * The shapes each part owns travel together as one bag of types, so a service built from parts is typed
 * by them end to end (what 【读卡】 takes, what the debit intent and the commit's proof carry).
 */
export interface ExitTypes {
  /** What 【读卡】 sends for this medium. */
  input: unknown;
  /** What the medium keeps of it (the read_json column). */
  read: unknown;
  /** What the handheld announces just before the payment. */
  intent: { amount: number };
  /** What the station keeps of that announcement (the debit_json column). */
  debit: DebitBase;
  /** The payment's proof at 【提交数据】; its trade ID is the record's ID. */
  proof: { tradeId: string };
  /** The proof that the announced payment did not happen (recovery). */
  notDebited: object;
}

/** The medium's checks at 【读卡】 (the photo step adds its own specials beside them). */
export type MediumChecks = Omit<ExitChecks, 'imageSpecials'>;

/** A plate as the collector confirmed it from the photo. */
export interface ConfirmedPlate {
  plate: string;
  colour: number;
}

/**
 * The entry as the medium read it. `vehicleClass` null: the medium names no class (a CPC whose entry wrote
 * class 0, unknown at entry), so no entry↔exit class mismatch (51) can be judged and the collector's stands.
 */
export type MediumEntry = Omit<EntryInfo, 'vehicleClass'> & { readonly vehicleClass: number | null };

/** What the medium gives the fee decision (the rest of the input is the collector's and the station's). */
export type MediumFeeFacts = Pick<ExitFeeInput, 'obu' | 'cpc' | 'noCard'> & {
  card: Omit<CardData, 'entry'> & { readonly entry: MediumEntry | null };
};

/** The medium's record fields every medium has (its entry, the vehicle it names, its totals). */
type CommonMediumKeys =
  | 'enTollStationHex'
  | 'enTime'
  | 'vehicleSign'
  | 'axleCount'
  | 'enAxleCount'
  | 'cardTotalAmount'
  | 'provinceCount'
  | 'noCardCount';

/** An ETC card (and its OBU) in the ETC record. */
export type EtcMediumRecordFields = Pick<
  ExitRecord,
  | CommonMediumKeys
  | 'mediaType'
  | 'obuSign'
  | 'obuId'
  | 'cardId'
  | 'cardNet'
  | 'etcCardType'
  | 'obuTotalAmount'
  | 'obuTotalDiscountAmount'
>;

/** A CPC in the CPC record (cpc-card.md §7). */
export type CpcMediumRecordFields = Pick<
  CpcExitRecord,
  | CommonMediumKeys
  | 'mediaType'
  | 'mediaNo'
  | 'cpcCardId'
  | 'cpcElec'
  | 'cpcCardPlate'
  | 'cpcCardColor'
  | 'cpcCardVeh'
  | 'cpcCardVehStatus'
  | 'cpcCardEnNet'
  | 'cpcCardEnStation'
  | 'cpcCardEnTime'
  | 'cpcCardProCount'
>;

/**
 * No usable card (cpc-card.md §5.4): mediaType 9, or 2 with a damaged CPC's legible ID; why, and the entry the
 * driver stated or refused. The fee's own fields (card cost, rule) come from the decision.
 */
export type NoCardMediumRecordFields = Pick<
  NoCardExitRecord,
  CommonMediumKeys | 'mediaType' | 'mediaNo' | 'noCardReason' | 'statedEntry' | 'entryRefused'
>;

/** The record's fields that describe the medium (what the vehicle carried and what it told us). */
export type MediumRecordFields = (
  | EtcMediumRecordFields
  | CpcMediumRecordFields
  | NoCardMediumRecordFields
) & {
  /** The plate the medium names, for a record whose transaction never had one confirmed. */
  plate: string;
  plateColour: number | null;
};

/** The ETC card's composite purchase: its proof and the balance it moved. */
export type EtcPaymentRecordFields = Pick<
  ExitRecord,
  | 'transPayType'
  | 'tac'
  | 'transFee'
  | 'transType'
  | 'terminalNo'
  | 'terminalTransNo'
  | 'cardTransNo'
  | 'algorithmIdentifier'
  | 'preBalance'
  | 'postBalance'
>;

/**
 * A payment other than the ETC exit's own purchase: the national payType (payments.md §1), and for the
 * driver's ETC card as payment card (payType 4) its card trade (CPC_ETC_CARD_TRADE_FIELDS).
 */
export type OtherPaymentRecordFields = Pick<
  CpcExitRecord,
  'payType' | (typeof CPC_ETC_CARD_TRADE_FIELDS)[number]
>;

/** The record's fields that describe the payment. */
export type PaymentRecordFields = EtcPaymentRecordFields | OtherPaymentRecordFields;

/** What the medium's checks may ask of the road network in force (the tariff's). */
export interface KnownNetwork {
  /** Station HEX (net + station, 8 hex) → its index. */
  readonly stationByHex: ReadonlyMap<string, number>;
  /** Gantry HEX (6 hex) → its index. */
  readonly gantryByHex: ReadonlyMap<string, number>;
  /** Station ID (14) → its index, and the stations: where a medium names an entry by ID (a stated entry). */
  readonly nodeIndex?: ReadonlyMap<string, number>;
  readonly stations?: readonly { readonly id: string; readonly hex: string; readonly name: string }[];
}

/** The medium: what the vehicle carries, read and checked at 【读卡】. */
export interface ExitMedium<T extends ExitTypes> {
  /** The medium's name, stored with the transaction (its `medium` column) and shown on the wire. */
  readonly id: string;
  /** Decodes and checks what was read; refuses input it cannot understand (a StationError). */
  open(
    input: T['input'],
    ctx: { lists: StatusLists; network: KnownNetwork; now: Date },
  ): { mediumNo: string; read: T['read']; checks: MediumChecks };
  /** Special-situation codes for a confirmed plate that differs from what the medium says. */
  plateSpecials(read: T['read'], actual: ConfirmedPlate): number[];
  feeFacts(read: T['read']): MediumFeeFacts;
  /**
   * Whether the station must hold one payment per PassID itself: true where nothing on the card refuses a
   * second payment for the same trip (a CPC is only flagged after the money moved; an ETC card's purchase
   * moves its own counter). Absent: false.
   */
  readonly onePaymentPerPass?: boolean;
  /**
   * The PassID is made of the exit time (no card, [S G60] 030 + lane + exit time): it names no vehicle before the
   * payment intent, where it is claimed; a second already taken on this lane moves the PassID's time on by one.
   */
  readonly passIdByExitTime?: boolean;
  /**
   * A medium whose card stops naming its trip once the exit is written (a closed CPC, whose PassID then comes
   * from the exit time): a committed exit of the same medium number within `windowMs` is asked about at
   * 【读卡】, and `refusal` says whether the card may still be that trip (a StationError) or names another (null).
   */
  readonly repeatExit?: {
    readonly windowMs: number;
    refusal(
      read: T['read'],
      earlier: { tradeId: string; exTime: string; passId: string },
    ): StationError | null;
  };
  /**
   * A medium with nothing to name the vehicle but its plate (no card): a payment of the same medium for the
   * same confirmed plate within `windowMs`, or one still pending, is refused (STN_ERR_EXIT_NOCARD_REPEAT) at the
   * photo and, under a claim on the plate, at the payment intent. Absent or 0: no such check.
   */
  readonly repeatByPlate?: { readonly windowMs: number };
  /** The vehicle's PassID (its trip's identity across the network). */
  passId(read: T['read'], laneId: string, now: Date): string;
  recordFields(read: T['read']): MediumRecordFields;
}

/** Whether this payment can take the charge now, and if not, why (in Chinese, for the collector). */
export interface Payability {
  payable: boolean;
  reason: string | null;
  /** Special situations the answer adds to the fee (e.g. 余额不足). */
  specials: number[];
}

/** The payment: announced just before the money moves, then proven (or proven not to have happened). */
export interface ExitPayment<T extends ExitTypes> {
  readonly id: string;
  payable(read: T['read'], amount: number): Payability;
  /**
   * The first announcement for a priced transaction: checks the intent against the transaction and returns
   * what the station keeps (the trade ID is allocated by the service; `passId` is the medium's).
   */
  announce(t: ExitTxnRow, intent: T['intent'], ctx: { now: Date; passId: () => string }): Promise<T['debit']>;
  /**
   * The same payment announced again while pending: `'same'` for a retry, a new debit for a retried
   * attempt of the same payment; throws for a different one.
   */
  reannounce(pending: T['debit'], intent: T['intent'], now: Date): T['debit'] | 'same';
  /** Refuses a proof that does not belong to the announced payment, before anything is written. */
  verifyProof(debit: T['debit'], proof: T['proof']): void;
  /** A digest over the canonical proof: a replayed commit must carry exactly the same one. */
  digest(txnId: string, proof: T['proof']): string;
  recordFields(read: T['read'], debit: T['debit'], proof: T['proof']): PaymentRecordFields;
  /**
   * Refuses a proof of "not debited" that does not match the announced payment; runs in the recover's
   * transaction `x`, with the exit row locked, so no new attempt can open between the check and the undo.
   */
  verifyNotDebited(debit: T['debit'], proof: T['notDebited'], x?: Executor): void | Promise<void>;
  /**
   * A payment the station makes itself (QR): persisted in the debit intent's transaction once the trade ID
   * is known, before any request leaves (its outbox row); may complete the debit it keeps.
   */
  open?(t: ExitTxnRow, debit: T['debit'], tradeId: string, x: Executor): Promise<T['debit']>;
  /** After the debit intent is durable: start what `open` persisted. */
  launch?(debit: T['debit']): void;
  /** Before the record is built: the captured payment's facts, or a refusal when nothing was captured. */
  captured?(t: ExitTxnRow, debit: T['debit']): Promise<T['debit']>;
  /** In the record's transaction: ties the captured payment to this record, once (refuses a second). */
  bind?(t: ExitTxnRow, debit: T['debit'], tradeId: string, x: Executor): Promise<void>;
}

/** The card write: what is written to the vehicle's card for this exit, and when. */
export interface ExitCardWrite<T extends ExitTypes> {
  readonly id: string;
  /**
   * `in-payment`: the payment's proof covers the write (the ETC composite purchase); `after-payment`: a
   * separate write once the money moved, whose failure is a noted special case, never a lost payment;
   * `none`: nothing is written.
   */
  readonly timing: 'in-payment' | 'after-payment' | 'none';
  /** Special situations the record notes about the write, given the committed proof. */
  specials(proof: T['proof']): number[];
  /** Refuses an outcome that contradicts itself (a StationError), before anything is written. */
  verifyProof?(proof: T['proof']): void;
}

/** One cell of the exit table. */
export interface ExitParts<T extends ExitTypes> {
  medium: ExitMedium<T>;
  payment: ExitPayment<T>;
  cardWrite: ExitCardWrite<T>;
}
