import {
  type AnyExitRecord,
  CPC_FEE_BLOCK_LENGTH,
  CPC_MAX_PROVINCES,
  CPC_READ_LENGTHS,
} from '@tollpad/domain';
import { type Static, Type } from 'typebox';
import { Nullable, OpenObject } from './common';
import {
  type CpcPayment,
  CpcPaymentBody,
  EtcCardFilesSchema,
  EtcPurchaseAnnouncement,
  EtcPurchaseProofSchema,
  PaymentStatusSchema,
} from './payments';

/**
 * The exit transaction resource: 【读卡】 → 【提交图片数据】 → 【算费】 → (班长授权) → payment intent → 【提交数据】.
 * One resource for every medium: 【读卡】 names the medium (`card` for ETC, `cpc` for a 复合通行卡) and every later
 * step is sent to the same paths; the transaction knows its medium and answers a body of another medium's shape
 * with STN_ERR_EXIT_MEDIUM_MISMATCH.
 */

/** What the vehicle carried (DESIGN.md §7): an ETC card (in its OBU or alone), a CPC, or no usable card. */
export const EXIT_MEDIA = ['etc', 'cpc', 'none'] as const;
export type ExitMediumId = (typeof EXIT_MEDIA)[number];

const EXIT_STATES = ['read', 'imaged', 'priced', 'debit_pending', 'committed', 'cancelled'] as const;
export type ExitState = (typeof EXIT_STATES)[number];

/** States before the debit intent: the transaction may still be cancelled and nothing was taken. */
export const PRE_DEBIT_STATES = ['read', 'imaged', 'priced'] as const satisfies readonly ExitState[];

const AUTH_STATUSES = ['none', 'required', 'approved', 'refused'] as const;
export type AuthStatus = (typeof AUTH_STATUSES)[number];

// --- 【读卡】 ------------------------------------------------------------------------------------

