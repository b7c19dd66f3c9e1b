import Type, { type Static } from 'typebox';

/**
 * Arrears (追缴, payments.md §9): the centre's book of what a vehicle owes for earlier trips, and a payback as
 * its own record. An entry follows Fujian cmd 30's audit [S TCS doDealCmd30] (id, real entry/exit stations,
 * PassID, confirmed escape type, remark, isPreBlack) with the list record's owed fee and evasion count
 * [S G60 TblRecoveryListRecord]. Money is integer fen.
 */

const Fen = Type.Integer({ minimum: 0, maximum: 100_000_000, description: '金额，分' });
const Iso = Type.String({
  maxLength: 40,
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?(Z|[+-]\\d{2}:\\d{2})$',
});

/** An entry's ID: the book's, stable, short (letters, digits, '-'). */
export const ArrearsEntryIdSchema = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9-]+$' });

/** One open (or cleared) arrears entry as the centre answers it. */
export const ArrearsEntrySchema = Type.Object({
  id: ArrearsEntryIdSchema,
  /** plate_colour, e.g. 闽A12345_0. */
  vehicleId: Type.String({ maxLength: 24 }),
  passId: Type.String({ maxLength: 48 }),
  realEnStationId: Type.String({ maxLength: 24 }),
  realExStationId: Type.String({ maxLength: 24 }),
  /** Why, as the audit confirmed it (e.g. 闯关逃费, 倒换卡逃费). */
  confirmedEscapeTypeName: Type.String({ maxLength: 64 }),
  reason: Type.String({ maxLength: 200 }),
  oweFee: Fen,
  evasionCount: Type.Integer({ minimum: 0, maximum: 10_000 }),
  /** 预追缴 (grey, special 127) rather than 追缴 (black, 118). */
  isPreBlack: Type.Boolean(),
  status: Type.Union([Type.Literal('open'), Type.Literal('cleared')]),
  creationTime: Iso,
});
export type ArrearsEntry = Static<typeof ArrearsEntrySchema>;

/** The list type an open entry puts its vehicle on (`vehicle-chase`: 1 追缴名单, 2 预追缴名单). */
export const ARREARS_LIST_TYPE = { black: 1, grey: 2 } as const;

/**
 * A payback record (补缴流水), uploaded by the station that took the money: its own trade ID (idempotency
 * key), the entries it clears and exactly their sum, how it was paid. [P] never added to a toll.
 */
export const ArrearsPaybackRecordSchema = Type.Object(
  {
    /** The payback's trade ID (the station's exit trade ID format of its lane and batch). */
    id: Type.String({ minLength: 37, maxLength: 37, pattern: '^[0-9A-Za-z]+$' }),
    vehicleId: Type.String({ minLength: 4, maxLength: 24 }),
    entryIds: Type.Array(ArrearsEntryIdSchema, { minItems: 1, maxItems: 50 }),
    paybackFee: Type.Integer({ minimum: 1, maximum: 100_000_000 }),
    /** National payType (payments.md §1): 1 cash, 4 ETC card, 6 WeChat, 7 Alipay … */
    payType: Type.Integer({ minimum: 1, maximum: 99 }),
    /** The platform's order or card trade, when the money moved through one. */
    payOrder: Type.Optional(Type.String({ maxLength: 64 })),
    exTollStationId: Type.String({ minLength: 14, maxLength: 14 }),
    laneId: Type.String({ minLength: 21, maxLength: 21 }),
    /** The exit transaction it was found at, if any (the exit went on separately). */
    exitTxnId: Type.Optional(Type.String({ maxLength: 40 })),
    payTime: Iso,
    operId: Type.String({ maxLength: 32 }),
    shiftId: Type.String({ maxLength: 40 }),
  },
  { additionalProperties: false },
);
export type ArrearsPaybackRecord = Static<typeof ArrearsPaybackRecordSchema>;
