import type { LaneState } from '../api/types';
import { L } from '../i18n';

/** One line for a lane's live state; a lost or unknown link says UNKNOWN (DESIGN §4). */
export function laneStateText(s: LaneState | undefined): string {
  if (!s || s.link === 'UNKNOWN') return L('联动状态：UNKNOWN（链路未知）', 'Link: UNKNOWN');
  const vehicle =
    s.vehiclePresent === null ? '—' : s.vehiclePresent ? L('有车', 'vehicle') : L('无车', 'no vehicle');
  const barrier =
    s.barrier === 'open'
      ? L('栏杆抬起', 'barrier up')
      : s.barrier === 'closed'
        ? L('栏杆落下', 'barrier down')
        : L('栏杆未知', 'barrier ?');
  return `${vehicle} · ${barrier}${s.capturedPlate ? ` · ${s.capturedPlate}` : ''}`;
}
