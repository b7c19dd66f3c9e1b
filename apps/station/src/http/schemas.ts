import { errorResponsesOf } from '@tollpad/server-kit';
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
export const errorResponses = errorResponsesOf(
  ErrorSchema,
  [400, 401, 403, 404, 408, 409, 413, 414, 415, 422, 423, 429, 431, 500, 503],
);

export const Ok = Type.Object({ ok: Type.Literal(true) });
export const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
