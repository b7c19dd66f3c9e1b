import { fail, ok, type Result } from './result';
import { beijingCompact, parseBeijingCompact } from './time';

/**
 * Ministry identifiers (business-rules.md §6): section (11), station (14), plaza (18), lane (21),
 * interval (16), gantry (19); their hex forms; exit trade ID (37) and PassID.
 */

const ROUTE = '[GS][0-9A-Z]{4}';
const SECTION_RE = new RegExp(`^(${ROUTE})(\\d{2})(\\d{3})0$`);

export interface SectionId {
  readonly sectionId: string;
  /** 收费公路编号, e.g. G0022. */
  readonly route: string;
  /** Two-digit province code, e.g. 37 (Shandong). */
  readonly province: string;
  readonly sectionSeq: string;
}

export interface StationId extends SectionId {
  readonly stationId: string;
  readonly stationSeq: string;
}

/** Plaza type digit: 1 entry, 2 exit [I] (from data). */
export interface PlazaId extends StationId {
  readonly plazaId: string;
  readonly plazaType: string;
  readonly plazaSeq: string;
}

export interface LaneId extends PlazaId {
  readonly laneId: string;
  readonly laneSeq: string;
}

function idError(field: string, text: string, expectedLength: number, what: string): Result<never> {
  if (text.length !== expectedLength) {
    return fail('ID_INVALID', field, `${what}应为${expectedLength}位，实为${text.length}位`);
  }
  return fail('ID_INVALID', field, `${what}格式不符：“${text}”`);
}

function endsInZero(text: string, field: string, what: string): Result<never> | undefined {
  return text.endsWith('0') ? undefined : fail('ID_INVALID', field, `${what}末位应为0`);
}

export function parseSectionId(text: string, field = 'sectionId'): Result<SectionId> {
  if (text.length !== 11) return idError(field, text, 11, '路段编号');
  const m = SECTION_RE.exec(text);
  if (!m) return endsInZero(text, field, '路段编号') ?? idError(field, text, 11, '路段编号');
  return ok({ sectionId: text, route: m[1]!, province: m[2]!, sectionSeq: m[3]! });
}

export function parseStationId(text: string, field = 'stationId'): Result<StationId> {
  if (text.length !== 14) return idError(field, text, 14, '收费站编号');
  const section = parseSectionId(text.slice(0, 11), field);
  if (!section.ok) return section;
  const m = /^(\d{2})0$/.exec(text.slice(11));
  if (!m) return endsInZero(text, field, '收费站编号') ?? idError(field, text, 14, '收费站编号');
  return ok({ ...section.value, stationId: text, stationSeq: m[1]! });
}

export function parsePlazaId(text: string, field = 'plazaId'): Result<PlazaId> {
  if (text.length !== 18) return idError(field, text, 18, '收费广场编号');
  const station = parseStationId(text.slice(0, 14), field);
  if (!station.ok) return station;
  const m = /^(\d)(\d{2})0$/.exec(text.slice(14));
  if (!m) return endsInZero(text, field, '收费广场编号') ?? idError(field, text, 18, '收费广场编号');
  return ok({ ...station.value, plazaId: text, plazaType: m[1]!, plazaSeq: m[2]! });
}

export function parseLaneId(text: string, field = 'laneId'): Result<LaneId> {
  if (text.length !== 21) return idError(field, text, 21, '车道编号');
  const plaza = parsePlazaId(text.slice(0, 18), field);
  if (!plaza.ok) return plaza;
  const m = /^(\d{2})0$/.exec(text.slice(18));
  if (!m) return endsInZero(text, field, '车道编号') ?? idError(field, text, 21, '车道编号');
  return ok({ ...plaza.value, laneId: text, laneSeq: m[1]! });
}

export interface IntervalId extends SectionId {
  readonly intervalId: string;
  readonly intervalSeq: string;
  /** 1 up, 2 down. */
  readonly direction: 1 | 2;
}

export function parseIntervalId(text: string, field = 'intervalId'): Result<IntervalId> {
  if (text.length !== 16) return idError(field, text, 16, '收费单元编号');
  const section = parseSectionId(text.slice(0, 11), field);
  if (!section.ok) return section;
  const m = /^(\d{3})([12])0$/.exec(text.slice(11));
  if (!m) return idError(field, text, 16, '收费单元编号');
  return ok({ ...section.value, intervalId: text, intervalSeq: m[1]!, direction: Number(m[2]) as 1 | 2 });
}

export interface GantryId extends IntervalId {
  readonly gantryId: string;
  readonly gantrySeq: string;
}

export function parseGantryId(text: string, field = 'gantryId'): Result<GantryId> {
  if (text.length !== 19) return idError(field, text, 19, '门架编号');
  const interval = parseIntervalId(text.slice(0, 16), field);
  if (!interval.ok) return interval;
  const m = /^(\d{2})0$/.exec(text.slice(16));
  if (!m) return idError(field, text, 19, '门架编号');
  return ok({ ...interval.value, gantryId: text, gantrySeq: m[1]! });
}

