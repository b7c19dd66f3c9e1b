import type { AnyExitRecord, GreenInspectionUpload } from '@tollpad/domain';
import type { GreenListHit } from '@tollpad/station-api';
import type { GreenInspectionRow } from '../../db/schema';

/** The outbox topic of an inspection (the relay posts it to the centre's `/green-inspections`). */
export const GREEN_INSPECTION_TOPIC = 'green-inspection';

/** Its outbox key: the record's trade ID and this suffix, so it sorts right behind its record in the lane. */
export const GREEN_INSPECTION_KEY_SUFFIX = '-G';

/** The inspection as the centre takes it (@tollpad/domain GreenInspectionUploadSchema). */
export function greenInspectionUpload(r: GreenInspectionRow, record: AnyExitRecord): GreenInspectionUpload {
  const hit = (json: string | null) => (json === null ? null : (JSON.parse(json) as GreenListHit));
  return {
    id: r.id,
    tradeId: record.id,
    passId: record.passId,
    exTollStationId: record.exTollStationId,
    vehicleId: r.vehicle_id,
    result: r.result as GreenInspectionUpload['result'],
    passed: r.passed === 1,
    refusal: r.refusal,
    cargo: JSON.parse(r.cargo_json) as string[],
    photos: JSON.parse(r.photos_json) as string[],
    appointment: hit(r.appointment_json),
    ban: hit(r.ban_json),
    note: r.note,
    operId: record.operId,
    inspectedAt: r.created_at,
  };
}
