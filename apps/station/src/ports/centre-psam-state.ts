import type { PsamCentreState } from '@tollpad/station-api';
import { type Static, type TSchema, Type } from 'typebox';
import { Value } from 'typebox/value';

const orNull = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** The centre's answer to `GET /psam/:terminalNo/authorisation` (apps/centre INTERFACES.md). */
const CentreAnswer = Type.Object({
  terminalNo: Type.String(),
  state: Type.Union([Type.Literal('authorised'), Type.Literal('revoked'), Type.Literal('never')]),
  psamNo: orNull(Type.String()),
  laneId: orNull(Type.String()),
  at: orNull(Type.String()),
});

/** What the centre says of one PSAM, or why it said nothing usable. */
export type PsamCentreAnswer =
  | Omit<Static<typeof CentreAnswer>, 'terminalNo'>
  | { state: Exclude<PsamCentreState, 'authorised' | 'revoked' | 'never'>; reason: string };

/** One PSAM's authorisation state at the centre; the caller bounds it with `signal`. Never throws. */
export type PsamStatePort = (terminalNo: string, signal: AbortSignal) => Promise<PsamCentreAnswer>;

/** The centre's code for a PSAM whose last authorisation was for another station. */
const WRONG_STATION = 'CTR_ERR_PSAM_WRONG_STATION';

/** The centre over mutual TLS (the `fetch` of sync/centre-tls.ts): this station's certificate says who asks. */
export function centrePsamState(
  baseUrl: string,
  apiToken?: string,
  doFetch: typeof fetch = fetch,
): PsamStatePort {
  const base = baseUrl.replace(/\/$/, '');
  return async (terminalNo, signal) => {
    try {
      const res = await doFetch(`${base}/psam/${encodeURIComponent(terminalNo)}/authorisation`, {
        signal,
        headers: apiToken ? { authorization: `Bearer ${apiToken}` } : {},
      });
      const body: unknown = await res.json().catch(() => null);
      if (res.status === 403 && (body as { code?: unknown } | null)?.code === WRONG_STATION)
        return { state: 'other-station', reason: WRONG_STATION };
      if (!res.ok) {
        const code = (body as { code?: unknown } | null)?.code;
        return {
          state: 'unreachable',
          reason: `centre HTTP ${res.status}${typeof code === 'string' ? ` ${code}` : ''}`,
        };
      }
      if (!Value.Check(CentreAnswer, body))
        return { state: 'unreachable', reason: 'centre answer malformed' };
      return { state: body.state, psamNo: body.psamNo, laneId: body.laneId, at: body.at };
    } catch (e) {
      return { state: 'unreachable', reason: e instanceof Error ? e.message : 'centre unreachable' };
    }
  };
}
