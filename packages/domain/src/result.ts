/**
 * Typed failures for every parser in the domain package: a stable code, the field that was wrong
 * and the reason, so callers can show it or map it to their own error catalogue.
 */
export type DomainErrorCode =
  | 'MONEY_INVALID'
  | 'PLATE_INVALID'
  | 'PLATE_COLOUR_INVALID'
  | 'VEHICLE_ID_INVALID'
  | 'ID_INVALID'
  | 'TIME_INVALID'
  | 'SPECIAL_INVALID'
  | 'RECORD_INVALID';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'DomainError';
  }
}

export type Result<T, E = DomainError> = { ok: true; value: T } | { ok: false; error: E };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function err<E = DomainError>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}

export function fail(
  code: DomainErrorCode,
  field: string,
  reason: string,
): { ok: false; error: DomainError } {
  return err(new DomainError(code, field, reason));
}

/** For callers that have already validated: turns a failed Result into a thrown DomainError. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}
