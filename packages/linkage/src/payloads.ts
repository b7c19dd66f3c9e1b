import { type Fen, type PlateColour, parseExitTradeId, tryFen, validatePlate } from '@tollpad/domain';
import Type, { type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { type LinkageError, type LinkageResult, linkFail } from './errors';
import type { Channel } from './topics';

/**
 * JSON payloads of every channel (PROTOCOL.md), as TypeBox schemas with the types derived from them.
 * Objects are closed (`additionalProperties: false`): a new field means a new protocol version in the
 * topic, so a v1 lane never acts on a field it does not understand.
 */

/** Large enough for any v1 payload; anything bigger is hostile or broken [P]. */
export const MAX_PAYLOAD_BYTES = 8 * 1024;

const closed = { additionalProperties: false } as const;

const V = Type.Literal(1);
const Iso = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?(Z|[+-]\\d{2}:\\d{2})$',
  description: 'ISO-8601 time of sending',
});
const NonNegativeFen = Type.Unsafe<Fen>(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }));
/** Account-card balances are signed (DESIGN §6). */
const SignedFen = Type.Unsafe<Fen>(
  Type.Integer({ minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER }),
);
const PlateColourSchema = Type.Unsafe<PlateColour>(
  Type.Union([0, 1, 2, 3, 4, 5, 6, 7, 9, 11, 12].map((c) => Type.Literal(c))),
);
const Plate = Type.String({ minLength: 1, maxLength: 16 });
const TradeId = Type.String({ minLength: 37, maxLength: 37, description: '出口交易编号（37位）' });
const CommandId = Type.String({ pattern: '^[A-Za-z0-9._:-]{1,64}$' });
const DetectionId = Type.String({ pattern: '^[A-Za-z0-9._:-]{1,64}$' });
/** A reference, not the image: printable ASCII without spaces (a URL or a store key). */
const ImageRef = Type.String({ pattern: '^[!-~]{1,512}$' });
const ShortText = Type.String({ maxLength: 64 });

export const BARRIER_STATES = ['CLOSED', 'OPENING', 'OPEN', 'CLOSING', 'FAULT', 'UNKNOWN'] as const;
export type BarrierState = (typeof BARRIER_STATES)[number];
const BarrierStateSchema = Type.Unsafe<BarrierState>(Type.Union(BARRIER_STATES.map((s) => Type.Literal(s))));

// station → lane ---------------------------------------------------------------------------------

export const DisplayMessageSchema = Type.Union([
  Type.Object(
    {
      v: V,
      at: Iso,
      kind: Type.Literal('fee'),
      plate: Plate,
      plateColour: PlateColourSchema,
      amountFen: NonNegativeFen,
      balanceFen: Type.Optional(SignedFen),
      message: ShortText,
      tradeId: Type.Optional(TradeId),
    },
    closed,
  ),
  Type.Object({ v: V, at: Iso, kind: Type.Literal('notice'), message: ShortText }, closed),
  Type.Object({ v: V, at: Iso, kind: Type.Literal('clear') }, closed),
]);
export type DisplayMessage = Static<typeof DisplayMessageSchema>;

export const BarrierCommandSchema = Type.Union([
  /** Opens for one committed exit record of this lane; idempotent per trade ID. */
  Type.Object(
    { v: V, at: Iso, commandId: CommandId, action: Type.Literal('open'), tradeId: TradeId },
    closed,
  ),
  /** Operator close (IRIS: operator-requested only). */
  Type.Object(
    { v: V, at: Iso, commandId: CommandId, action: Type.Literal('close'), reason: ShortText },
    closed,
  ),
  /** Clears FAULT after the barrier has been inspected. */
  Type.Object(
    { v: V, at: Iso, commandId: CommandId, action: Type.Literal('reset'), reason: ShortText },
    closed,
  ),
]);
export type BarrierCommand = Static<typeof BarrierCommandSchema>;

// lane → station ---------------------------------------------------------------------------------

