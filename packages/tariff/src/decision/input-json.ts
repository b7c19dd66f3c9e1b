import { err, type Fen, isVehicleClass, isVehicleKind, ok, type Result } from '@tollpad/domain';
import type { GantryPass } from '../fit';
import type { ProvincePolicy } from './policy';
import {
  type CardData,
  type CpcFeeBlockFacts,
  type CpcFeeFacts,
  DecisionError,
  type Ef04Status,
  type ExitFeeInput,
  type ObuData,
} from './types';

/**
 * Parses a decision input from JSON (CLI `explain`, HTTP bodies): times are ISO-8601 strings, amounts
 * integer fen. Every problem is a typed INPUT_INVALID error naming the field.
 */
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const bad = (field: string, reason: string) => err(new DecisionError('INPUT_INVALID', field, reason));

function time(v: unknown, field: string): Result<Date, DecisionError> {
  if (typeof v !== 'string') return bad(field, '应为ISO-8601时间字符串');
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? bad(field, `无效时间 ${v}`) : ok(d);
}

function fenOf(v: unknown, field: string): Result<Fen, DecisionError> {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
    ? ok(v as Fen)
    : bad(field, '应为非负整数（分）');
}

const EF04: readonly Ef04Status[] = ['ok', 'bad-prefix', 'no-card-passes', 'entry-invalid', 'no-province'];

export function parseDecisionInput(v: unknown): Result<ExitFeeInput, DecisionError> {
  if (!isObj(v)) return bad('(input)', '应为JSON对象');
  if (!isObj(v.card)) return bad('card', '缺少卡片数据');
  const c = v.card;
  let entry: CardData['entry'] = null;
  if (c.entry !== null && c.entry !== undefined) {
    if (!isObj(c.entry)) return bad('card.entry', '应为对象或 null');
    const t = time(c.entry.time, 'card.entry.time');
    if (!t.ok) return t;
    if (typeof c.entry.station !== 'string') return bad('card.entry.station', '应为收费站编号');
    if (typeof c.entry.vehicleClass !== 'number') return bad('card.entry.vehicleClass', '应为车型代码');
    entry = {
      station: c.entry.station,
      time: t.value,
      vehicleClass: c.entry.vehicleClass,
      ...(typeof c.entry.statusFlag === 'number' ? { statusFlag: c.entry.statusFlag } : {}),
    };
  }
  let card: CardData = { userType: typeof c.userType === 'number' ? c.userType : 0, entry };
  if (c.accumulatedAmount !== undefined) {
    const a = fenOf(c.accumulatedAmount, 'card.accumulatedAmount');
    if (!a.ok) return a;
    card = { ...card, accumulatedAmount: a.value };
  }
  let obu: ObuData | null = null;
  if (v.obu !== null && v.obu !== undefined) {
    if (!isObj(v.obu)) return bad('obu', '应为对象或 null（ETC单卡）');
    const o = v.obu;
    const ef04 = (o.ef04 ?? 'ok') as Ef04Status;
    if (!EF04.includes(ef04)) return bad('obu.ef04', `应为 ${EF04.join('/')}`);
    const total = fenOf(o.totalAmount, 'obu.totalAmount');
    if (!total.ok) return total;
    const disc = fenOf(o.totalDiscountAmount, 'obu.totalDiscountAmount');
    if (!disc.ok) return disc;
    obu = {
      ef04,
      removed: o.removed === true,
      totalAmount: total.value,
      totalDiscountAmount: disc.value,
      provinceCount: typeof o.provinceCount === 'number' ? o.provinceCount : 1,
    };
  }
  if (!isVehicleClass(v.vehicleClass)) return bad('vehicleClass', '无效车型');
  const kind = v.vehicleKind ?? 0;
  if (!isVehicleKind(kind)) return bad('vehicleKind', '无效车种');
  if (typeof v.exitStation !== 'string') return bad('exitStation', '缺少出口站');
  const exitTime = time(v.exitTime, 'exitTime');
  if (!exitTime.ok) return exitTime;
  const gantries: GantryPass[] = [];
  if (v.gantries !== undefined) {
    if (!Array.isArray(v.gantries)) return bad('gantries', '应为数组');
    for (const [i, g] of v.gantries.entries()) {
      const id = isObj(g) ? g.gantry : g;
      if (typeof id !== 'string') return bad(`gantries[${i}]`, '应为门架编号或HEX');
      if (isObj(g) && g.time !== undefined) {
        const t = time(g.time, `gantries[${i}].time`);
        if (!t.ok) return t;
        gantries.push({ gantry: id, time: t.value });
      } else gantries.push({ gantry: id });
    }
  }
  let cpc: CpcFeeFacts | undefined;
  if (v.cpc !== undefined) {
    const c = parseCpc(v.cpc);
    if (!c.ok) return c;
    cpc = c.value;
  }
  if (v.plate !== undefined && typeof v.plate !== 'string') return bad('plate', '应为车牌字符串');
  return ok({
    card,
    obu,
    ...(cpc ? { cpc } : {}),
    ...(typeof v.plate === 'string' ? { plate: v.plate } : {}),
    vehicleClass: v.vehicleClass,
    vehicleKind: kind,
    exitStation: v.exitStation,
    exitTime: exitTime.value,
    gantries,
    ...(typeof v.seats === 'number' ? { seats: v.seats } : {}),
    ...(typeof v.selectedEntryStation === 'string' ? { selectedEntryStation: v.selectedEntryStation } : {}),
  });
}

