import type { ChargeFigures, ExitFeeDecision } from '@tollpad/tariff';

// The exit transaction's JSON columns: the shapes only the station keeps (checks_json is the wire's
// ExitChecks, read_json is the medium's own, see exit/exit-parts.ts) and their shared parse.

/** fee_json: the decision of 【算费】 and what is charged. */
export interface FeeJson {
  vehicleClass: number;
  vehicleKind: number;
  decision: Omit<ExitFeeDecision, 'trace'> & { trace: { rule: string; text: string }[] };
  /** What is charged now (the decision, or its `ifRefused` figures after a refusal). */
  charge: ChargeFigures;
  specials: number[];
  authReasons: { code: string; text: string }[];
  /** Whether the payment can take the charge (the wire's ExitFee names it so too). */
  etcPayable: boolean;
  notPayableReason: string | null;
  /** The 绿通查验 this fee was priced with (exit/green-channel.ts); its ID goes on the record. */
  greenInspection?: { id: string; passed: boolean };
  /**
   * What else the collector chose at 【算费】 (the entry stated, the seats): an inspection re-prices with the
   * same choice and another kind, never from the class alone (a no-card exit would fall to the farthest route).
   */
  choice?: { entryStation?: string; seats?: number };
}

/** debit_json: what every payment's announcement keeps; each payment adds its own fields. */
export interface DebitBase {
  amount: number;
  /** The payment's datetime, as ISO-8601: the record's exTime. */
  exTime: string;
  passId: string;
  announcedAt: string;
}

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
