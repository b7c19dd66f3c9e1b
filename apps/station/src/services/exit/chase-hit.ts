import { formatVehicleId, type PlateColour } from '@tollpad/domain';
import type { StatusLists } from '../../ports/status-lists';
import { arrearsSpecial } from '../arrears-lookup.service';
import type { ConfirmedPlate } from './exit-parts';

/**
 * The photo step's arrears hit (追缴): the plate the collector confirmed, looked up on the chase list
 * (`vehicle-chase`) — 118 for 追缴, 127 for 预追缴. The amounts come from GET /arrears (the handheld's banner).
 */
export function chaseSpecials(lists: StatusLists, actual: ConfirmedPlate): number[] {
  const hit = lists.lookup('vehicle', formatVehicleId(actual.plate, actual.colour as PlateColour));
  return hit ? [arrearsSpecial(hit)] : [];
}
