import { errorResponsesOf } from '@tollpad/server-kit';
import { Type } from 'typebox';
import { ERROR_CATALOGUE, type ErrorCode } from '../errors';

/** The body of every error answer (see errors.ts and INTERFACES.md). */
export const ErrorSchema = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.Unsafe<ErrorCode>(Type.String({ enum: Object.keys(ERROR_CATALOGUE) })),
    error: Type.String(),
    message: Type.String(),
    detail: Type.Optional(Type.String()),
    rejectionId: Type.Optional(
      Type.Integer({ description: 'rejected_records row keeping the refused input' }),
    ),
    requestId: Type.Optional(Type.String()),
  },
  { description: 'Error with a stable code (apps/centre/INTERFACES.md)' },
);

/** Error answers a route may give; merged into every route's response schema. */
export const errorResponses = errorResponsesOf(
  ErrorSchema,
  [400, 401, 403, 404, 408, 409, 413, 414, 415, 422, 431, 500, 503],
);

export const DaySchema = Type.String({ pattern: '^\\d{8}$', description: 'Beijing day YYYYMMDD' });
export const IsoSchema = Type.String({ description: 'ISO-8601 date-time' });

/** The publisher's stored signature envelope (JSON) as the value of the signature header. */
export function signatureHeader(json: string): string {
  return Buffer.from(json).toString('base64url');
}
