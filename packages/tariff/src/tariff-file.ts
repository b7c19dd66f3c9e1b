import { isGantryHex, isStationHex, parseGantryId, parseIntervalId, parseStationId } from '@tollpad/domain';
import { CLASS_CODES, CLASS_COUNT } from './classes';
import { TariffError, type TariffErrorCode } from './errors';

/**
 * The tariff file: JSON Lines, one object per line, so every error can name its line.
 *   line 1 (after blank/`#` comment lines): header
 *     {"type":"header","format":"tollpad-tariff","formatVersion":1,"version":"23112801","province":"37",
 *      "etcDiscount":[95,100],"label":"SYNTHETIC TEST DATA"}
 *   {"type":"station","id":"<14-char station ID>","hex":"<8 hex>","name":"…","x"?:m,"y"?:m}
 *   {"type":"node","id":"<free id>","kind":"junction"|"boundary","x"?:m,"y"?:m}  (non-station graph nodes)
 * `x`/`y` (optional, both or neither): the node's position in metres east/north of an arbitrary origin, for
 * drawing a path on a map only — no fee or path depends on them [P]. The synthetic province carries them (TEST).
 *   {"type":"interval","id":"<16-char 收费单元 ID>","from":"<node>","to":"<node>","lengthM":12345,
 *      "fees":{"1":556,"2":…,"26":…}}                                    (directed; fee per class, fen)
 *   {"type":"gantry","id":"<19-char gantry ID>","hex":"<6 hex>","interval":"<interval ID>","border"?:true}  (border: 省界门架)
 * `version` is the spcRateVersion stamped into exit records. Records of other provinces (IDs with another
 * province code) are the slice of the national station list, minimum-fee table and gantry table that the
 * lane holds for vehicles from next door [P]: cpc-card.md §5.2, business-rules.md §5.
 */
export const TARIFF_FORMAT = 'tollpad-tariff';
export const TARIFF_FORMAT_VERSION = 1;
/** Bounds that keep every path sum inside Int32 (≤ MAX_NODES edges × MAX_INTERVAL_FEE < 2^31). */
export const MAX_INTERVAL_FEE = 1_000_000;
export const MAX_INTERVAL_LENGTH_M = 1_000_000;
export const MAX_NODES = 1500;

export interface TariffHeader {
  readonly version: string;
  readonly province: string;
  /** ETC discount num/den applied per interval; default 95/100 (business-rules §5, "at least 5%"). */
  readonly etcDiscount: readonly [number, number];
  readonly label: string;
}

/** A node's map position, metres east (x) and north (y) of the file's origin [P]: display only. */
export interface NodePosition {
  readonly x: number;
  readonly y: number;
}

/** Bound of a coordinate (metres): a province is far smaller than ±10 000 km. */
export const MAX_COORDINATE_M = 10_000_000;

export interface StationDef {
  readonly id: string;
  readonly hex: string;
  readonly name: string;
  readonly line: number;
  readonly at?: NodePosition;
}

export interface NodeDef {
  readonly id: string;
  readonly kind: 'junction' | 'boundary';
  readonly line: number;
  readonly at?: NodePosition;
}

export interface IntervalDef {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly lengthM: number;
  /** Fee per class in CLASS_CODES order, fen. */
  readonly fees: readonly number[];
  readonly line: number;
}

export interface GantryDef {
  readonly id: string;
  readonly hex: string;
  readonly interval: string;
  /** 省界门架: a province-border gantry (TCS gantry type 1, cpc-card.md §2.7 — taken from the table, not the HEX). */
  readonly border?: boolean;
  readonly line: number;
}

export interface TariffFile {
  readonly header: TariffHeader;
  readonly stations: readonly StationDef[];
  readonly nodes: readonly NodeDef[];
  readonly intervals: readonly IntervalDef[];
  readonly gantries: readonly GantryDef[];
}

type Obj = Record<string, unknown>;

class Collector {
  readonly errors: TariffError[] = [];
  add(code: TariffErrorCode, line: number, field: string, reason: string): void {
    this.errors.push(new TariffError(code, line, field, reason));
  }
}

function str(o: Obj, key: string, line: number, c: Collector, max = 64): string | undefined {
  const v = o[key];
  if (typeof v !== 'string' || v.length === 0 || v.length > max) {
    c.add('TARIFF_FIELD', line, key, `缺少或无效的字符串字段（最长${max}）`);
    return undefined;
  }
  return v;
}

function int(o: Obj, key: string, line: number, c: Collector, min: number, max: number): number | undefined {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    c.add('TARIFF_FIELD', line, key, '应为整数');
    return undefined;
  }
  if (v < min || v > max) {
    c.add('TARIFF_FIELD', line, key, `取值${v}超出范围 ${min}–${max}`);
    return undefined;
  }
  return v;
}

