import { err, type Fen, isVehicleClass, isVehicleKind, ok, type Result } from '@tollpad/domain';
import type { GantryPass } from '../fit';
import type { ProvincePolicy } from './policy';
import { type CardData, DecisionError, type Ef04Status, type ExitFeeInput, type ObuData } from './types';

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
  return ok({
    card,
    obu,
    vehicleClass: v.vehicleClass,
    vehicleKind: kind,
    exitStation: v.exitStation,
    exitTime: exitTime.value,
    gantries,
    ...(typeof v.seats === 'number' ? { seats: v.seats } : {}),
    ...(typeof v.selectedEntryStation === 'string' ? { selectedEntryStation: v.selectedEntryStation } : {}),
  });
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
