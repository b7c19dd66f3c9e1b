import type { Result } from '@tollpad/domain';

/**
 * Typed failures of the lane linkage: a stable code, where it went wrong and a Chinese reason a
 * collector or monitor can read. Hostile or malformed MQTT traffic always ends up here, never in a throw.
 */
export type LinkageErrorCode =
  | 'TOPIC_INVALID'
  | 'PAYLOAD_TOO_LARGE'
  | 'PAYLOAD_NOT_UTF8'
  | 'PAYLOAD_NOT_JSON'
  | 'PAYLOAD_INVALID'
  | 'PLATE_INVALID'
  | 'AMOUNT_INVALID'
  | 'TRADE_ID_INVALID'
  | 'TRADE_ID_OTHER_LANE'
  | 'LANE_NOT_LINKED'
  | 'LANE_LINK_DOWN'
  | 'NOT_CONNECTED'
  | 'PUBLISH_FAILED'
  | 'RESULT_TIMEOUT'
  | 'CONFIG_INVALID'
  /** The MQTT username names no station or lane identity (anonymous included). */
  | 'MQTT_IDENTITY_INVALID'
  /** The identity may not publish to or subscribe with that topic. */
  | 'MQTT_ACL_DENIED'
  /** The broker refused this client's credentials at CONNECT. */
  | 'MQTT_AUTH_REFUSED';

export class LinkageError extends Error {
  constructor(
    readonly code: LinkageErrorCode,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${code} ${field}: ${reason}`);
    this.name = 'LinkageError';
  }
}

export type LinkageResult<T> = Result<T, LinkageError>;

export function linkFail(
  code: LinkageErrorCode,
  field: string,
  reason: string,
): { ok: false; error: LinkageError } {
  return { ok: false, error: new LinkageError(code, field, reason) };
}
