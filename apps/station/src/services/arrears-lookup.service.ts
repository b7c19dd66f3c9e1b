import { describeSpecial, formatVehicleId, type PlateColour, SPECIAL, validatePlate } from '@tollpad/domain';
import type { ArrearsLookup, ListHit } from '@tollpad/station-api';
import { StationError } from '../errors';
import type { ArrearsPort, CentreArrears } from '../ports/centre-arrears';
import type { StatusLists } from '../ports/status-lists';

/** [P] How long a centre answer is reused (a plate looked up at 【读卡】 and again at the photo). */
export const ARREARS_CACHE_MS = 30_000;
/** [P] How long the collector waits for the centre before the list's hit alone is shown. */
export const ARREARS_TIMEOUT_MS = 2_000;
/** Bound on cached plates (a plaza's worth of recent vehicles). */
const CACHE_MAX = 2_000;

/** The special of a chase-list hit: type 2 is 预追缴 (grey, 127); anything else 追缴 (black, 118). */
export function arrearsSpecial(hit: Pick<ListHit, 'type'>): number {
  return hit.type === 2 ? SPECIAL.VEHICLE_ON_GREY_CHASE_LIST : SPECIAL.VEHICLE_ON_CHASE_LIST;
}

/**
 * A plate's arrears for the exit's checks (payments.md §9; issue #22 item 4): the centre's open entries with
 * the amounts and why, cached briefly; the centre unreachable (or not configured), the chase list's hit
 * alone with a Chinese note. The centre's book is the authority for amounts, the list for "is it owed".
 */
export class ArrearsLookupService {
  private readonly cache = new Map<string, { at: number; value: CentreArrears }>();

  constructor(
    private readonly lists: () => StatusLists,
    private readonly port: ArrearsPort | undefined,
    private readonly now: () => Date,
    private readonly opts: { cacheMs?: number; timeoutMs?: number } = {},
  ) {}

  async lookup(plate: string, colour: number): Promise<ArrearsLookup> {
    const v = validatePlate(plate, colour);
    if (!v.ok) throw new StationError('STN_ERR_EXIT_PLATE_INVALID', `${v.error.field}: ${v.error.reason}`);
    const vehicleId = formatVehicleId(v.value.plate, v.value.colour as PlateColour);
    const listHit = this.lists().lookup('vehicle', vehicleId);
    const centre = await this.fromCentre(v.value.plate, v.value.colour, vehicleId);
    if (centre.ok) {
      const { entries, total } = centre.value;
      const codes = new Set<number>();
      for (const e of entries)
        codes.add(e.isPreBlack ? SPECIAL.VEHICLE_ON_GREY_CHASE_LIST : SPECIAL.VEHICLE_ON_CHASE_LIST);
      return {
        vehicleId,
        source: 'centre',
        entries,
        total,
        listHit,
        specials: [...codes]
          .sort((a, b) => a - b)
          .map((code) => ({ code, description: describeSpecial(code) })),
        note:
          entries.length === 0 && listHit
            ? '名单显示追缴，但中心已无欠费记录（可能刚补缴，名单尚未更新）'
            : null,
      };
    }
    if (!listHit)
      return { vehicleId, source: 'none', entries: [], total: 0, listHit: null, specials: [], note: null };
    const code = arrearsSpecial(listHit);
    return {
      vehicleId,
      source: 'list',
      entries: [],
      total: 0,
      listHit,
      specials: [{ code, description: describeSpecial(code) }],
      note: '中心暂时无法连接：仅依据追缴名单提示，欠费金额未知，请联系稽核核实后再补缴',
    };
  }

  private async fromCentre(
    plate: string,
    colour: number,
    vehicleId: string,
  ): Promise<{ ok: true; value: CentreArrears } | { ok: false; reason: string }> {
    if (!this.port) return { ok: false, reason: 'CENTRE_URL not set' };
    const nowMs = this.now().getTime();
    const hit = this.cache.get(vehicleId);
    if (hit && nowMs - hit.at < (this.opts.cacheMs ?? ARREARS_CACHE_MS))
      return { ok: true, value: hit.value };
    const r = await this.port(plate, colour, AbortSignal.timeout(this.opts.timeoutMs ?? ARREARS_TIMEOUT_MS));
    if (r.ok) {
      if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(vehicleId, { at: nowMs, value: r.value });
    }
    return r;
  }

  /** A payback changed the book: the next lookup asks the centre again. */
  forget(vehicleId: string): void {
    this.cache.delete(vehicleId);
  }
}
