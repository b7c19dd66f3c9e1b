import { formatVehicleId, greenCargoItem, type PlateColour, VEHICLE_KIND } from '@tollpad/domain';
import { timeOrderedId } from '@tollpad/server-kit';
import type {
  GreenChannelView,
  GreenInspection,
  GreenInspectionRequest,
  GreenListHit,
  GreenResult,
} from '@tollpad/station-api';
import type { ExitTxnRow, GreenInspectionRow } from '../db/schema';
import { StationError } from '../errors';
import type { GreenInspectionsRepository } from '../repositories/green-inspections.repository';
import type { Principal } from './auth.service';
import { requireState } from './exit/states';
import type { ExitDesk } from './exit-desk';
import type { ImageService } from './image.service';
import { type FeeJson, readJsonColumn } from './json-columns';
import type { ReferenceService } from './reference.service';

export interface GreenInspectionSettings {
  /** Photos of the load from several sides (GREEN_MIN_PHOTOS, [P] 3). */
  minPhotos: number;
  /** A mixed load (混装) passes in this province ([P] no). */
  mixedAllowed: boolean;
}

/** Before the payment is announced: the inspection may come before 【算费】 or re-price after it. */
const INSPECTABLE = ['imaged', 'priced'] as const;

/**
 * 绿通查验 (issue #22; cpc-card.md §8): the collector inspects the load of their own exit, with photos from several
 * sides and the cargo from the national catalogue; the appointment and ban come from the centre's lists as synced.
 * Every inspection is kept; the latest is the one in force. A priced exit is re-priced at once (a pass as kind 21,
 * free; otherwise the normal kind with special 126), so the fee the driver is told always follows the inspection.
 */
export class GreenInspectionService {
  constructor(
    private readonly d: {
      desk: ExitDesk;
      repo: GreenInspectionsRepository;
      images: ImageService;
      reference: ReferenceService;
      settings: GreenInspectionSettings;
      now: () => Date;
    },
  ) {}

  /** The plate's appointment and ban, what the station asks for, and the exit's latest inspection. */
  async view(p: Principal, id: string): Promise<GreenChannelView> {
    const t = await this.d.desk.read(p, id);
    const latest = await this.d.repo.latestOf(t.id);
    return {
      status: this.d.reference.snapshot.lists.green(vehicleIdOf(t)),
      minPhotos: this.d.settings.minPhotos,
      mixedAllowed: this.d.settings.mixedAllowed,
      inspection: latest ? inspectionView(latest) : null,
    };
  }

  async inspect(
    p: Principal,
    id: string,
    body: GreenInspectionRequest,
  ): Promise<{ inspection: GreenInspection; txn: ExitTxnRow }> {
    const t = await this.d.desk.read(p, id);
    requireState(t, INSPECTABLE);
    const unknown = body.cargo.find((c) => greenCargoItem(c) === undefined);
    if (unknown !== undefined) throw new StationError('STN_ERR_GREEN_CARGO_UNKNOWN', unknown);
    const { minPhotos, mixedAllowed } = this.d.settings;
    if (body.photos.length < minPhotos)
      throw new StationError('STN_ERR_GREEN_PHOTOS_TOO_FEW', `${body.photos.length} < ${minPhotos}`, {
        fill: String(minPhotos),
      });
    for (const sha of body.photos) await this.d.images.require(sha);
    const status = this.d.reference.snapshot.lists.green(vehicleIdOf(t));
    const { passed, refusal } = effectOf(body.result, status.ban, mixedAllowed);
    const row: GreenInspectionRow = {
      id: timeOrderedId(),
      txn_id: t.id,
      collector_id: p.accountId,
      vehicle_id: status.vehicleId,
      result: body.result,
      passed: passed ? 1 : 0,
      refusal,
      cargo_json: JSON.stringify(body.cargo),
      photos_json: JSON.stringify(body.photos),
      appointment_json: status.appointment ? JSON.stringify(status.appointment) : null,
      ban_json: status.ban ? JSON.stringify(status.ban) : null,
      note: body.note ?? null,
      created_at: this.d.now().toISOString(),
    };
    await this.d.repo.insert(row);
    return { inspection: inspectionView(row), txn: await this.reprice(p, t, passed) };
  }

  /** A priced exit is priced again with the inspection: kind 21 for a pass, the kind before (never 21) otherwise. */
  private async reprice(p: Principal, t: ExitTxnRow, passed: boolean): Promise<ExitTxnRow> {
    if (t.state !== 'priced' || t.fee_json === null) return t;
    const fee = readJsonColumn<FeeJson>(t.fee_json);
    const kind = passed
      ? VEHICLE_KIND.GREEN_CHANNEL
      : fee.vehicleKind === VEHICLE_KIND.GREEN_CHANNEL
        ? VEHICLE_KIND.ORDINARY
        : fee.vehicleKind;
    try {
      // The collector's choice as it was (the entry stated, the seats), only the kind changed.
      return await this.d.desk.fee(p, t.id, {
        ...fee.choice,
        vehicleClass: fee.vehicleClass,
        vehicleKind: kind,
      });
    } catch (e) {
      // The fee cannot be asked again from the class and kind alone (it needed the entry the driver stated…):
      // the old fee must not stand against the inspection, so it is voided by the photo step run again as it
      // was, and the collector prices the exit anew (【算费】 asks for what it needs).
      if (t.plate === null || t.photo_sha256 === null) throw e;
      return this.d.desk.image(p, t.id, {
        plate: t.plate,
        plateColour: t.plate_colour ?? 0,
        photoSha256: t.photo_sha256,
      });
    }
  }
}

/** The inspection's effect: a ban never passes; a mixed load passes only where the province allows it. */
function effectOf(
  result: GreenResult,
  ban: GreenListHit | null,
  mixedAllowed: boolean,
): { passed: boolean; refusal: string | null } {
  const judgedPass = result === 'pass' || (result === 'mixed' && mixedAllowed);
  if (judgedPass && ban)
    return { passed: false, refusal: `该车在绿通禁止名单（${ban.reason}），不能免费通行，按普通车收费` };
  if (result === 'mixed' && !mixedAllowed)
    return { passed: false, refusal: '混装（目录内外货物混装）按不合格处理，按普通车收费' };
  return { passed: judgedPass, refusal: null };
}

function vehicleIdOf(t: ExitTxnRow): string {
  // The plate the collector confirmed from the photo (state imaged or later); before it, the medium's number.
  return t.plate !== null ? formatVehicleId(t.plate, (t.plate_colour ?? 0) as PlateColour) : t.card_no;
}

export function inspectionView(r: GreenInspectionRow): GreenInspection {
  return {
    id: r.id,
    txnId: r.txn_id,
    vehicleId: r.vehicle_id,
    cargo: JSON.parse(r.cargo_json) as string[],
    result: r.result as GreenResult,
    passed: r.passed === 1,
    refusal: r.refusal,
    photos: JSON.parse(r.photos_json) as string[],
    appointment: r.appointment_json ? (JSON.parse(r.appointment_json) as GreenListHit) : null,
    ban: r.ban_json ? (JSON.parse(r.ban_json) as GreenListHit) : null,
    note: r.note,
    collectorId: r.collector_id,
    createdAt: r.created_at,
  };
}
