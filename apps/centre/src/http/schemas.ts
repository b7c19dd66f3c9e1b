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
export const errorResponses = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
  404: ErrorSchema,
  409: ErrorSchema,
  413: ErrorSchema,
  415: ErrorSchema,
  422: ErrorSchema,
  500: ErrorSchema,
  503: ErrorSchema,
} as const;

export const DaySchema = Type.String({ pattern: '^\\d{8}$', description: 'Beijing day YYYYMMDD' });
export const IsoSchema = Type.String({ description: 'ISO-8601 date-time' });
