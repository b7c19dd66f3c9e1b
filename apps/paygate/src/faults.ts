import { type Static, Type } from 'typebox';

/** The operations a fault can be aimed at (a route's `op`). */
export const OpSchema = Type.Union([
  Type.Literal('micropay'),
  Type.Literal('precreate'),
  Type.Literal('driver-pay'),
  Type.Literal('query'),
  Type.Literal('reverse'),
  Type.Literal('refund'),
  Type.Literal('settlement'),
]);
export type Op = Static<typeof OpSchema>;

/**
 * A fault on demand (payments.md §10). Outcome faults decide how a payment ends; transport faults decide what
 * happens to the HTTP exchange:
 * - `password`: USERPAYING, then after `polls` queries `outcome` (paid or abandon → CLOSED);
 * - `insufficient`, `code-expired`, `code-foreign`: the payment is declined with that reason;
 * - `delay`: the answer leaves `delayMs` late (the effect is already committed);
 * - `lost-after-capture`: the platform commits, then drops the connection without an answer;
 * - `lost-before-capture`: the connection drops before anything is committed;
 * - `outage-503`: PGW_ERR_SERVICE_DOWN, nothing committed; `outage-reset`: the connection is reset instead;
 * - `duplicate-out-trade-no`: PGW_ERR_OUT_TRADE_NO_USED as if another terminal had used the number;
 * - `system-error-before-capture` / `system-error-after-capture`: 500 PGW_ERR_INTERNAL (WeChat SYSTEMERROR, SC 14)
 *   with nothing committed / after the platform committed: either way the caller must query.
 */
export const FaultKindSchema = Type.Union([
  Type.Literal('password'),
  Type.Literal('insufficient'),
  Type.Literal('code-expired'),
  Type.Literal('code-foreign'),
  Type.Literal('delay'),
  Type.Literal('lost-after-capture'),
  Type.Literal('lost-before-capture'),
  Type.Literal('outage-503'),
  Type.Literal('outage-reset'),
  Type.Literal('duplicate-out-trade-no'),
  Type.Literal('system-error-before-capture'),
  Type.Literal('system-error-after-capture'),
]);
export type FaultKind = Static<typeof FaultKindSchema>;

export const FaultInputSchema = Type.Object(
  {
    kind: FaultKindSchema,
    /** Exactly one of the two: a payment code (its payments only) or a merchant (all its requests). */
    authCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    merchantId: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    /** password: queries before the outcome (default 2). */
    polls: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
    /** password: how it ends after the polls (default paid). */
    outcome: Type.Optional(Type.Union([Type.Literal('paid'), Type.Literal('abandon')])),
    /** delay: milliseconds (default 2000). */
    delayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 120_000 })),
    /** Transport faults: the operations hit (default all; a code's faults hit its micropay/driver-pay only). */
    ops: Type.Optional(Type.Array(OpSchema, { minItems: 1, maxItems: 7 })),
    /** How many times the fault fires; absent = until cleared. */
    times: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);
export type FaultInput = Static<typeof FaultInputSchema>;

export const FaultSchema = Type.Intersect([
  FaultInputSchema,
  Type.Object({ id: Type.Integer(), fired: Type.Integer() }),
]);
export type Fault = FaultInput & { id: number; fired: number };

const OUTCOME_KINDS: ReadonlySet<FaultKind> = new Set([
  'password',
  'insufficient',
  'code-expired',
  'code-foreign',
]);
const PAYMENT_OPS: ReadonlySet<Op> = new Set(['micropay', 'driver-pay']);

export type OutcomeFault = Fault & { kind: 'password' | 'insufficient' | 'code-expired' | 'code-foreign' };

/** The faults set through the test control API; a code's own fault wins over its merchant's. */
export class FaultBoard {
  private faults: Fault[] = [];
  private nextId = 1;

  add(input: FaultInput): Fault {
    if ((input.authCode === undefined) === (input.merchantId === undefined)) {
      throw new RangeError('a fault names exactly one of authCode or merchantId');
    }
    const fault: Fault = { ...input, id: this.nextId++, fired: 0 };
    this.faults.push(fault);
    return fault;
  }

  list(): readonly Fault[] {
    return this.faults;
  }

  remove(id: number): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => f.id !== id);
    return this.faults.length < before;
  }

  clear(): void {
    this.faults = [];
  }

  /** The outcome fault for a payment (consumed once), code first. */
  outcomeFor(merchantId: string, authCode: string | undefined): OutcomeFault | undefined {
    const match = (f: Fault) =>
      OUTCOME_KINDS.has(f.kind) &&
      (f.authCode !== undefined ? f.authCode === authCode : f.merchantId === merchantId);
    const found =
      this.faults.find((f) => match(f) && f.authCode !== undefined) ??
      this.faults.find((f) => match(f) && f.merchantId !== undefined);
    if (!found) return undefined;
    this.fire(found);
    return found as OutcomeFault;
  }

  /** The transport faults hitting this request (each consumed once). */
  transportFor(merchantId: string | undefined, authCode: string | undefined, op: Op): Fault[] {
    const hits = this.faults.filter((f) => {
      if (OUTCOME_KINDS.has(f.kind)) return false;
      if (f.ops && !f.ops.includes(op)) return false;
      if (f.authCode !== undefined) return PAYMENT_OPS.has(op) && f.authCode === authCode;
      return f.merchantId === merchantId;
    });
    for (const f of hits) this.fire(f);
    return hits;
  }

  private fire(f: Fault): void {
    f.fired++;
    if (f.times !== undefined && f.fired >= f.times) this.remove(f.id);
  }
}
