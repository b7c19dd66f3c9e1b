import { ArrearsEntryIdSchema, ArrearsEntrySchema } from '@tollpad/domain';
import { type Static, Type } from 'typebox';
import { Nullable } from './common';
import { ListHitSchema, SpecialNoteSchema } from './exits';
import { EtcPurchaseProofSchema, PaymentStatusSchema } from './payments';

/** `GET /arrears/:plate?colour=`: the plate as the collector confirmed it (or as the medium names it). */
export const ArrearsLookupParams = Type.Object({ plate: Type.String({ minLength: 2, maxLength: 16 }) });
export const ArrearsLookupQuery = Type.Object({ colour: Type.Integer({ minimum: 0, maximum: 99 }) });

/**
 * What the collector is shown of a plate's arrears (追缴, payments.md §9): the open entries with the amounts
 * and why, from the centre (`source: 'centre'`), or — the centre unreachable — the chase list's hit alone
 * (`source: 'list'`, no amounts, `note` says so in Chinese); `none`: neither knows the plate.
 */
export const ArrearsLookupSchema = Type.Object({
  vehicleId: Type.String(),
  source: Type.Union([Type.Literal('centre'), Type.Literal('list'), Type.Literal('none')]),
  entries: Type.Array(ArrearsEntrySchema),
  /** Σ oweFee of the entries, fen. */
  total: Type.Integer(),
  listHit: Nullable(ListHitSchema),
  /** 118 (追缴, black) or 127 (预追缴, grey) when the plate is owed for; empty otherwise. */
  specials: Type.Array(SpecialNoteSchema),
  note: Nullable(Type.String()),
});
export type ArrearsLookup = Static<typeof ArrearsLookupSchema>;

const EntryIds = Type.Array(ArrearsEntryIdSchema, { minItems: 1, maxItems: 50, uniqueItems: true });

/**
 * `POST /arrears-paybacks` (补缴): the collector opens a payback of a plate's open entries on their own terminal
 * and shift. `amount` must be exactly Σ oweFee of the named entries as the centre answers them
 * (STN_ERR_ARREARS_AMOUNT_MISMATCH otherwise); `exitTxnId` the exit it was found at, if any. Then the payment
 * (the CPC exit's bodies: QR, cash, the driver's ETC card) and the commit, as for an exit. [P] never added to a
 * toll: its own trade ID, record and receipt.
 */
export const ArrearsPaybackBody = Type.Object(
  {
    laneId: Type.String({ minLength: 21, maxLength: 21 }),
    plate: Type.String({ minLength: 2, maxLength: 16 }),
    colour: Type.Integer({ minimum: 0, maximum: 99 }),
    entryIds: EntryIds,
    amount: Type.Integer({ minimum: 1, maximum: 100_000_000 }),
    exitTxnId: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  },
  { additionalProperties: false },
);
export type ArrearsPaybackRequest = Static<typeof ArrearsPaybackBody>;

/** 【提交数据】 of a payback: nothing is written to any card; the driver's ETC card as payment brings its proof. */
export const ArrearsPaybackCommitBody = Type.Object(
  {
    tradeId: Type.String({ pattern: '^.{21}\\d{16}$' }),
    etcCard: Type.Optional(EtcPurchaseProofSchema),
  },
  { additionalProperties: false },
);
export type ArrearsPaybackCommit = Static<typeof ArrearsPaybackCommitBody>;

/** Recovery of a payback whose payment was announced: paid (the commit) or not (back to payable). */
export const ArrearsPaybackRecoverBody = Type.Union([
  Type.Object(
    { outcome: Type.Literal('debited'), commit: ArrearsPaybackCommitBody },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      outcome: Type.Literal('not-debited'),
      cardAtc: Type.Optional(Type.Integer({ minimum: 0, maximum: 0xffff })),
    },
    { additionalProperties: false },
  ),
]);
export type ArrearsPaybackRecovery = Static<typeof ArrearsPaybackRecoverBody>;

/**
 * Where the payback's record stands with the centre: `conflict` — the centre refused it (e.g.
 * CTR_ERR_ARREARS_ALREADY_CLEARED: another payback cleared the entries first); the money taken stands and the
 * record is kept for a person to settle with the centre, never lost.
 */
export const PAYBACK_UPLOADS = ['none', 'pending', 'acked', 'conflict'] as const;

/** A payback as the collector follows it. */
export const ArrearsPaybackSchema = Type.Object({
  id: Type.String(),
  state: Type.String(),
  laneId: Type.String(),
  shiftId: Type.String(),
  vehicleId: Type.String(),
  entries: Type.Array(ArrearsEntrySchema),
  amount: Type.Integer(),
  exitTxnId: Nullable(Type.String()),
  tradeId: Nullable(Type.String()),
  debit: Nullable(Type.Record(Type.String(), Type.Unknown())),
  payment: Type.Optional(PaymentStatusSchema),
  upload: Type.Enum(PAYBACK_UPLOADS),
  uploadCode: Nullable(Type.String()),
  /** The payback record once committed. */
  record: Nullable(Type.Record(Type.String(), Type.Unknown())),
  createdAt: Type.String(),
});
export type ArrearsPayback = Static<typeof ArrearsPaybackSchema>;

export const ArrearsPaybackIdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 40 }) });

/** The answer of a payback's commit (`replayed`: the same trade ID committed before, the same record). */
export const ArrearsPaybackCommitAnswerSchema = Type.Object({
  replayed: Type.Boolean(),
  payback: ArrearsPaybackSchema,
});
