import { ArrearsEntrySchema } from '@tollpad/domain';
import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';

/** The centre's answer to `GET /arrears/:plate?colour=` (apps/centre INTERFACES.md). */
const CentreAnswer = Type.Object({
  vehicleId: Type.String(),
  entries: Type.Array(ArrearsEntrySchema),
  total: Type.Integer(),
});
export type CentreArrears = Static<typeof CentreAnswer>;

/** A plate's open arrears at the centre, or why there is no usable answer. Never throws. */
export type ArrearsPort = (
  plate: string,
  colour: number,
  signal: AbortSignal,
) => Promise<{ ok: true; value: CentreArrears } | { ok: false; reason: string }>;

/** The centre over mutual TLS (the `fetch` of sync/centre-tls.ts): this station's certificate says who asks. */
export function centreArrears(
  baseUrl: string,
  apiToken?: string,
  doFetch: typeof fetch = fetch,
): ArrearsPort {
  const base = baseUrl.replace(/\/$/, '');
  return async (plate, colour, signal) => {
    try {
      const res = await doFetch(`${base}/arrears/${encodeURIComponent(plate)}?colour=${colour}`, {
        signal,
        headers: apiToken ? { authorization: `Bearer ${apiToken}` } : {},
      });
      const body: unknown = await res.json().catch(() => null);
      if (!res.ok) {
        const code = (body as { code?: unknown } | null)?.code;
        return {
          ok: false,
          reason: `centre HTTP ${res.status}${typeof code === 'string' ? ` ${code}` : ''}`,
        };
      }
      if (!Value.Check(CentreAnswer, body)) return { ok: false, reason: 'centre answer malformed' };
      return { ok: true, value: body };
    } catch (e) {
      return { ok: false, reason: e instanceof Error ? e.message : 'centre unreachable' };
    }
  };
}
