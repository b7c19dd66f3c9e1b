import Type, { type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { Fen } from './money';
import { isPlateColour, type PlateColour } from './plate';
import { DomainError, fail, ok, type Result } from './result';
import type { VehicleClass, VehicleKind } from './vehicle';

/**
 * The exit transaction records as the station stores them and the centre ingests them: the ETC record
 * (ministry "ETCTD" field list, business-rules.md §6) and the CPC record (cpc-card.md §7). Field names
 * follow the G60 camelCase names.
 */

const FenSchema = Type.Unsafe<Fen>(
  Type.Integer({
    minimum: Number.MIN_SAFE_INTEGER,
    maximum: Number.MAX_SAFE_INTEGER,
    description: '金额，分',
  }),
);
const NonNegativeFen = Type.Unsafe<Fen>(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }));
const Iso = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?(Z|[+-]\\d{2}:\\d{2})$',
});
const VehicleClassSchema = Type.Unsafe<VehicleClass>(
  Type.Union([1, 2, 3, 4, 11, 12, 13, 14, 15, 16, 21, 22, 23, 24, 25, 26].map((c) => Type.Literal(c))),
);
const VehicleKindSchema = Type.Unsafe<VehicleKind>(
  Type.Union([0, 6, 8, 10, 12, 14, 21, 22, 23, 24, 25, 26, 27, 28].map((c) => Type.Literal(c))),
);

export const EXIT_FEE_TYPES: ReadonlyMap<number, string> = new Map([
  [1, 'OBU累计（优惠后）'],
  [2, 'OBU累计（优惠前，已废弃）'],
  [3, 'CPC累计'],
  [4, '省中心在线计费'],
  [5, '部中心在线计费'],
  [6, '全网最小费额'],
  [11, '开放式'],
]);

export type ExitFeeType = 1 | 2 | 3 | 4 | 5 | 6 | 11;

/** Named exitFeeType values (计费方式), for code that sets or tests one. */
export const EXIT_FEE_TYPE = {
  OBU_ACCUMULATED: 1,
  OBU_ACCUMULATED_UNDISCOUNTED: 2,
  CPC_ACCUMULATED: 3,
  ONLINE_PROVINCE: 4,
  ONLINE_MINISTRY: 5,
  MIN_FEE: 6,
  OPEN_SYSTEM: 11,
} as const satisfies Record<string, ExitFeeType>;

/** Ministry discountType values (优惠类型) the exit fee decision sets. */
export const DISCOUNT_TYPE = {
  GREEN_CHANNEL: 1,
  COMBINE_HARVESTER: 2,
  HOLIDAY_FREE: 5,
} as const;

export type DiscountType = (typeof DISCOUNT_TYPE)[keyof typeof DISCOUNT_TYPE];

/** National payType (payments.md §1 [S DICT payType]); there is no 5. */
export type NationalPayType = 1 | 2 | 3 | 4 | 6 | 7;

/** Named payType values. */
export const PAY_TYPE = {
  CASH: 1,
  OTHER_THIRD_PARTY: 2,
  UNIONPAY_CARD: 3,
  ETC_CARD: 4,
  ALIPAY: 6,
  WECHAT: 7,
} as const satisfies Record<string, NationalPayType>;

/** Named mediaType values (通行介质类型, business-rules.md §6). */
export const MEDIA_TYPE = {
  OBU: 1,
  CPC: 2,
  PAPER: 3,
  M1: 4,
  NONE: 9,
} as const;

