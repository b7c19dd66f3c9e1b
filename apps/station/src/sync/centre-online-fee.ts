import { type Fen, formatPassId } from '@tollpad/domain';
import type { OnlineFeePort, OnlineFeeRequest, OnlineFeeResponse } from '@tollpad/tariff';

/** The request with the PassID, so the centre can merge the gantry passages it holds for the trip. */
export type OnlineFeeRequestWithPass = OnlineFeeRequest & { readonly passId?: string };

export interface CentreOnlineFeeOptions {
  centreUrl: string;
  token?: string;
  fetch?: typeof fetch;
}

/**
 * 省中心在线计费 over HTTP (`POST /online-fee`, apps/centre/INTERFACES.md). The exit-fee decision bounds the
 * call with its own timeout (policy.onlineTimeoutMs) through `signal`; any failure answers `ok: false`, so
 * the decision falls back to its local rules. Only the province level is served by the reference centre.
 */
export function centreOnlineFee(opts: CentreOnlineFeeOptions): OnlineFeePort {
  const base = opts.centreUrl.replace(/\/$/, '');
  const doFetch = opts.fetch ?? fetch;
  return async (req: OnlineFeeRequestWithPass, signal): Promise<OnlineFeeResponse> => {
    // [I] Without the PassID (older callers) a well-formed placeholder makes the centre fit only the
    // gantries sent here; the station passes the real one when it knows it.
    const passId =
      req.passId ??
      formatPassId({ media: 'card', cardNetwork: '0000', cardNo: '0'.repeat(16), entryTime: req.exitTime });
    try {
      const res = await doFetch(`${base}/online-fee`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        },
        body: JSON.stringify({
          passId,
          entryStation: req.entryStation,
          exitStation: req.exitStation,
          vehicleClass: req.vehicleClass,
          exitTime: req.exitTime.toISOString(),
          gantries: req.gantries.map((g) => ({
            gantry: g.gantry,
            ...(g.time ? { time: g.time.toISOString() } : {}),
          })),
        }),
        signal,
      });
      const body = (await res.json()) as Record<string, unknown>;
      if (res.status !== 200) return { ok: false, reason: `在线计费失败 HTTP ${res.status}` };
      if (body.ok === true && Number.isSafeInteger(body.fee) && Number.isSafeInteger(body.fee95)) {
        return {
          ok: true,
          fee: body.fee as Fen,
          fee95: body.fee95 as Fen,
          mileageM: Number(body.mileageM) || 0,
        };
      }
      const special = body.special;
      return {
        ok: false,
        reason: typeof body.reason === 'string' ? body.reason : '在线计费无结果',
        ...(special === 66 || special === 67 || special === 68 ? { special } : {}),
      };
    } catch (e) {
      return { ok: false, reason: `在线计费不可用：${e instanceof Error ? e.message : String(e)}` };
    }
  };
}