export function stationIdOf(laneId: string): string {
  return laneId.slice(0, 14);
}

/** Station HEX (8) and lane HEX (10) start with the province code, e.g. 37012443 / 370124435B. */
export function isStationHex(text: string): boolean {
  return /^[0-9]{2}[0-9A-F]{6}$/.test(text);
}

export function isLaneHex(text: string): boolean {
  return /^[0-9]{2}[0-9A-F]{8}$/.test(text);
}

export function isGantryHex(text: string): boolean {
  return /^[0-9A-F]{6}$/.test(text);
}

export interface ExitTradeId {
  readonly laneId: string;
  /** YYYYMMDDHH (Beijing). */
  readonly batch: string;
  /** In-batch serial, 0–999999. */
  readonly serial: number;
}

export function formatExitTradeId(id: ExitTradeId): string {
  return `${id.laneId}${id.batch}${String(id.serial).padStart(6, '0')}`;
}

export function parseExitTradeId(text: string, field = 'tradeId'): Result<ExitTradeId & { lane: LaneId }> {
  if (text.length !== 37) return fail('ID_INVALID', field, `交易编号应为37位，实为${text.length}位`);
  const lane = parseLaneId(text.slice(0, 21), `${field}.laneId`);
  if (!lane.ok) return lane;
  const batch = text.slice(21, 31);
  const time = parseBeijingCompact(batch, `${field}.batch`, 'batch');
  if (!time.ok) return time;
  const serial = text.slice(31);
  if (!/^\d{6}$/.test(serial))
    return fail('ID_INVALID', `${field}.serial`, `批次内流水号应为6位数字：“${serial}”`);
  return ok({ laneId: lane.value.laneId, batch, serial: Number(serial), lane: lane.value });
}

/** PassID media prefixes (business-rules.md §6). */
export type PassId =
  | { readonly media: 'obu'; readonly obuSerial: string; readonly entryTime: Date }
  | {
      readonly media: 'card';
      readonly cardNetwork: string;
      readonly cardNo: string;
      readonly entryTime: Date;
    }
  | { readonly media: 'cpc'; readonly cpcId: string; readonly entryTime: Date }
  | { readonly media: 'none'; readonly exitLaneId: string; readonly exitTime: Date }
  | { readonly media: 'paper'; readonly ticketNo: string; readonly exitTime: Date }
  | { readonly media: 'm1'; readonly m1Id: string; readonly entryTime: Date };

export function formatPassId(id: PassId): string {
  switch (id.media) {
    case 'obu':
      return `000000${id.obuSerial}${beijingCompact(id.entryTime)}`;
    case 'card':
      return `01${id.cardNetwork}${id.cardNo}${beijingCompact(id.entryTime)}`;
    case 'cpc':
      return `020000${id.cpcId}${beijingCompact(id.entryTime)}`;
    case 'none':
      return `030${id.exitLaneId}${beijingCompact(id.exitTime)}`;
    case 'paper':
      return `040000${id.ticketNo}${beijingCompact(id.exitTime)}`;
    case 'm1':
      return `090000${id.m1Id}${beijingCompact(id.entryTime)}`;
  }
}

export function parsePassId(text: string, field = 'passId'): Result<PassId> {
  const prefix = text.slice(0, 2);
  const timeOf = (s: string) => parseBeijingCompact(s, `${field}.time`);
  if (prefix === '01') {
    const m = /^01(\d{4})(\d{16})(\d{14})$/.exec(text);
    if (!m)
      return fail(
        'ID_INVALID',
        field,
        `卡PassID应为01+网络号4位+卡号16位+入口时间14位（36位），实为“${text}”`,
      );
    const t = timeOf(m[3]!);
    if (!t.ok) return t;
    return ok({ media: 'card', cardNetwork: m[1]!, cardNo: m[2]!, entryTime: t.value });
  }
  if (prefix === '03') {
    const m = /^030(.{21})(\d{14})$/.exec(text);
    if (!m) return fail('ID_INVALID', field, `无介质PassID应为030+出口车道21位+出口时间14位`);
    const lane = parseLaneId(m[1]!, `${field}.exitLaneId`);
    if (!lane.ok) return lane;
    const t = timeOf(m[2]!);
    if (!t.ok) return t;
    return ok({ media: 'none', exitLaneId: m[1]!, exitTime: t.value });
  }
  const m = /^(00|02|04|09)0000([0-9A-F]{16})(\d{14})$/.exec(text);
  if (!m) return fail('ID_INVALID', field, `无法识别的PassID“${text}”`);
  const t = timeOf(m[3]!);
  if (!t.ok) return t;
  switch (m[1]) {
    case '00':
      return ok({ media: 'obu', obuSerial: m[2]!, entryTime: t.value });
    case '02':
      return ok({ media: 'cpc', cpcId: m[2]!, entryTime: t.value });
    case '04':
      return ok({ media: 'paper', ticketNo: m[2]!, exitTime: t.value });
    default:
      return ok({ media: 'm1', m1Id: m[2]!, entryTime: t.value });
  }
}