/** What every exit record carries, whatever the medium: where and when, who, and the tariff's identity. */
const IdentityFields = {
  id: Type.String({
    pattern: '^.{21}\\d{16}$',
    description: '出口交易编号：出口车道编号+YYYYMMDDHH+6位流水',
  }),
  passId: Type.String({ minLength: 36, maxLength: 40 }),
  enTollLaneId: Type.Optional(Type.String({ minLength: 21, maxLength: 21 })),
  enTollStationId: Type.Optional(Type.String({ minLength: 14, maxLength: 14 })),
  enTollStationHex: Type.Optional(Type.String({ pattern: '^[0-9A-F]{8}$' })),
  enTollStationName: Type.Optional(Type.String({ maxLength: 64 })),
  enTime: Type.Optional(Iso),
  exTollLaneId: Type.String({ minLength: 21, maxLength: 21 }),
  exTollLaneHex: Type.String({ pattern: '^[0-9A-F]{10}$' }),
  exTollStationId: Type.String({ minLength: 14, maxLength: 14 }),
  exTollStationHex: Type.String({ pattern: '^[0-9A-F]{8}$' }),
  exTollStationName: Type.String({ maxLength: 64 }),
  exTime: Iso,
  operId: Type.String({ minLength: 1, maxLength: 32 }),
  operName: Type.String({ maxLength: 32 }),
  shiftId: Type.String({ minLength: 1, maxLength: 64 }),
};

const ExitFeeTypeSchema = Type.Unsafe<ExitFeeType>(
  Type.Union([1, 2, 3, 4, 5, 6, 11].map((c) => Type.Literal(c))),
);

const VehicleFields = {
  identification: Type.Union([Type.Literal(1), Type.Literal(2)]),
  vehicleId: Type.String({ minLength: 4, maxLength: 16, description: '实际车牌_颜色' }),
  identifyVehicleId: Type.Optional(Type.String({ maxLength: 16 })),
  vehicleSignId: Type.Optional(Type.String({ maxLength: 40 })),
  vehicleType: VehicleClassSchema,
  vehicleClass: VehicleKindSchema,
  vehicleSign: Type.Integer({ minimum: 0, maximum: 255 }),
  axleCount: Type.Integer({ minimum: 0, maximum: 20 }),
  exWeight: Type.Optional(Type.Integer({ minimum: 0 })),
  enAxleCount: Type.Optional(Type.Integer({ minimum: 0, maximum: 20 })),
  enWeight: Type.Optional(Type.Integer({ minimum: 0 })),
};

const FeeFields = {
  payFee: NonNegativeFen,
  fee: NonNegativeFen,
  discountFee: NonNegativeFen,
  shortFee: NonNegativeFen,
  shortFeeMileage: Type.Integer({ minimum: 0, description: '米' }),
  feeMileage: Type.Integer({ minimum: 0 }),
  feeRate: Type.Number({ minimum: 0, description: '计费费率 fee/shortFee（比率，非金额）' }),
  spcRateVersion: Type.String({ minLength: 1, maxLength: 32 }),
  cardTotalAmount: Type.Optional(NonNegativeFen),
  provinceCount: Type.Integer({ minimum: 0, maximum: 40 }),
  noCardCount: Type.Integer({ minimum: 0 }),
  discountType: Type.Optional(Type.Integer({ minimum: 0, maximum: 9 })),
  provinceDiscountFee: NonNegativeFen,
  originFee: NonNegativeFen,
};

const TailFields = {
  // Special situations
  specialType: Type.String({ pattern: '^(\\d{1,3}(\\|\\d{1,3})*)?$' }),
  description: Type.String({ maxLength: 256 }),
  // Handheld markers ([P]: the entry-side markers reused on exit, business-rules.md §6)
  laneType: Type.Literal(5, { description: '5 虚拟（通过便携机收费）' }),
  operationMedia: Type.Literal(2, { description: '2 手持终端' }),
  // Versions in force and links
  listVersions: Type.Record(Type.String(), Type.String()),
  correctsId: Type.Optional(Type.String({ description: '被更正的原交易编号' })),
  /** The station's 绿通查验 of this exit (issue #22): its ID, uploaded beside the record. */
  greenInspectionId: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: '绿通查验编号' })),
};

