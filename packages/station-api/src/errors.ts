import { type Static, Type } from 'typebox';

/**
 * Every code the station answers with (`STN_ERR_<AREA>_<THING>`). The codes are part of the contract: clients
 * key on them. The station's catalogue (apps/station/src/errors.ts) gives each its HTTP status and Chinese
 * message and must name exactly these codes (the compiler checks both ways); apps/station/ERRORS.md documents
 * them. A new code is added here and there.
 */
export const STATION_ERROR_CODES = [
  'STN_ERR_REQ_INVALID',
  'STN_ERR_REQ_NOT_FOUND',
  'STN_ERR_REQ_TOO_LARGE',
  'STN_ERR_REQ_MEDIA_TYPE',
  'STN_ERR_REQ_TOO_DEEP',
  'STN_ERR_REQ_URI_TOO_LONG',
  'STN_ERR_REQ_HEADERS_TOO_LARGE',
  'STN_ERR_REQ_TIMEOUT',
  'STN_ERR_RATE_LIMITED',
  'STN_ERR_AUTH_REQUIRED',
  'STN_ERR_AUTH_SESSION_EXPIRED',
  'STN_ERR_AUTH_BAD_CREDENTIALS',
  'STN_ERR_AUTH_FORBIDDEN',
  'STN_ERR_AUTH_CSRF',
  'STN_ERR_ACCOUNT_EXISTS',
  'STN_ERR_ACCOUNT_NOT_FOUND',
  'STN_ERR_ACCOUNT_WEAK_PASSWORD',
  'STN_ERR_ACCOUNT_LAST_ADMIN',
  'STN_ERR_ACCOUNT_SELF',
  'STN_ERR_CONFIG_INVALID_ID',
  'STN_ERR_CONFIG_PLAZA_NOT_FOUND',
  'STN_ERR_CONFIG_LANE_NOT_FOUND',
  'STN_ERR_CONFIG_LANE_DISABLED',
  'STN_ERR_CONFIG_TERMINAL_NOT_FOUND',
  'STN_ERR_CONFIG_TERMINAL_MISMATCH',
  'STN_ERR_CONFIG_REFERENCE_INVALID',
  'STN_ERR_CONFIG_LAST_LANE',
  'STN_ERR_CONFIG_PSAM_BOUND',
  'STN_ERR_CONFIG_PSAM_UNBOUND',
  'STN_ERR_SHIFT_NOT_OPEN',
  'STN_ERR_SHIFT_ALREADY_OPEN',
  'STN_ERR_SHIFT_NOT_FOUND',
  'STN_ERR_EXIT_NOT_FOUND',
  'STN_ERR_EXIT_BAD_STATE',
  'STN_ERR_EXIT_CANCELLED',
  'STN_ERR_EXIT_CARD_UNREADABLE',
  'STN_ERR_EXIT_NOT_ETC_PAYABLE',
  'STN_ERR_EXIT_AUTH_PENDING',
  'STN_ERR_EXIT_AUTH_REFUSED',
  'STN_ERR_EXIT_AMOUNT_MISMATCH',
  'STN_ERR_EXIT_CLOCK_SKEW',
  'STN_ERR_EXIT_COMMIT_CONFLICT',
  'STN_ERR_EXIT_PLATE_INVALID',
  'STN_ERR_EXIT_ENTRY_REQUIRED',
  'STN_ERR_EXIT_ENTRY_UNKNOWN',
  'STN_ERR_EXIT_TARIFF_MISSING',
  'STN_ERR_EXIT_PROOF_MISMATCH',
  'STN_ERR_EXIT_NOT_YOURS',
  'STN_ERR_EXIT_PSAM_MISMATCH',
  'STN_ERR_EXIT_CPC_UNREADABLE',
  'STN_ERR_EXIT_MEDIUM_MISMATCH',
  'STN_ERR_EXIT_PASS_PAID',
  'STN_ERR_EXIT_CPC_ALREADY_EXITED',
  'STN_ERR_EXIT_NOCARD_REPEAT',
  'STN_ERR_EXIT_NOCARD_INVALID',
  'STN_ERR_PAY_CASH_SHORT',
  'STN_ERR_PAY_CODE_INVALID',
  'STN_ERR_PAY_IN_FLIGHT',
  'STN_ERR_PAY_ALREADY_PAID',
  'STN_ERR_PAY_NOT_SUCCEEDED',
  'STN_ERR_PAY_NOT_FOUND',
  'STN_ERR_PAY_UNAVAILABLE',
  'STN_ERR_REFUND_NOT_FOUND',
  'STN_ERR_REFUND_FOREIGN',
  'STN_ERR_REFUND_CASH',
  'STN_ERR_REFUND_NOT_QR',
  'STN_ERR_REFUND_NOT_CAPTURED',
  'STN_ERR_REFUND_NOT_RECORDED',
  'STN_ERR_REFUND_REASON',
  'STN_ERR_REFUND_EXCEEDS',
  'STN_ERR_REFUND_WINDOW_CLOSED',
  'STN_ERR_REFUND_TOO_MANY',
  'STN_ERR_REFUND_REQUEST_REUSED',
  'STN_ERR_PAY_ETC_CARD_BALANCE_LOW',
  'STN_ERR_PAY_ETC_CARD_REFUSED',
  'STN_ERR_SETTLE_DATE_INVALID',
  'STN_ERR_SETTLE_NOT_READY',
  'STN_ERR_SETTLE_UNREACHABLE',
  'STN_ERR_HANDOVER_ALREADY_DONE',
  'STN_ERR_IMAGE_TOO_LARGE',
  'STN_ERR_IMAGE_TYPE',
  'STN_ERR_IMAGE_CORRUPT',
  'STN_ERR_IMAGE_DIMENSIONS',
  'STN_ERR_IMAGE_INTERLACED',
  'STN_ERR_IMAGE_BUSY',
  'STN_ERR_IMAGE_NOT_FOUND',
  'STN_ERR_RECORD_NOT_FOUND',
  'STN_ERR_GREEN_CARGO_UNKNOWN',
  'STN_ERR_GREEN_PHOTOS_TOO_FEW',
  'STN_ERR_GREEN_NOT_INSPECTED',
  'STN_ERR_GREEN_BANNED',
  'STN_ERR_DB_UNAVAILABLE',
  'STN_ERR_INTERNAL',
] as const;

export type StationErrorCode = (typeof STATION_ERROR_CODES)[number];

const CODES: ReadonlySet<string> = new Set(STATION_ERROR_CODES);

export function isStationErrorCode(code: string): code is StationErrorCode {
  return CODES.has(code);
}

/** The body of every error answer. */
export const ErrorSchema = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.Enum(STATION_ERROR_CODES),
    error: Type.String(),
    message: Type.String({ description: 'Chinese, for the collector: what happened and what to do next' }),
    detail: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
  },
  { $id: 'StationError', description: 'Error with a stable code (apps/station/ERRORS.md)' },
);
export type StationErrorBody = Static<typeof ErrorSchema>;

/** The HTTP statuses an error answer may carry; every route's response schema lists them. */
export const ERROR_STATUSES = [
  400, 401, 403, 404, 408, 409, 413, 414, 415, 422, 423, 429, 431, 500, 503,
] as const;
