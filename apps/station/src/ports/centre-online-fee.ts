import type { Fen } from '@tollpad/domain';
import type { OnlineFeePort, OnlineFeeResponse } from '@tollpad/tariff';

/**
 * Online fee through the provincial centre (apps/centre `POST /online-fee`, over mutual TLS with the station's certificate). The tariff
 * decision bounds every call by its policy timeout (1 s by default) and aborts the signal; any failure
 * answers `ok: false`, so the decision falls back to the minimum fee with the online-fee-failed special.
 * The centre fits the path from the passages it holds for the PassID, so the port is made per PassID.
 */
export type OnlineFeeSource = (ctx: { passId: string }) => OnlineFeePort;

export function centreOnlineFee(
  baseUrl: string,
  apiToken?: string,
  /** The mutual-TLS `fetch` of sync/centre-tls.ts. */
  doFetch: typeof fetch = fetch,
): OnlineFeeSource {
  const url = `${baseUrl.replace(/\/$/, '')}/online-fee`;
  return ({ passId }) =>
    async (req, signal): Promise<OnlineFeeResponse> => {
      try {
        const res = await doFetch(url, {
          method: 'POST',
          signal,
          headers: {
            'content-type': 'application/json',
            ...(apiToken ? { authorization: `Bearer ${apiToken}` } : {}),
          },
          body: JSON.stringify({
            passId,
            // Absent for a no-card exit's fee by plate: the centre infers the entry and answers it.
            ...(req.entryStation !== undefined ? { entryStation: req.entryStation } : {}),
            exitStation: req.exitStation,
            vehicleClass: req.vehicleClass,
            exitTime: req.exitTime.toISOString(),
            // A CPC's online fee is by the actual plate: with no gantries the centre fits its passages.
            ...(req.plate !== undefined ? { plate: req.plate } : {}),
            gantries: req.gantries.map((g) =>
              g.time ? { gantry: g.gantry, time: g.time.toISOString() } : { gantry: g.gantry },
            ),
          }),
        });
        if (!res.ok) return { ok: false, reason: `centre HTTP ${res.status}` };
        const b = (await res.json()) as
          | { ok: true; fee: number; fee95: number; mileageM: number; entryStation?: unknown }
          | { ok: false; special?: 66 | 67 | 68; reason: string };
        if (b.ok) {
          // The entry the centre used: inferred from the plate when the request named none (kept on the record).
          const entry =
            typeof b.entryStation === 'string' && /^[0-9A-Za-z]{8,32}$/.test(b.entryStation)
              ? { entryStation: b.entryStation }
              : {};
          return { ok: true, fee: b.fee as Fen, fee95: b.fee95 as Fen, mileageM: b.mileageM, ...entry };
        }
        return b.special !== undefined
          ? { ok: false, special: b.special, reason: b.reason }
          : { ok: false, reason: b.reason };
      } catch (e) {
        return { ok: false, reason: e instanceof Error ? e.message : 'centre unreachable' };
      }
    };
}

/** A fixed port for every PassID (tests, or a local fitting port from @tollpad/tariff). */
export function fixedOnlineFee(port: OnlineFeePort): OnlineFeeSource {
  return () => port;
}
