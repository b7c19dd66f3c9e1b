import type { FastifyError } from 'fastify';

/** An app's error catalogue: stable code → HTTP status and the (Chinese) message a person may read. */
export type ErrorCatalogue<Code extends string = string> = Readonly<
  Record<Code, { readonly status: number; readonly message: string }>
>;

/** Base of an app's one error type: code, status and message come from its catalogue. */
export class CatalogueError<Code extends string> extends Error {
  readonly code: Code;
  readonly statusCode: number;
  /** Machine-readable detail (field, reason); never secrets. */
  readonly detail: string | undefined;

  constructor(catalogue: ErrorCatalogue<Code>, code: Code, detail?: string, options?: { cause?: unknown }) {
    super(catalogue[code].message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.statusCode = catalogue[code].status;
    this.detail = detail;
  }
}

/** The wire shape of every error answer. */
export interface ErrorBody<Code extends string> {
  statusCode: number;
  code: Code;
  error: string;
  message: string;
  detail?: string;
  requestId?: string;
}

export function errorBodyOf<Code extends string>(
  e: CatalogueError<Code>,
  requestId?: string,
): ErrorBody<Code> {
  const body: ErrorBody<Code> = { statusCode: e.statusCode, code: e.code, error: e.name, message: e.message };
  if (e.detail !== undefined) body.detail = e.detail;
  if (requestId !== undefined) body.requestId = requestId;
  return body;
}

/** What a non-catalogue error thrown inside Fastify amounts to; each app maps the kinds to its own codes. */
export type FailureKind =
  | 'validation'
  | 'unavailable'
  | 'too-large'
  | 'too-deep'
  | 'uri-too-long'
  | 'headers-too-large'
  | 'timeout'
  | 'media-type'
  | 'rate-limited'
  | 'client'
  | 'internal';

export function failureKind(error: FastifyError, isUnavailable: (e: unknown) => boolean): FailureKind {
  if (error.validation) return 'validation';
  if (isUnavailable(error)) return 'unavailable';
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'too-large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'media-type';
    case 'KIT_ERR_BODY_TOO_DEEP':
      return 'too-deep';
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return 'uri-too-long';
    case 'HPE_HEADER_OVERFLOW':
      return 'headers-too-large';
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 'timeout';
  }
  const status = error.statusCode ?? 500;
  if (status === 429) return 'rate-limited';
  if (status >= 400 && status < 500) return 'client';
  return 'internal';
}

/** The catalogue code an app answers each kind of failure with (see failureKind). */
export type FailureCodes<Code extends string> = Readonly<Record<FailureKind, Code>>;

/** Kinds whose message says what was wrong with the request: it goes along as the answer's detail. */
const DESCRIBES_REQUEST: ReadonlySet<FailureKind> = new Set(['validation', 'too-deep', 'client']);
/** Kinds that are the server's own trouble: the error is kept as the cause (logged, never sent). */
const SERVER_SIDE: ReadonlySet<FailureKind> = new Set(['unavailable', 'internal']);

/** The app's catalogue error for anything thrown: its own errors pass through, the rest by their kind. */
export function catalogueErrorOf<E extends CatalogueError<string>>(
  error: FastifyError,
  o: {
    own: (e: unknown) => e is E;
    isUnavailable: (e: unknown) => boolean;
    codes: FailureCodes<E['code']>;
    make: (code: E['code'], detail?: string, options?: { cause: unknown }) => E;
  },
): E {
  if (o.own(error)) return error;
  const kind = failureKind(error, o.isUnavailable);
  return o.make(
    o.codes[kind],
    DESCRIBES_REQUEST.has(kind) ? error.message : undefined,
    SERVER_SIDE.has(kind) ? { cause: error } : undefined,
  );
}
