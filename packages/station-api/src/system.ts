import { type Static, Type } from 'typebox';

export const HealthSchema = Type.Object({
  status: Type.Literal('ok'),
  db: Type.String(),
  time: Type.String(),
});
export type Health = Static<typeof HealthSchema>;