/** The optional `x`/`y` pair; one without the other is an error. */
function position(o: Obj, line: number, c: Collector): NodePosition | undefined {
  if (o.x === undefined && o.y === undefined) return undefined;
  const x = int(o, 'x', line, c, -MAX_COORDINATE_M, MAX_COORDINATE_M);
  const y = int(o, 'y', line, c, -MAX_COORDINATE_M, MAX_COORDINATE_M);
  return x !== undefined && y !== undefined ? { x, y } : undefined;
}

/** The position's fields as written (none when the node has no position). */
const positionFields = (at: NodePosition | undefined) => (at ? { x: at.x, y: at.y } : {});

function parseHeader(o: Obj, line: number, c: Collector): TariffHeader | undefined {
  if (o.type !== 'header' || o.format !== TARIFF_FORMAT) {
    c.add('TARIFF_HEADER', line, 'type', `第一条记录应为 {"type":"header","format":"${TARIFF_FORMAT}"}`);
    return undefined;
  }
  if (o.formatVersion !== TARIFF_FORMAT_VERSION) {
    c.add('TARIFF_HEADER', line, 'formatVersion', `不支持的格式版本 ${String(o.formatVersion)}`);
    return undefined;
  }
  const version = str(o, 'version', line, c, 32);
  if (version !== undefined && !/^[0-9A-Za-z._-]+$/.test(version)) {
    c.add('TARIFF_HEADER', line, 'version', '费率版本只能含字母、数字和 . _ -');
  }
  const province = str(o, 'province', line, c, 2);
  if (province !== undefined && !/^\d{2}$/.test(province))
    c.add('TARIFF_HEADER', line, 'province', '省份代码应为2位数字');
  let etcDiscount: [number, number] = [95, 100];
  if (o.etcDiscount !== undefined) {
    const d = o.etcDiscount;
    if (
      !Array.isArray(d) ||
      d.length !== 2 ||
      !d.every((x) => Number.isSafeInteger(x)) ||
      (d[1] as number) <= 0 ||
      (d[0] as number) < 0 ||
      (d[0] as number) > (d[1] as number)
    ) {
      c.add('TARIFF_HEADER', line, 'etcDiscount', 'ETC折扣应为 [分子, 分母] 且 0 ≤ 分子 ≤ 分母');
    } else etcDiscount = [d[0] as number, d[1] as number];
  }
  const label = typeof o.label === 'string' ? o.label : '';
  if (version === undefined || province === undefined) return undefined;
  return { version, province, etcDiscount, label };
}

function parseFees(o: Obj, line: number, c: Collector): number[] | undefined {
  const f = o.fees;
  if (typeof f !== 'object' || f === null || Array.isArray(f)) {
    c.add('TARIFF_FIELD', line, 'fees', '应为按车型代码的对象，如 {"1":556,…}');
    return undefined;
  }
  const fees = new Array<number>(CLASS_COUNT).fill(0);
  let good = true;
  for (const [i, code] of CLASS_CODES.entries()) {
    const v = (f as Obj)[String(code)];
    const field = `fees.${code}`;
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      c.add('TARIFF_FIELD', line, field, '缺少该车型的费额（整数，分）');
      good = false;
    } else if (v < 0) {
      c.add('TARIFF_NEGATIVE_FEE', line, field, `费额为负数：${v}`);
      good = false;
    } else if (v > MAX_INTERVAL_FEE) {
      c.add('TARIFF_FIELD', line, field, `费额${v}超过上限${MAX_INTERVAL_FEE}`);
      good = false;
    } else fees[i] = v;
  }
  for (const key of Object.keys(f as Obj)) {
    if (!CLASS_CODES.includes(Number(key) as never) || String(Number(key)) !== key) {
      c.add('TARIFF_UNKNOWN_CLASS', line, `fees.${key}`, '未知车型代码');
      good = false;
    }
  }
  return good ? fees : undefined;
}

