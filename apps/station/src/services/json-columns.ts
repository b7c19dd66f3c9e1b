/** How many parsed JSON columns are kept (a few per transaction in progress, with room). */
const MAX_ENTRIES = 2048;

const parsed = new Map<string, unknown>();

/**
 * The exit path parses the same JSON columns (read_json, checks_json, fee_json, debit_json) at every
 * step and in every response: the parse of each text is kept and shared, deep-frozen so no caller can
 * change what another one reads (a write attempt throws: ES modules run in strict mode). Keyed by the
 * text itself: a row read back from memory carries the very same string, whose hash V8 keeps.
 */
export function readJsonColumn<T>(text: string): Readonly<T> {
  const hit = parsed.get(text);
  if (hit !== undefined) return hit as T;
  const value = deepFreeze(JSON.parse(text) as unknown);
  if (parsed.size >= MAX_ENTRIES) {
    const oldest = parsed.keys().next().value;
    if (oldest !== undefined) parsed.delete(oldest);
  }
  parsed.set(text, value);
  return value as T;
}

function deepFreeze(v: unknown): unknown {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    for (const e of Object.values(v)) deepFreeze(e);
    Object.freeze(v);
  }
  return v;
}
