import type { Static, TSchema } from 'typebox';
import { Value } from 'typebox/value';

export type { Static, TSchema };

/** Whether a value received over the wire has the contract's shape (a client's check at its boundary). */
export function isWire<T extends TSchema>(schema: T, value: unknown): value is Static<T> {
  return Value.Check(schema, value);
}
