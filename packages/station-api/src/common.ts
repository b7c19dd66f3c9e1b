import { type TSchema, Type } from 'typebox';

/** Building blocks the areas share. */

export const Ok = Type.Object({ ok: Type.Literal(true) });

export const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** `bytes` bytes as hex digits (either case). */
export const Hex = (bytes: number) => Type.String({ pattern: `^[0-9A-Fa-f]{${bytes * 2}}$` });

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** A JSON object passed through as is, typed `T` for readers (serialised whole: no property is dropped). */
export const OpenObject = <T extends object = Record<string, unknown>>() =>
  Type.Unsafe<T>(Type.Object({}, { additionalProperties: true }));