export const BarrierResultSchema = Type.Object(
  {
    v: V,
    at: Iso,
    commandId: CommandId,
    action: Type.Union([Type.Literal('open'), Type.Literal('close'), Type.Literal('reset')]),
    tradeId: Type.Optional(TradeId),
    /** `duplicate`: the same trade ID was already served; the barrier is not opened a second time. */
    outcome: Type.Union([Type.Literal('accepted'), Type.Literal('duplicate'), Type.Literal('refused')]),
    code: Type.Optional(Type.String({ pattern: '^[A-Z_]{1,40}$' })),
    reason: Type.Optional(ShortText),
    state: BarrierStateSchema,
  },
  closed,
);
export type BarrierResult = Static<typeof BarrierResultSchema>;

export const BarrierStateMessageSchema = Type.Object(
  {
    v: V,
    at: Iso,
    state: BarrierStateSchema,
    tradeId: Type.Optional(TradeId),
    fault: Type.Optional(ShortText),
  },
  closed,
);
export type BarrierStateMessage = Static<typeof BarrierStateMessageSchema>;

export const VehicleEventSchema = Type.Union([
  Type.Object({ v: V, at: Iso, detectionId: DetectionId, event: Type.Literal('present') }, closed),
  Type.Object(
    {
      v: V,
      at: Iso,
      detectionId: DetectionId,
      event: Type.Literal('captured'),
      plate: Plate,
      plateColour: PlateColourSchema,
      imageRef: ImageRef,
      /** Recogniser confidence 0–100, when the camera gives one. */
      confidence: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    },
    closed,
  ),
  Type.Object(
    {
      v: V,
      at: Iso,
      detectionId: DetectionId,
      event: Type.Literal('passed'),
      tradeId: Type.Optional(TradeId),
    },
    closed,
  ),
]);
export type VehicleEvent = Static<typeof VehicleEventSchema>;

export const LaneStatusSchema = Type.Union([
  Type.Object(
    {
      v: V,
      at: Iso,
      status: Type.Literal('online'),
      seq: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
      /** The lane's heartbeat period; the station declares the link lost after a few missed beats. */
      heartbeatMs: Type.Integer({ minimum: 100, maximum: 3_600_000 }),
    },
    closed,
  ),
  /** `lost` is the MQTT Last Will (its `at` is the connect time); `shutdown` an orderly stop. */
  Type.Object(
    {
      v: V,
      at: Iso,
      status: Type.Literal('offline'),
      cause: Type.Union([Type.Literal('lost'), Type.Literal('shutdown')]),
    },
    closed,
  ),
]);
export type LaneStatus = Static<typeof LaneStatusSchema>;

export interface PayloadByChannel {
  display: DisplayMessage;
  'barrier/command': BarrierCommand;
  'barrier/result': BarrierResult;
  'barrier/state': BarrierStateMessage;
  vehicle: VehicleEvent;
  status: LaneStatus;
}

const SCHEMAS: Readonly<Record<Channel, TSchema>> = {
  display: DisplayMessageSchema,
  'barrier/command': BarrierCommandSchema,
  'barrier/result': BarrierResultSchema,
  'barrier/state': BarrierStateMessageSchema,
  vehicle: VehicleEventSchema,
  status: LaneStatusSchema,
};

const CHECKERS = Object.fromEntries(
  Object.entries(SCHEMAS).map(([channel, schema]) => [channel, Compile(schema)]),
) as Record<Channel, ReturnType<typeof Compile>>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes → JSON value with a size limit; never throws. */
export function decodeJson(payload: Uint8Array | string, field = 'payload'): LinkageResult<unknown> {
  let text: string;
  if (typeof payload === 'string') {
    text = payload;
    if (text.length > MAX_PAYLOAD_BYTES) {
      return linkFail('PAYLOAD_TOO_LARGE', field, `报文超过${MAX_PAYLOAD_BYTES}字节`);
    }
  } else {
    if (payload.byteLength > MAX_PAYLOAD_BYTES) {
      return linkFail('PAYLOAD_TOO_LARGE', field, `报文超过${MAX_PAYLOAD_BYTES}字节`);
    }
    try {
      text = utf8.decode(payload);
    } catch {
      return linkFail('PAYLOAD_NOT_UTF8', field, '报文不是UTF-8文本');
    }
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return linkFail('PAYLOAD_NOT_JSON', field, '报文不是合法的JSON');
  }
}

