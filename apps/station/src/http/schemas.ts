import { Type } from 'typebox';
import { ERROR_CATALOGUE, type ErrorCode } from '../errors';

/** The body of every error answer (see errors.ts). */
export const ErrorSchema = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.Unsafe<ErrorCode>(Type.String({ enum: Object.keys(ERROR_CATALOGUE) })),
    error: Type.String(),
    message: Type.String(),
    detail: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
  },
  { $id: 'StationError', description: 'Error with a stable code (apps/station/ERRORS.md)' },
);

/** Error answers a route may give; merged into every route's response schema. */
export const errorResponses = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
  404: ErrorSchema,
  409: ErrorSchema,
  413: ErrorSchema,
  415: ErrorSchema,
  422: ErrorSchema,
  423: ErrorSchema,
  429: ErrorSchema,
  500: ErrorSchema,
  503: ErrorSchema,
} as const;

export const Ok = Type.Object({ ok: Type.Literal(true) });
export const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
