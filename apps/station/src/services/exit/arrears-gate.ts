import type { ExitChecks } from '@tollpad/station-api';
import type { OpenedDatabase } from '../../db/database';
import type { ExitTxnRow } from '../../db/schema';
import { StationError } from '../../errors';
import type { ArrearsLookupService } from '../arrears-lookup.service';
import { ARREARS_PAYBACK_KIND } from '../arrears-payback.service';
import { readJsonColumn } from '../json-columns';
import { arrearsClaimKey } from './arrears-exit';

/** 118 追缴 (black) and 127 预追缴 (grey): the chase-list hits of an exit's checks (at 【读卡】 or the photo). */
const CHASE_SPECIALS: ReadonlySet<number> = new Set([118, 127]);

export interface ArrearsGateDeps {
  /** ARREARS_PAYBACK_BEFORE_EXIT [P]: whether this province makes the exit wait for the payback. */
  enabled: boolean;
  lookup: Pick<ArrearsLookupService, 'lookup'>;
  /** Who holds an entry's claim (exit_pass_claims) and whether that payback was committed. */
  claims: { passClaimOf(key: string): Promise<string | undefined> };
  exits: { find(id: string): Promise<ExitTxnRow | undefined> };
  /** The station's records: a payback of the vehicle committed here (the centre unreachable). */
  db: OpenedDatabase;
}

/**
 * [P] ARREARS_PAYBACK_BEFORE_EXIT (payments.md §9: whether the exit waits for the payback is province
 * configuration; default false — the collector is told, the exit goes on). When on, an exit whose checks hit the
 * chase list (118/127) is refused at its payment intent (STN_ERR_ARREARS_PAYBACK_FIRST) while the centre still
 * lists an entry no committed payback here holds; the centre unreachable, while no payback of the plate was
 * committed here. A payback itself is never gated.
 */
export function arrearsGate(d: ArrearsGateDeps): (t: ExitTxnRow) => Promise<void> {
  return async (t) => {
    if (!d.enabled || t.medium === 'arrears' || t.plate === null || t.plate_colour === null) return;
    const checks = readJsonColumn<ExitChecks>(t.checks_json);
    const hit = [...checks.specials, ...(checks.imageSpecials ?? [])].some((s) => CHASE_SPECIALS.has(s.code));
    if (!hit) return;
    const owed = await d.lookup.lookup(t.plate, t.plate_colour);
    if (owed.source === 'none') return;
    if (owed.source === 'list') {
      const paid = await d.db.db
        .selectFrom('exit_records')
        .select('trade_id')
        .where('kind', '=', ARREARS_PAYBACK_KIND)
        .where('vehicle_id', '=', owed.vehicleId)
        .executeTakeFirst();
      if (paid) return;
      throw new StationError(
        'STN_ERR_ARREARS_PAYBACK_FIRST',
        `${owed.vehicleId}: list hit, centre unreachable`,
      );
    }
    for (const e of owed.entries) {
      const holder = await d.claims.passClaimOf(arrearsClaimKey(e.id));
      const payback = holder === undefined ? undefined : await d.exits.find(holder);
      if (payback?.state !== 'committed')
        throw new StationError('STN_ERR_ARREARS_PAYBACK_FIRST', `${owed.vehicleId}: ${e.id}`);
    }
  };
}