/** Parses and checks every line on its own; cross-line checks (dangling, cycles) are in network.ts. */
export function parseTariffLines(text: string): { file?: TariffFile; errors: TariffError[] } {
  const c = new Collector();
  const stations: StationDef[] = [];
  const nodes: NodeDef[] = [];
  const intervals: IntervalDef[] = [];
  const gantries: GantryDef[] = [];
  let header: TariffHeader | undefined;
  let sawHeader = false;
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = i + 1;
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) continue;
    let o: Obj;
    try {
      const v: unknown = JSON.parse(t);
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
      o = v as Obj;
    } catch {
      c.add('TARIFF_JSON', line, '(line)', '不是有效的 JSON 对象');
      if (!sawHeader) return { errors: c.errors };
      continue;
    }
    if (!sawHeader) {
      sawHeader = true;
      header = parseHeader(o, line, c);
      if (!header) return { errors: c.errors };
      continue;
    }
    switch (o.type) {
      case 'station': {
        const id = str(o, 'id', line, c, 14);
        const hex = str(o, 'hex', line, c, 8);
        const name = typeof o.name === 'string' ? o.name : '';
        if (id !== undefined) {
          const p = parseStationId(id, 'id');
          if (!p.ok) c.add('TARIFF_FIELD', line, 'id', p.error.reason);
          else if (
            p.value.province !== header?.province &&
            hex !== undefined &&
            !hex.startsWith(p.value.province)
          ) {
            // Another province's station is the national table's slice [P]; its HEX starts with its province.
            c.add('TARIFF_FIELD', line, 'hex', `外省收费站HEX应以其省份代码${p.value.province}开头`);
          }
        }
        if (hex !== undefined && !isStationHex(hex))
          c.add('TARIFF_FIELD', line, 'hex', '收费站HEX应为8位十六进制');
        const at = position(o, line, c);
        if (id !== undefined && hex !== undefined)
          stations.push({ id, hex, name, line, ...(at ? { at } : {}) });
        break;
      }
      case 'node': {
        const id = str(o, 'id', line, c, 40);
        const kind = o.kind;
        if (kind !== 'junction' && kind !== 'boundary') {
          c.add('TARIFF_FIELD', line, 'kind', '节点类型应为 junction 或 boundary');
        } else if (id !== undefined) {
          const at = position(o, line, c);
          nodes.push({ id, kind, line, ...(at ? { at } : {}) });
        }
        break;
      }
      case 'interval': {
        const id = str(o, 'id', line, c, 16);
        const from = str(o, 'from', line, c, 40);
        const to = str(o, 'to', line, c, 40);
        const lengthM = int(o, 'lengthM', line, c, 0, MAX_INTERVAL_LENGTH_M);
        const fees = parseFees(o, line, c);
        if (id !== undefined) {
          const p = parseIntervalId(id, 'id');
          if (!p.ok) c.add('TARIFF_FIELD', line, 'id', p.error.reason);
        }
        if (from !== undefined && from === to) c.add('TARIFF_FIELD', line, 'to', '收费单元起点与终点相同');
        if (id && from && to && lengthM !== undefined && fees) {
          intervals.push({ id, from, to, lengthM, fees, line });
        }
        break;
      }
      case 'gantry': {
        const id = str(o, 'id', line, c, 19);
        const hex = str(o, 'hex', line, c, 6);
        const interval = str(o, 'interval', line, c, 16);
        if (id !== undefined) {
          const p = parseGantryId(id, 'id');
          if (!p.ok) c.add('TARIFF_FIELD', line, 'id', p.error.reason);
          else if (interval !== undefined && id.slice(0, 16) !== interval) {
            c.add('TARIFF_FIELD', line, 'interval', '门架编号前16位应等于所属收费单元编号');
          }
        }
        if (hex !== undefined && !isGantryHex(hex))
          c.add('TARIFF_FIELD', line, 'hex', '门架HEX应为6位大写十六进制');
        if (o.border !== undefined && typeof o.border !== 'boolean')
          c.add('TARIFF_FIELD', line, 'border', '省界门架标志应为 true 或 false');
        if (id && hex && interval) {
          gantries.push(
            o.border === true ? { id, hex, interval, border: true, line } : { id, hex, interval, line },
          );
        }
        break;
      }
      default:
        c.add('TARIFF_FIELD', line, 'type', `未知记录类型 ${JSON.stringify(o.type)}`);
    }
  }
  if (!header) {
    c.add('TARIFF_HEADER', 0, 'header', '文件为空或缺少文件头');
    return { errors: c.errors };
  }
  return { file: { header, stations, nodes, intervals, gantries }, errors: c.errors };
}

/** Serialises a tariff back to JSON Lines (the generator and tests use it). */
export function formatTariffFile(f: TariffFile, comment?: string): string {
  const out: string[] = [];
  if (comment) for (const l of comment.split('\n')) out.push(`# ${l}`);
  out.push(
    JSON.stringify({
      type: 'header',
      format: TARIFF_FORMAT,
      formatVersion: TARIFF_FORMAT_VERSION,
      version: f.header.version,
      province: f.header.province,
      etcDiscount: f.header.etcDiscount,
      label: f.header.label,
    }),
  );
  for (const s of f.stations)
    out.push(
      JSON.stringify({ type: 'station', id: s.id, hex: s.hex, name: s.name, ...positionFields(s.at) }),
    );
  for (const n of f.nodes)
    out.push(JSON.stringify({ type: 'node', id: n.id, kind: n.kind, ...positionFields(n.at) }));
  for (const iv of f.intervals) {
    const fees: Record<string, number> = {};
    for (const [i, code] of CLASS_CODES.entries()) fees[String(code)] = iv.fees[i] ?? 0;
    out.push(
      JSON.stringify({ type: 'interval', id: iv.id, from: iv.from, to: iv.to, lengthM: iv.lengthM, fees }),
    );
  }
  for (const g of f.gantries) {
    const border = g.border ? { border: true } : {};
    out.push(JSON.stringify({ type: 'gantry', id: g.id, hex: g.hex, interval: g.interval, ...border }));
  }
  return `${out.join('\n')}\n`;
}