/** The ETC exit record: an ETC card (in its OBU or alone) paying with its composite purchase. */
export const EtcExitRecordSchema = Type.Object(
  {
    ...IdentityFields,
    // Media
    mediaType: Type.Literal(1, { description: '1 OBU（ETC卡签）' }),
    obuSign: Type.Union([Type.Literal(1), Type.Literal(2)], { description: '1 单片式，2 双片式' }),
    obuId: Type.Optional(Type.String({ pattern: '^[0-9A-F]{16}$' })),
    cardId: Type.String({ pattern: '^\\d{20}$', description: '卡网络号4位+卡内部编号16位' }),
    cardNet: Type.String({ pattern: '^\\d{4}$' }),
    etcCardType: Type.Union([Type.Literal(1), Type.Literal(2)], { description: '1 储值卡，2 记账卡' }),
    // Payment
    transPayType: Type.Union([Type.Literal(1), Type.Literal(2)], {
      description: '1 出口ETC通行，2 出口ETC刷卡通行',
    }),
    exitFeeType: ExitFeeTypeSchema,
    ...VehicleFields,
    // Card trade
    tac: Type.String({ pattern: '^[0-9A-F]{8}$' }),
    transFee: NonNegativeFen,
    transType: Type.Literal('09', { description: '09 复合消费' }),
    terminalNo: Type.String({ pattern: '^[0-9A-F]{12}$', description: 'PSAM终端机编号' }),
    terminalTransNo: Type.String({ pattern: '^[0-9A-F]{8}$', description: 'PSAM终端交易序号' }),
    cardTransNo: Type.Integer({ minimum: 0, maximum: 0xffff, description: '卡片脱机交易序号（ATC）' }),
    algorithmIdentifier: Type.Union([Type.Literal(1), Type.Literal(2)], { description: '1 3DES，2 SM4 [I]' }),
    preBalance: FenSchema,
    postBalance: FenSchema,
    // Fee
    ...FeeFields,
    obuTotalAmount: Type.Optional(NonNegativeFen),
    obuTotalDiscountAmount: Type.Optional(NonNegativeFen),
    ...TailFields,
  },
  { additionalProperties: false },
);

/**
 * What the CPC record and the no-card record share, a no-card exit being paid like a CPC (cpc-card.md §5.4):
 * the national payType, the driver's ETC card's trade when that card pays, the vehicle, the fee, the tail.
 */
const PaidLikeCpcFields = {
  /** National payType (payments.md §1): 1 现金, 2 其他第三方, 3 银联卡, 4 ETC用户卡, 6 支付宝, 7 微信. */
  payType: Type.Unsafe<NationalPayType>(
    Type.Union(
      [1, 2, 3, 4, 6, 7].map((c) => Type.Literal(c)),
      { description: '支付方式' },
    ),
  ),
  /**
   * The driver's ETC card as payment card (payType 4, payments.md §6 [S G60]): its trade, present exactly
   * when payType is 4 (checkExitRecord). The card pays only: transPayType 2 出口ETC刷卡通行.
   */
  transPayType: Type.Optional(Type.Literal(2, { description: '2 出口ETC刷卡通行' })),
  cardId: Type.Optional(Type.String({ pattern: '^\\d{20}$', description: '付款ETC卡卡号' })),
  cardNet: Type.Optional(Type.String({ pattern: '^\\d{4}$' })),
  etcCardType: Type.Optional(
    Type.Union([Type.Literal(1), Type.Literal(2)], { description: '1 储值卡，2 记账卡' }),
  ),
  tac: Type.Optional(Type.String({ pattern: '^[0-9A-F]{8}$' })),
  transFee: Type.Optional(NonNegativeFen),
  transType: Type.Optional(
    Type.Union([Type.Literal('06'), Type.Literal('09')], { description: '06 传统消费，09 复合消费' }),
  ),
  terminalNo: Type.Optional(Type.String({ pattern: '^[0-9A-F]{12}$' })),
  terminalTransNo: Type.Optional(Type.String({ pattern: '^[0-9A-F]{8}$' })),
  cardTransNo: Type.Optional(Type.Integer({ minimum: 0, maximum: 0xffff })),
  algorithmIdentifier: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2)])),
  preBalance: Type.Optional(FenSchema),
  postBalance: Type.Optional(FenSchema),
  exitFeeType: ExitFeeTypeSchema,
  ...VehicleFields,
  ...FeeFields,
  ...TailFields,
};