const NUMBER_FIELDS = ['province', 'gantryCount', 'fee', 'mileageM'] as const;

/** One EF04 block; integer ranges and HEX shapes are left to the decision's input stage. */
function parseCpcBlock(b: unknown, f: string): Result<CpcFeeBlockFacts, DecisionError> {
  if (!isObj(b)) return bad(f, '应为对象');
  for (const k of NUMBER_FIELDS) if (typeof b[k] !== 'number') return bad(`${f}.${k}`, '应为整数');
  for (const k of ['entryGantry', 'latestGantry'] as const) {
    if (typeof b[k] !== 'string') return bad(`${f}.${k}`, '应为6位门架HEX');
  }
  const entryTime = time(b.entryTime, `${f}.entryTime`);
  if (!entryTime.ok) return entryTime;
  const latestTime = time(b.latestTime, `${f}.latestTime`);
  if (!latestTime.ok) return latestTime;
  return ok({
    province: b.province as number,
    gantryCount: b.gantryCount as number,
    fee: b.fee as number,
    mileageM: b.mileageM as number,
    entryGantry: b.entryGantry as string,
    entryTime: entryTime.value,
    latestGantry: b.latestGantry as string,
    latestTime: latestTime.value,
    fitFailed: b.fitFailed === true,
    empty: b.empty === true,
  });
}

/** The CPC facts (times ISO-8601); their ranges are checked by the decision's input stage. */
function parseCpc(v: unknown): Result<CpcFeeFacts, DecisionError> {
  if (!isObj(v)) return bad('cpc', '应为对象');
  if (typeof v.provinceCount !== 'number') return bad('cpc.provinceCount', '应为整数');
  if (!Array.isArray(v.blocks)) return bad('cpc.blocks', '应为数组');
  if (!Array.isArray(v.pathGantries)) return bad('cpc.pathGantries', '应为数组');
  const blocks: CpcFeeBlockFacts[] = [];
  for (const [i, b] of v.blocks.entries()) {
    const r = parseCpcBlock(b, `cpc.blocks[${i}]`);
    if (!r.ok) return r;
    blocks.push(r.value);
  }
  const pathGantries: string[] = [];
  for (const [i, g] of v.pathGantries.entries()) {
    if (typeof g !== 'string') return bad(`cpc.pathGantries[${i}]`, '应为6位门架HEX');
    pathGantries.push(g);
  }
  let entryTime: Date | null = null;
  if (v.entryTime !== null && v.entryTime !== undefined) {
    const t = time(v.entryTime, 'cpc.entryTime');
    if (!t.ok) return t;
    entryTime = t.value;
  }
  return ok({ provinceCount: v.provinceCount, blocks, pathGantries, entryTime });
}

/** A policy override object from JSON; unknown keys are refused so a typo cannot silently do nothing. */
export function parsePolicy(
  v: unknown,
  defaults: ProvincePolicy,
): Result<Partial<ProvincePolicy>, DecisionError> {
  if (!isObj(v)) return bad('policy', '应为JSON对象');
  for (const [k, val] of Object.entries(v)) {
    if (!(k in defaults)) return bad(`policy.${k}`, '未知的策略字段');
    const d = (defaults as unknown as Obj)[k];
    if (typeof d !== typeof val || Array.isArray(d) !== Array.isArray(val))
      return bad(`policy.${k}`, '字段类型不符');
  }
  return ok(v as Partial<ProvincePolicy>);
}
