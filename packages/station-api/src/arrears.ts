import { ArrearsEntrySchema } from '@tollpad/domain';
import { type Static, Type } from 'typebox';
import { Nullable } from './common';
import { ListHitSchema, SpecialNoteSchema } from './exits';

/** `GET /arrears/:plate?colour=`: the plate as the collector confirmed it (or as the medium names it). */
export const ArrearsLookupParams = Type.Object({ plate: Type.String({ minLength: 2, maxLength: 16 }) });
export const ArrearsLookupQuery = Type.Object({ colour: Type.Integer({ minimum: 0, maximum: 99 }) });

/**
 * What the collector is shown of a plate's arrears (追缴, payments.md §9): the open entries with the amounts
 * and why, from the centre (`source: 'centre'`), or — the centre unreachable — the chase list's hit alone
 * (`source: 'list'`, no amounts, `note` says so in Chinese); `none`: neither knows the plate.
 */
export const ArrearsLookupSchema = Type.Object({
  vehicleId: Type.String(),
  source: Type.Union([Type.Literal('centre'), Type.Literal('list'), Type.Literal('none')]),
  entries: Type.Array(ArrearsEntrySchema),
  /** Σ oweFee of the entries, fen. */
  total: Type.Integer(),
  listHit: Nullable(ListHitSchema),
  /** 118 (追缴, black) or 127 (预追缴, grey) when the plate is owed for; empty otherwise. */
  specials: Type.Array(SpecialNoteSchema),
  note: Nullable(Type.String()),
});
export type ArrearsLookup = Static<typeof ArrearsLookupSchema>;
