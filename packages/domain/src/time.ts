import { fail, ok, type Result } from './result';

/**
 * Beijing time (UTC+8, no daylight saving). Card files store "UNIX time" fields as Beijing wall-clock
 * seconds [I] (card-and-obu.md §1.6: two sources agree; confirm per province), so the offset is a
 * parameter with that default. Records carry ISO-8601 with the +08:00 offset.
 */
export const BEIJING_OFFSET_SECONDS = 8 * 3600;

/** [I] Offset added to true UNIX seconds to get a card-file "UNIX time"; 0 would mean true UTC. */
export const CARD_TIME_OFFSET_SECONDS = BEIJING_OFFSET_SECONDS;

interface Parts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

function beijingParts(date: Date): Parts {
  const t = new Date(date.getTime() + BEIJING_OFFSET_SECONDS * 1000);
  return {
    y: t.getUTCFullYear(),
    mo: t.getUTCMonth() + 1,
    d: t.getUTCDate(),
    h: t.getUTCHours(),
    mi: t.getUTCMinutes(),
    s: t.getUTCSeconds(),
  };
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** 'YYYYMMDDhhmmss' in Beijing time. */
export function beijingCompact(date: Date): string {
  const p = beijingParts(date);
  return `${p.y}${p2(p.mo)}${p2(p.d)}${p2(p.h)}${p2(p.mi)}${p2(p.s)}`;
}

/** 'YYYYMMDDHH' — the batch part of trade IDs. */
export function beijingBatch(date: Date): string {
  return beijingCompact(date).slice(0, 10);
}

/** 'YYYY-MM-DD' of the Beijing calendar day (holiday rules count by Beijing exit time). */
export function beijingDate(date: Date): string {
  const p = beijingParts(date);
  return `${p.y}-${p2(p.mo)}-${p2(p.d)}`;
}

/** ISO-8601 with the +08:00 offset, e.g. 2024-01-17T15:23:08+08:00. */
export function toIsoBeijing(date: Date): string {
  const p = beijingParts(date);
  return `${p.y}-${p2(p.mo)}-${p2(p.d)}T${p2(p.h)}:${p2(p.mi)}:${p2(p.s)}+08:00`;
}

/** Parses 'YYYYMMDDhhmmss' (or 'YYYYMMDDHH' with `batch`) as Beijing time, rejecting impossible dates. */
export function parseBeijingCompact(
  text: string,
  field = 'time',
  kind: 'seconds' | 'batch' = 'seconds',
): Result<Date> {
  const re =
    kind === 'batch' ? /^(\d{4})(\d{2})(\d{2})(\d{2})$/ : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;
  const m = re.exec(text);
  if (!m)
    return fail(
      'TIME_INVALID',
      field,
      `应为${kind === 'batch' ? 'YYYYMMDDHH' : 'YYYYMMDDhhmmss'}，实为“${text}”`,
    );
  const [y, mo, d, h, mi = 0, s = 0] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number?,
    number?,
  ];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - BEIJING_OFFSET_SECONDS * 1000;
  const back = beijingParts(new Date(ms));
  if (back.y !== y || back.mo !== mo || back.d !== d || back.h !== h || back.mi !== mi || back.s !== s) {
    return fail('TIME_INVALID', field, `不存在的日期时间“${text}”`);
  }
  return ok(new Date(ms));
}

/** Card-file seconds (Beijing wall clock by default) for a moment. */
export function toBeijingSeconds(date: Date, offsetSeconds = CARD_TIME_OFFSET_SECONDS): number {
  return Math.floor(date.getTime() / 1000) + offsetSeconds;
}

export function fromBeijingSeconds(seconds: number, offsetSeconds = CARD_TIME_OFFSET_SECONDS): Date {
  return new Date((seconds - offsetSeconds) * 1000);
}