/**
 * The CPC exit record (ministry "exit other transaction" OTD, cpc-card.md §7): the CPC's identity as
 * mediaNo, the national payType of the payment (no ETC card trade: transPayType and the card fields are
 * absent), and the station table's CPC fields [S G60 TblExMtcPass].
 */
export const CpcExitRecordSchema = Type.Object(
  {
    ...IdentityFields,
    mediaType: Type.Literal(2, { description: '2 CPC卡' }),
    mediaNo: Type.String({ pattern: '^[0-9A-F]{16}$', description: 'CPC卡编号' }),
    ...PaidLikeCpcFields,
    cpcCardId: Type.String({ pattern: '^[0-9A-F]{16}$' }),
    cpcElec: Type.Integer({ minimum: -1, maximum: 100, description: 'CPC电量百分比，−1 不可读' }),
    cpcCardPlate: Type.String({ maxLength: 16 }),
    cpcCardColor: Type.Integer({ minimum: 0, maximum: 255 }),
    cpcCardVeh: Type.Integer({ minimum: 0, maximum: 255, description: '卡内车型' }),
    cpcCardVehStatus: Type.Integer({ minimum: 0, maximum: 255, description: '卡内车种 [I]' }),
    cpcCardEnNet: Type.String({ pattern: '^[0-9A-F]{4}$' }),
    cpcCardEnStation: Type.String({ pattern: '^[0-9A-F]{8}$' }),
    cpcCardEnTime: Type.Optional(Iso),
    cpcCardProCount: Type.Integer({ minimum: 0, maximum: 255 }),
  },
  { additionalProperties: false },
);

/** Why an exit had no usable card (cpc-card.md §5.4): none taken at entry, a CPC lost, a CPC damaged. */
export const NO_CARD_REASONS = ['no-card', 'lost', 'damaged'] as const;
export type NoCardRecordReason = (typeof NO_CARD_REASONS)[number];

/**
 * The no-card exit record (cpc-card.md §5.4): `mediaType 9` and `passId = 030 + exit lane ID + exit time`
 * [S G60]; a damaged CPC whose ID is still legible on its label is `mediaType 2` with that ID as mediaNo and
 * special 35 [P] (its PassID 02 0000 + CPC ID + exit time, the entry time being unreadable). Paid like a CPC
 * (national payType, the driver's ETC card's trade for payType 4). What the fee came from travels with it:
 * the reason, the rule that set the toll, the card cost apart from the toll (fee = toll + cardCost), and the
 * entry the driver stated or refused. Told apart from the CPC record by `noCardReason`.
 */
export const NoCardExitRecordSchema = Type.Object(
  {
    ...IdentityFields,
    mediaType: Type.Union([Type.Literal(9), Type.Literal(2)], {
      description: '9 无通行介质；2 损坏但卡号可辨的CPC [P]',
    }),
    mediaNo: Type.Optional(Type.String({ pattern: '^[0-9A-F]{16}$', description: '损坏CPC卡面编号' })),
    ...PaidLikeCpcFields,
    noCardReason: Type.Enum(NO_CARD_REASONS, { description: 'no-card 无卡，lost 丢卡，damaged 坏卡' }),
    /** The CPC's cost for a lost or damaged card, inside `fee` (the toll is fee − cardCost). */
    cardCost: NonNegativeFen,
    /** The fee decision's rule that set the toll (NOCARD.PLATE / STATED / FARTHEST / NO_FEE). */
    feeRule: Type.String({ pattern: '^NOCARD\\.[A-Z_]{1,24}$' }),
    /** The entry the driver stated, as stated (station ID or HEX). */
    statedEntry: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    /** The driver refused to state an entry. */
    entryRefused: Type.Optional(Type.Boolean()),
    /** The entry the centre inferred from the plate's passages (fee by plate), as it named it. */
    inferredEntry: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    /** The station the toll was charged from (inferred, stated or the farthest route's), when on the network. */
    feeEntryStationId: Type.Optional(Type.String({ minLength: 14, maxLength: 14 })),
  },
  { additionalProperties: false },
);