export const ObuReadSchema = Type.Object(
  {
    obuId: Type.String({ pattern: '^[0-9A-Fa-f]{16}$' }),
    issuerNetwork: Type.Optional(Type.String({ pattern: '^\\d{4}$' })),
    plate: Type.Optional(Type.String({ maxLength: 16 })),
    plateColour: Type.Optional(Type.Integer({ minimum: 0, maximum: 255 })),
    vehicleClass: Type.Optional(Type.Integer({ minimum: 0, maximum: 255 })),
    removed: Type.Boolean(),
    validUntil: Type.Optional(Type.String({ pattern: '^\\d{8}$' })),
    ef04: Type.Optional(
      Type.Object(
        {
          status: Type.Enum(['ok', 'bad-prefix', 'no-card-passes', 'entry-invalid', 'no-province']),
          totalAmount: Type.Integer({ minimum: 0 }),
          totalDiscountAmount: Type.Integer({ minimum: 0 }),
          provinceCount: Type.Integer({ minimum: 0, maximum: 40 }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ObuRead = Static<typeof ObuReadSchema>;

/** What the card (and OBU) read: the raw files; the station decodes and checks them itself. */
export const CardReadSchema = Type.Object(
  { ...EtcCardFilesSchema.properties, obu: Type.Optional(ObuReadSchema) },
  { additionalProperties: false },
);
export type CardRead = Static<typeof CardReadSchema>;

/** Whole bytes of hex, at most `maxBytes` (a CPC file is at most 512 B, cpc-card.md §2.1). */
const CpcFileHex = (bytes: string, maxBytes = 512) =>
  Type.String({ pattern: '^(?:[0-9A-Fa-f]{2})*$', maxLength: maxBytes * 2, description: bytes });

/**
 * What the handheld read from a CPC (cpc-card.md §2), as raw hex: MF/EF01 system information (30 B), MF/EF02
 * base information (32 B), DF01/EF01 entry (first 39 B), DF01/EF02 pass information (101 B) and the DF01/EF04
 * fee blocks as read (23 B × n, n = EF02 byte 0, 0..22; empty when n = 0). The station decodes and checks
 * them itself with the card package's codecs; it never takes the handheld's decoding. The schema takes any
 * whole bytes so that a card read with other lengths is answered as a bad card (STN_ERR_EXIT_CPC_UNREADABLE,
 * naming the file), not as a malformed request.
 */
export const CpcReadSchema = Type.Object(
  {
    sysInfo: CpcFileHex(`MF/EF01, ${CPC_READ_LENGTHS.sysInfo} B`),
    baseInfo: CpcFileHex(`MF/EF02, ${CPC_READ_LENGTHS.baseInfo} B`),
    entry: CpcFileHex(`DF01/EF01, ${CPC_READ_LENGTHS.entry} B`),
    pass: CpcFileHex(`DF01/EF02, ${CPC_READ_LENGTHS.pass} B`),
    // Room for more blocks than a card holds, so that too many is answered as a bad card.
    feeBlocks: CpcFileHex(
      `DF01/EF04, 0..${CPC_MAX_PROVINCES} blocks of ${CPC_FEE_BLOCK_LENGTH} B (empty when EF02 names no province)`,
      1024,
    ),
  },
  { additionalProperties: false },
);
export type CpcRead = Static<typeof CpcReadSchema>;

const LaneId = Type.String({ minLength: 21, maxLength: 21 });

/** 【读卡】 of an ETC card (and its OBU). */
export const CreateEtcExitBody = Type.Object(
  { laneId: LaneId, card: CardReadSchema },
  { additionalProperties: false },
);
/** 【读卡】 of a CPC. */
export const CreateCpcExitBody = Type.Object(
  { laneId: LaneId, cpc: CpcReadSchema },
  { additionalProperties: false },
);

/** Why the vehicle has no usable card (cpc-card.md §5.4): none taken at entry, a CPC lost, a CPC damaged. */
export const NO_CARD_READ_REASONS = ['no-card', 'lost', 'damaged'] as const;
export type NoCardReadReason = (typeof NO_CARD_READ_REASONS)[number];

/**
 * 【读卡】 of a vehicle without a usable card ("无卡"): the reason, for a damaged CPC the ID read from its label
 * (16 hex; the record is then mediaType 2 with special 35 [P]), and the entry the driver states (station ID or
 * HEX) or that the driver refuses to state one. The plate comes from the photo step; 【算费】's `entryStation`
 * may state (or correct) the entry later.
 */
export const NoCardReadSchema = Type.Object(
  {
    reason: Type.Enum(NO_CARD_READ_REASONS),
    cpcId: Type.Optional(Type.String({ pattern: '^[0-9A-Fa-f]{16}$' })),
    statedEntry: Type.Optional(Type.String({ minLength: 8, maxLength: 14, pattern: '^[0-9A-Za-z]+$' })),
    refused: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type NoCardRead = Static<typeof NoCardReadSchema>;

/** 【读卡】 with no usable card (medium `none`). */
export const CreateNoneExitBody = Type.Object(
  { laneId: LaneId, none: NoCardReadSchema },
  { additionalProperties: false },
);

export const CreateExitBody = Type.Union([CreateEtcExitBody, CreateCpcExitBody, CreateNoneExitBody]);
export type CreateExit = Static<typeof CreateExitBody>;
export type CreateEtcExit = Static<typeof CreateEtcExitBody>;
export type CreateCpcExit = Static<typeof CreateCpcExitBody>;
export type CreateNoneExit = Static<typeof CreateNoneExitBody>;

// --- the transaction ----------------------------------------------------------------------------

export const SpecialNoteSchema = Type.Object({ code: Type.Integer(), description: Type.String() });
export type SpecialNote = Static<typeof SpecialNoteSchema>;

/** A status-list entry that matched the card, the OBU or the vehicle. */
export const ListHitSchema = Type.Object({
  list: Type.Enum(['card', 'obu', 'vehicle']),
  /** List type code (card: 1 挂失 … 7 余额不足; OBU 1–4/101–105; vehicle 1 追缴). */
  type: Type.Integer(),
  /** The version of the list that answered. */
  version: Type.String(),
  reason: Type.String(),
});
export type ListHit = Static<typeof ListHitSchema>;

/** The 【读卡】 checks, and the specials the photo step added (the `checks_json` column). */
export const ExitChecksSchema = Type.Object({
  specials: Type.Array(SpecialNoteSchema),
  imageSpecials: Type.Array(SpecialNoteSchema),
  listHits: Type.Array(ListHitSchema),
  suggested: Type.Object({ vehicleClass: Nullable(Type.Integer()), vehicleKind: Type.Integer() }),
  /** Plain Chinese instructions, in order. */
  actions: Type.Array(Type.String()),
  /** No ETC debit is possible at all (expired, locked, wrong type…): take other payment. */
  blocked: Type.Boolean(),
  /** A monitor must release the vehicle (status list) before an ETC debit. */
  needsRelease: Type.Boolean(),
});
export type ExitChecks = Static<typeof ExitChecksSchema>;

export const ExitImageSchema = Type.Object({
  plate: Type.String(),
  plateColour: Type.Integer(),
  photoSha256: Type.String(),
});

/** What 【算费】 decided, in fen: `fee` is what will be debited. */
export const ExitFeeSchema = Type.Object({
  vehicleClass: Type.Integer(),
  vehicleKind: Type.Integer(),
  fee: Type.Integer(),
  payFee: Type.Integer(),
  discountFee: Type.Integer(),
  exitFeeType: Type.Integer(),
  specials: Type.Array(SpecialNoteSchema),
  /** The ETC card itself can pay (an ETC exit only; always false for a CPC). */
  etcPayable: Type.Boolean(),
  /** The transaction's payment can take `fee` now (for an ETC exit the same as `etcPayable`). */
  payable: Type.Boolean(),
  /**
   * The payment this medium's exit takes: `etc-debit` (the card's composite purchase) or `by-method` (a CPC:
   * QR, cash or the driver's ETC card, the collector's choice at the intent).
   */
  payment: Type.String(),
  notPayableReason: Nullable(Type.String()),
  /** The tariff's decision with its rule trace, for the monitor and the audit. */
  decision: OpenObject(),
});
export type ExitFee = Static<typeof ExitFeeSchema>;

export const AuthReasonSchema = Type.Object({ code: Type.String(), text: Type.String() });
export type AuthReason = Static<typeof AuthReasonSchema>;

export const AuthorisationSchema = Type.Object({
  status: Type.Enum(AUTH_STATUSES),
  reasons: Type.Array(AuthReasonSchema),
  by: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  at: Nullable(Type.String()),
});
export type Authorisation = Static<typeof AuthorisationSchema>;

export const ExitSchema = Type.Object(
  {
    id: Type.String(),
    state: Type.Enum(EXIT_STATES),
    medium: Type.Enum(EXIT_MEDIA),
    laneId: Type.String(),
    terminalId: Type.String(),
    shiftId: Type.String(),
    /** The medium's number: the ETC card number (20 digits) or the CPC ID (16 hex digits). */
    cardId: Type.String(),
    /** The card as the station decoded it (for a CPC: `{ sys, base, entry, pass, blocks }`). */
    card: OpenObject(),
    checks: ExitChecksSchema,
    image: Nullable(ExitImageSchema),
    fee: Nullable(ExitFeeSchema),
    authorisation: AuthorisationSchema,
    tradeId: Nullable(Type.String()),
    debit: Nullable(OpenObject()),
    cancelReason: Nullable(Type.String()),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { $id: 'ExitTransaction' },
);
export type ExitTransaction = Static<typeof ExitSchema>;

export const ExitListSchema = Type.Array(ExitSchema);

export const ExitListQuery = Type.Object({
  state: Type.Optional(Type.String({ maxLength: 20 })),
  laneId: Type.Optional(Type.String({ maxLength: 21 })),
  authStatus: Type.Optional(Type.String({ maxLength: 20 })),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
});

// --- the steps ----------------------------------------------------------------------------------

/** 【提交图片数据】: the actual plate, its colour and the photo (uploaded to /images first). */
export const ExitImageBody = Type.Object(
  {
    plate: Type.String({ minLength: 1, maxLength: 16 }),
    plateColour: Type.Integer({ minimum: 0, maximum: 99 }),
    photoSha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  },
  { additionalProperties: false },
);
export type ExitImage = Static<typeof ExitImageBody>;

/** 【算费】: the chosen class (车型) and kind (车种); the entry station when the card has none. */
export const ExitFeeBody = Type.Object(
  {
    vehicleClass: Type.Integer({ minimum: 1, maximum: 26 }),
    vehicleKind: Type.Integer({ minimum: 0, maximum: 28 }),
    seats: Type.Optional(Type.Integer({ minimum: 1, maximum: 99 })),
    entryStation: Type.Optional(Type.String({ minLength: 8, maxLength: 14 })),
  },
  { additionalProperties: false },
);
export type ExitFeeRequest = Static<typeof ExitFeeBody>;

/** 班长授权: approve or refuse, with a reason. */
export const AuthorisationBody = Type.Object(
  { approve: Type.Boolean(), reason: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type AuthorisationDecision = Static<typeof AuthorisationBody>;

export const AuthorisationWaitQuery = Type.Object({
  waitMs: Type.Integer({ minimum: 0, maximum: 30_000, default: 25_000 }),
});

/** The announcement just before DEBIT; the station answers with the exit trade ID. */
export const DebitIntentBody = Type.Object(
  {
    cardId: EtcPurchaseAnnouncement.cardId,
    cardAtc: EtcPurchaseAnnouncement.cardAtc,
    amount: Type.Integer({ minimum: 0 }),
    psamTerminalNo: EtcPurchaseAnnouncement.psamTerminalNo,
    terminalTransNo: EtcPurchaseAnnouncement.terminalTransNo,
    datetime: EtcPurchaseAnnouncement.datetime,
  },
  { additionalProperties: false },
);
export type DebitIntent = Static<typeof DebitIntentBody>;

/**
 * The payment intent of a CPC exit: QR (被扫 with the driver's code, or 主扫), or cash with the tendered amount
 * (the old bare `{ payment: 'cash', amount }` is the exact amount). The contract is in payments.ts; the station
 * mints the trade ID, the PassID and the pay ID and answers as for a debit intent, plus the payment's status.
 * The card is written after the payment succeeded.
 */
export const CpcPaymentIntentBody = CpcPaymentBody;
export type CpcPaymentIntent = CpcPayment;

/** `POST /exits/:id/debit-intent`: an ETC debit intent or a CPC payment intent, by the transaction's medium. */
export const PaymentIntentBody = Type.Union([DebitIntentBody, ...CpcPaymentBody.anyOf]);

export const DebitIntentAnswer = Type.Object({
  tradeId: Type.String(),
  passId: Type.String(),
  exTime: Type.String(),
  amount: Type.Integer(),
  transaction: ExitSchema,
  /** A CPC exit's payment (payments.ts); absent for an ETC debit. */
  payment: Type.Optional(PaymentStatusSchema),
});
export type DebitIntentResult = Static<typeof DebitIntentAnswer>;

/** 【提交数据】: the card's proof of the debit. */
export const CommitBody = Type.Object(
  { tradeId: Type.String({ pattern: '^.{21}\\d{16}$' }), ...EtcPurchaseProofSchema.properties },
  { additionalProperties: false },
);
export type Commit = Static<typeof CommitBody>;

const TradeId = Type.String({ pattern: '^.{21}\\d{16}$' });

/**
 * 【提交数据】 of a CPC exit, after the payment: what became of the exit write (cpc-card.md §6). `not-written`
 * (the write or its read-back failed even after the retry) still commits the record: the payment stands and the
 * record carries the special "CPC写卡失败过车"; `reason` says what the handheld saw (e.g. the status word).
 */
/**
 * The card layer's codes (packages/card ERRORS.md) a CPC close can fail with that the commit may name as
 * `cardError`. The station maps them onto the record's specials with the card package's own table
 * (CPC_EXIT_SPECIAL_TYPES: CPC_UK1_LOCKED → 34 CPC卡密钥UK1锁定, EXTERNAL_AUTH_FAILED and
 * CPC_PROVINCES_ABNORMAL → 35 CPC卡损坏); the others add no special beside the write-failed one. The station
 * checks at compile time that each is a card catalogue code.
 */
export const CPC_CLOSE_CARD_ERRORS = [
  'CPC_UK1_LOCKED',
  'EXTERNAL_AUTH_FAILED',
  'CPC_PROVINCES_ABNORMAL',
  'CHALLENGE_MISSING',
  'CPC_WRITE_NOT_CONFIRMED',
  'CARD_NOT_RETURNED',
  'WRONG_CARD',
  'CARD_ABSENT',
  'CARD_IO',
  'READER_TIMEOUT',
  'READER_UNAVAILABLE',
  'PSAM_NOT_AUTHORISED',
  'SECURITY_STATUS',
  'CONDITIONS_NOT_SATISFIED',
  'MEMORY_FAILURE',
  'UNKNOWN_STATUS',
] as const;
export type CpcCloseCardError = (typeof CPC_CLOSE_CARD_ERRORS)[number];

export const CpcCommitBody = Type.Object(
  {
    tradeId: TradeId,
    cardWrite: Type.Union([Type.Literal('written'), Type.Literal('not-written')]),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    /** Only with `not-written`: the card layer's code the close failed with (STN_ERR_REQ_INVALID otherwise). */
    cardError: Type.Optional(Type.Enum(CPC_CLOSE_CARD_ERRORS)),
    /** Only for a CPC paid by the driver's ETC card: the card's purchase proof (payments.ts). */
    etcCard: Type.Optional(EtcPurchaseProofSchema),
  },
  { additionalProperties: false },
);
export type CpcCommit = Static<typeof CpcCommitBody>;

/**
 * 【提交数据】 of a no-card exit: nothing is written to any card (`cardWrite: 'none'`), and for the driver's ETC
 * card as payment its purchase proof.
 */
export const NoneCommitBody = Type.Object(
  {
    tradeId: TradeId,
    cardWrite: Type.Literal('none'),
    etcCard: Type.Optional(EtcPurchaseProofSchema),
  },
  { additionalProperties: false },
);
export type NoneCommit = Static<typeof NoneCommitBody>;

/** `POST /exits/:id/commit`: the ETC card's proof, the CPC's write outcome or a no-card exit's, by medium. */
export const AnyCommitBody = Type.Union([CommitBody, CpcCommitBody, NoneCommitBody]);

/** The exit record as committed (idempotent on the trade ID: a replay answers the same record). */
export const CommitAnswer = Type.Object({
  replayed: Type.Boolean(),
  tradeId: Type.String(),
  record: OpenObject<AnyExitRecord>(),
});
export type CommitResult = Static<typeof CommitAnswer>;

/** Recovery of a pending debit from the card's proof (GET TRANSACTION PROVE) after a tear or reload. */
const EtcRecoverBody = Type.Union([
  Type.Object({ outcome: Type.Literal('debited'), commit: CommitBody }, { additionalProperties: false }),
  Type.Object(
    { outcome: Type.Literal('not-debited'), cardAtc: Type.Integer({ minimum: 0, maximum: 0xffff }) },
    { additionalProperties: false },
  ),
]);
export type EtcRecovery = Static<typeof EtcRecoverBody>;

/**
 * Recovery of a CPC exit whose payment intent was announced: the cash was taken (the commit, with the
 * write's outcome), or it was not (the transaction goes back to 【算费】's state and the trade ID is void).
 */
const CpcRecoverBody = Type.Union([
  Type.Object({ outcome: Type.Literal('debited'), commit: CpcCommitBody }, { additionalProperties: false }),
  // A no-card exit is paid the same ways: its commit names no card write.
  Type.Object({ outcome: Type.Literal('debited'), commit: NoneCommitBody }, { additionalProperties: false }),
  Type.Object(
    {
      outcome: Type.Literal('not-debited'),
      /** Only for the driver's ETC card: its ATC, unchanged since the announcement (no debit happened). */
      cardAtc: Type.Optional(Type.Integer({ minimum: 0, maximum: 0xffff })),
    },
    { additionalProperties: false },
  ),
]);
export type CpcRecovery = Static<typeof CpcRecoverBody>;

export const RecoverBody = Type.Union([...EtcRecoverBody.anyOf, ...CpcRecoverBody.anyOf]);
export type Recovery = Static<typeof RecoverBody>;

export const RecoverAnswer = Type.Object({
  transaction: ExitSchema,
  record: Nullable(OpenObject<AnyExitRecord>()),
});
export type RecoverResult = Static<typeof RecoverAnswer>;

export const CancelBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