function schemaError(channel: Channel, value: unknown): { ok: false; error: LinkageError } {
  const first = CHECKERS[channel].Errors(value)[0];
  const path = first?.instancePath ? first.instancePath.replace(/^\//, '').replaceAll('/', '.') : '';
  return linkFail('PAYLOAD_INVALID', path || channel, `报文字段不符合协议：${first?.message ?? '结构错误'}`);
}

/** The rules a schema cannot say: plates by colour, money as safe-integer fen, trade-ID shape. */
function semanticCheck<C extends Channel>(
  channel: C,
  value: PayloadByChannel[C],
): LinkageResult<PayloadByChannel[C]> {
  const v = value as PayloadByChannel[Channel];
  if ('plate' in v && 'plateColour' in v) {
    // Camera plates may be the "unrecognised" 默A00000 / colour 9; a displayed plate is the actual plate.
    const plate = validatePlate(v.plate, v.plateColour, { allowUnrecognised: channel === 'vehicle' });
    if (!plate.ok) return linkFail('PLATE_INVALID', plate.error.field, plate.error.reason);
    if (plate.value.plate !== v.plate)
      return linkFail('PLATE_INVALID', 'plate', '车牌号须为规范形式（大写、无空格）');
  }
  if ('amountFen' in v) {
    const amount = tryFen(v.amountFen, 'amountFen');
    if (!amount.ok) return linkFail('AMOUNT_INVALID', 'amountFen', amount.error.reason);
  }
  if ('balanceFen' in v && v.balanceFen !== undefined) {
    const balance = tryFen(v.balanceFen, 'balanceFen');
    if (!balance.ok) return linkFail('AMOUNT_INVALID', 'balanceFen', balance.error.reason);
  }
  if ('tradeId' in v && v.tradeId !== undefined) {
    const trade = parseExitTradeId(v.tradeId, 'tradeId');
    if (!trade.ok) return linkFail('TRADE_ID_INVALID', trade.error.field, trade.error.reason);
  }
  if ('at' in v && Number.isNaN(Date.parse(v.at))) return linkFail('PAYLOAD_INVALID', 'at', '时间无效');
  return { ok: true, value };
}

/** Checks an already-decoded value against a channel's schema and rules. */
export function checkPayload<C extends Channel>(
  channel: C,
  value: unknown,
): LinkageResult<PayloadByChannel[C]> {
  if (!CHECKERS[channel].Check(value)) return schemaError(channel, value);
  return semanticCheck(channel, value as PayloadByChannel[C]);
}

/** Parses a received MQTT payload for a channel: size, UTF-8, JSON, schema, then domain rules. */
export function parsePayload<C extends Channel>(
  channel: C,
  payload: Uint8Array | string,
): LinkageResult<PayloadByChannel[C]> {
  const json = decodeJson(payload);
  if (!json.ok) return json;
  return checkPayload(channel, json.value);
}

/** Validates an outgoing payload and serialises it; a sender never puts an invalid message on the wire. */
export function encodePayload<C extends Channel>(
  channel: C,
  value: PayloadByChannel[C],
): LinkageResult<string> {
  const checked = checkPayload(channel, value);
  if (!checked.ok) return checked;
  return { ok: true, value: JSON.stringify(value) };
}

/** A barrier-open trade ID must be a valid exit trade ID whose lane prefix is this lane. */
export function checkTradeIdForLane(tradeId: string, laneId: string): LinkageResult<string> {
  const trade = parseExitTradeId(tradeId, 'tradeId');
  if (!trade.ok) return linkFail('TRADE_ID_INVALID', trade.error.field, trade.error.reason);
  if (trade.value.laneId !== laneId) {
    return linkFail(
      'TRADE_ID_OTHER_LANE',
      'tradeId',
      `交易${tradeId}属于车道${trade.value.laneId}，不是本车道${laneId}`,
    );
  }
  return { ok: true, value: tradeId };
}