/** Every exit record, told apart by mediaType (1 ETC, 2 CPC) and a no-card record by its noCardReason. */
export const ExitRecordSchema = Type.Union([
  EtcExitRecordSchema,
  CpcExitRecordSchema,
  NoCardExitRecordSchema,
]);

/**
 * The ETC exit record. The name predates the CPC record and stays the ETC one, so code that reads the card
 * trade (TAC, ATC, balances) keeps its type; code that takes records of every medium uses AnyExitRecord.
 */
export type ExitRecord = Static<typeof EtcExitRecordSchema>;
export type EtcExitRecord = ExitRecord;
export type CpcExitRecord = Static<typeof CpcExitRecordSchema>;
export type NoCardExitRecord = Static<typeof NoCardExitRecordSchema>;
/** An exit record of any medium: told apart by mediaType, a no-card record by isNoCardRecord. */
export type AnyExitRecord = ExitRecord | CpcExitRecord | NoCardExitRecord;

/** A no-card exit's record (mediaType 9, or 2 for a damaged CPC with a legible ID). */
export function isNoCardRecord(r: AnyExitRecord): r is NoCardExitRecord {
  return 'noCardReason' in r;
}

/** A record paid other than by its own ETC card's purchase (a CPC's or a no-card exit's): it has a payType. */
export function isOtherPaymentRecord(r: AnyExitRecord): r is CpcExitRecord | NoCardExitRecord {
  return r.mediaType !== MEDIA_TYPE.OBU;
}

const etcChecker = Compile(EtcExitRecordSchema as TSchema);
const cpcChecker = Compile(CpcExitRecordSchema as TSchema);
const noCardChecker = Compile(NoCardExitRecordSchema as TSchema);

/** Schema check plus the cross-field rules the schema cannot express. */
export function checkExitRecord(value: unknown): Result<AnyExitRecord> {
  // The medium picks the schema, so an error names the field of that record, not "no branch matched".
  const isCpc =
    typeof value === 'object' &&
    value !== null &&
    (value as { mediaType?: unknown }).mediaType === MEDIA_TYPE.CPC;
  const isNoCard = typeof value === 'object' && value !== null && 'noCardReason' in value;
  const checker = isNoCard ? noCardChecker : isCpc ? cpcChecker : etcChecker;
  if (!checker.Check(value)) {
    const first = checker.Errors(value)[0];
    const path = first?.instancePath ? first.instancePath.replace(/^\//, '').replaceAll('/', '.') : 'record';
    return fail(
      'RECORD_INVALID',
      path || 'record',
      first?.message ?? 'does not match the exit record schema',
    );
  }
  const r = value as AnyExitRecord;
  if (isNoCardRecord(r)) {
    const bad = noCardError(r) ?? cpcEtcCardTradeError(r);
    if (bad) return fail('RECORD_INVALID', bad.field, bad.reason);
  }
  if (r.mediaType === MEDIA_TYPE.OBU && r.transFee !== r.fee)
    return fail('RECORD_INVALID', 'transFee', `transFee ${r.transFee} must equal fee ${r.fee} at exit`);
  if (r.payFee !== r.fee + r.discountFee + r.provinceDiscountFee) {
    return fail('RECORD_INVALID', 'payFee', 'payFee must equal fee + discountFee + provinceDiscountFee');
  }
  if (r.mediaType === MEDIA_TYPE.OBU && r.postBalance !== r.preBalance - r.transFee) {
    return fail('RECORD_INVALID', 'postBalance', 'postBalance must equal preBalance − transFee');
  }
  if (
    r.mediaType === MEDIA_TYPE.CPC &&
    !isNoCardRecord(r) &&
    (r.mediaNo !== r.cpcCardId || !r.passId.startsWith(`020000${r.mediaNo}`))
  ) {
    return fail('RECORD_INVALID', 'mediaNo', 'mediaNo, cpcCardId and the PassID must name the same CPC');
  }
  if (r.mediaType === MEDIA_TYPE.CPC && !isNoCardRecord(r)) {
    const bad = cpcEtcCardTradeError(r);
    if (bad) return fail('RECORD_INVALID', bad.field, bad.reason);
  }
  if (!r.id.startsWith(r.exTollLaneId))
    return fail('RECORD_INVALID', 'id', 'trade ID must start with the exit lane ID');
  if (!r.exTollLaneId.startsWith(r.exTollStationId)) {
    return fail('RECORD_INVALID', 'exTollLaneId', 'exit lane must belong to the exit station');
  }
  const colour = Number(r.vehicleId.split('_').at(-1));
  if (!isPlateColour(colour as PlateColour) || colour === 9) {
    return fail('RECORD_INVALID', 'vehicleId', 'vehicleId must end in a plate colour other than 9');
  }
  return ok(r);
}

/** The ETC card trade fields of a CPC record (payType 4 only). */
export const CPC_ETC_CARD_TRADE_FIELDS = [
  'transPayType',
  'cardId',
  'cardNet',
  'etcCardType',
  'tac',
  'transFee',
  'transType',
  'terminalNo',
  'terminalTransNo',
  'cardTransNo',
  'algorithmIdentifier',
  'preBalance',
  'postBalance',
] as const satisfies readonly (keyof CpcExitRecord & keyof NoCardExitRecord)[];

/** A no-card record's medium, PassID, reason, special and card cost agree with one another. */
function noCardError(r: NoCardExitRecord): { field: string; reason: string } | null {
  const specials = r.specialType === '' ? [] : r.specialType.split('|').map(Number);
  if (r.mediaType === MEDIA_TYPE.NONE) {
    if (r.mediaNo !== undefined) return { field: 'mediaNo', reason: 'a mediaType 9 record has no mediaNo' };
    if (!r.passId.startsWith(`030${r.exTollLaneId}`))
      return { field: 'passId', reason: 'a mediaType 9 PassID is 030 + exit lane ID + exit time' };
  } else {
    if (r.noCardReason !== 'damaged' || r.mediaNo === undefined)
      return {
        field: 'mediaNo',
        reason: 'only a damaged CPC with a legible ID is a mediaType 2 no-card record',
      };
    if (!r.passId.startsWith(`020000${r.mediaNo}`))
      return { field: 'passId', reason: 'the PassID must name the damaged CPC' };
  }
  const want = r.noCardReason === 'damaged' ? 35 : 36;
  if (!specials.includes(want))
    return { field: 'specialType', reason: `a ${r.noCardReason} exit carries special ${want}` };
  if (r.cardCost > r.fee) return { field: 'cardCost', reason: 'the card cost is part of fee' };
  if (r.noCardReason === 'no-card' && r.cardCost !== 0)
    return { field: 'cardCost', reason: 'no card taken at entry: no card cost' };
  return null;
}

/** A CPC record paid by an ETC card carries its whole card trade, and only such a record carries one. */
function cpcEtcCardTradeError(r: CpcExitRecord | NoCardExitRecord): { field: string; reason: string } | null {
  const byCard = r.payType === PAY_TYPE.ETC_CARD;
  for (const f of CPC_ETC_CARD_TRADE_FIELDS) {
    if (byCard && r[f] === undefined) return { field: f, reason: 'required when payType is 4 (ETC用户卡)' };
    if (!byCard && r[f] !== undefined)
      return { field: f, reason: 'only a payType 4 (ETC用户卡) record has it' };
  }
  if (!byCard) return null;
  if (r.transFee !== r.fee)
    return { field: 'transFee', reason: `transFee ${r.transFee} must equal fee ${r.fee}` };
  if (r.postBalance !== (r.preBalance ?? 0) - (r.transFee ?? 0))
    return { field: 'postBalance', reason: 'postBalance must equal preBalance − transFee' };
  if (r.cardNet !== r.cardId?.slice(0, 4))
    return { field: 'cardNet', reason: 'cardNet must be the card ID’s first 4 digits' };
  return null;
}

export function assertExitRecord(value: unknown): AnyExitRecord {
  const r = checkExitRecord(value);
  if (!r.ok) throw new DomainError(r.error.code, r.error.field, r.error.reason);
  return r.value;
}
