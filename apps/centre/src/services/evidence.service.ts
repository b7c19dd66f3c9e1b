import { createHash } from 'node:crypto';
import { parseLaneId, parseSectionId } from '@tollpad/domain';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { CentreError } from '../errors';
import type { Peer } from '../http/peer';
import { plateOf } from './passages.service';
import type { TariffService } from './tariff.service';

/** [P] The largest photo kept (a lane or gantry camera's JPEG; a plate crop and a scene fit well under it). */
export const MAX_PHOTO_BYTES = 512 * 1024;

export interface LaneCaptureInput {
  /** 14-char station ID. */
  station: string;
  /** 21-char lane ID. */
  lane: string;
  time: string;
  plate: string;
  colour: number;
  kind: 'entry' | 'exit';
  /** JPEG, base64. */
  photo?: string;
}

export interface GantryPhotoInput {
  passId: string;
  gantry: string;
  time: string;
  /** JPEG, base64. */
  photo: string;
}

export interface StoredPhoto {
  id: string;
  content: Uint8Array;
}

/** Two-digit province code of a station, lane or gantry ID (its road section's). */
export function provinceOf(id: string): string | undefined {
  const s = parseSectionId(id.slice(0, 11));
  return s.ok ? s.value.province : undefined;
}

/** A JPEG starts with SOI (FF D8 FF) and ends with EOI (FF D9): enough to refuse anything else. */
function isJpeg(b: Uint8Array): boolean {
  const n = b.length;
  return n >= 4 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff && b[n - 2] === 0xff && b[n - 1] === 0xd9;
}

/**
 * The evidence a card-less or disputed exit is shown with (#22): lane captures by plate, gantry photos
 * per passage, and the photos themselves, read by the stations of the province they were taken in.
 */
export class EvidenceService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly tariffs: TariffService,
    private readonly now: () => Date,
  ) {}

  /** Decodes, bounds and keeps a JPEG; its id is its SHA-256 (a resend stores nothing new). */
  async keepPhoto(
    base64: string,
    owner: { province: string; source: 'lane' | 'gantry'; stationId: string | null },
    field: string,
  ): Promise<string> {
    const content = Buffer.from(base64, 'base64');
    if (content.length > MAX_PHOTO_BYTES)
      throw new CentreError(
        'CTR_ERR_PHOTO_TOO_LARGE',
        `${field}: ${content.length} 字节 > ${MAX_PHOTO_BYTES}`,
      );
    if (!isJpeg(content)) throw new CentreError('CTR_ERR_PHOTO_NOT_JPEG', field);
    const id = createHash('sha256').update(content).digest('hex');
    await this.db
      .insertInto('photos')
      .values({
        id,
        province: owner.province,
        source: owner.source,
        station_id: owner.stationId,
        bytes: content.length,
        content,
        received_at: this.now().toISOString(),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    return id;
  }

  /**
   * Keeps a lane camera's capture. A station posts its own lanes' captures only; a publisher (the TEST
   * trip and plaza simulators standing in for lanes elsewhere) may post any. Idempotent on lane, time,
   * plate and kind.
   */
  async laneCapture(c: LaneCaptureInput, peer: Peer): Promise<{ id: number; photoId: string | null }> {
    if (!this.tariffs.hasStation(c.station))
      throw new CentreError('CTR_ERR_LANE_CAPTURE_INVALID', `station: ${c.station} 不在路网中`);
    const station = { id: c.station };
    const lane = parseLaneId(c.lane);
    if (!lane.ok || !c.lane.startsWith(station.id))
      throw new CentreError(
        'CTR_ERR_LANE_CAPTURE_INVALID',
        `lane: ${c.lane} 不是收费站 ${station.id} 的车道`,
      );
    if (peer.role === 'station' && peer.stationId !== station.id)
      throw new CentreError('CTR_ERR_LANE_CAPTURE_WRONG_STATION', `${peer.stationId} ≠ ${station.id}`);
    const plate = plateOf(c.plate);
    if (plate === undefined) throw new CentreError('CTR_ERR_REQ_INVALID', `plate: ${c.plate} 不是有效车牌`);
    const time = new Date(c.time);
    if (Number.isNaN(time.getTime())) throw new CentreError('CTR_ERR_REQ_INVALID', 'time');
    const photoId =
      c.photo === undefined
        ? null
        : await this.keepPhoto(
            c.photo,
            {
              province: provinceOf(station.id) ?? '',
              source: 'lane',
              stationId: peer.role === 'station' ? peer.stationId : null,
            },
            'photo',
          );
    const row = {
      station_id: station.id,
      lane_id: c.lane,
      capture_time: time.toISOString(),
      plate,
      plate_colour: c.colour,
      kind: c.kind,
      photo_id: photoId,
      received_at: this.now().toISOString(),
    };
    const inserted = await this.db
      .insertInto('lane_captures')
      .values(row)
      .onConflict((oc) => oc.columns(['lane_id', 'capture_time', 'plate', 'kind']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return { id: inserted.id, photoId };
    const held = await this.db
      .selectFrom('lane_captures')
      .select(['id', 'photo_id'])
      .where('lane_id', '=', row.lane_id)
      .where('capture_time', '=', row.capture_time)
      .where('plate', '=', plate)
      .where('kind', '=', c.kind)
      .executeTakeFirstOrThrow();
    // A resend that brings the photo the first post lacked completes the capture.
    if (held.photo_id === null && photoId !== null)
      await this.db
        .updateTable('lane_captures')
        .set({ photo_id: photoId })
        .where('id', '=', held.id)
        .execute();
    return { id: held.id, photoId: held.photo_id ?? photoId };
  }

  /** Attaches a gantry camera's photo to a passage the centre holds. */
  async gantryPhoto(p: GantryPhotoInput, peer: Peer): Promise<{ photoId: string }> {
    const g = this.tariffs.gantry(p.gantry);
    const time = new Date(p.time);
    if (!g || Number.isNaN(time.getTime()))
      throw new CentreError('CTR_ERR_PASSAGE_NOT_FOUND', `${p.passId} ${p.gantry} ${p.time}`);
    const passage = await this.db
      .selectFrom('gantry_passages')
      .select('pass_id')
      .where('pass_id', '=', p.passId)
      .where('gantry_id', '=', g.id)
      .where('pass_time', '=', time.toISOString())
      .executeTakeFirst();
    if (!passage) throw new CentreError('CTR_ERR_PASSAGE_NOT_FOUND', `${p.passId} ${g.id} ${p.time}`);
    const photoId = await this.keepPhoto(
      p.photo,
      {
        province: provinceOf(g.id) ?? '',
        source: 'gantry',
        stationId: peer.role === 'station' ? peer.stationId : null,
      },
      'photo',
    );
    // The first photo of a passage stands: evidence one caller sent is never replaced by another's.
    await this.db
      .updateTable('gantry_passages')
      .set({ photo_id: photoId })
      .where('pass_id', '=', p.passId)
      .where('gantry_id', '=', g.id)
      .where('pass_time', '=', time.toISOString())
      .where('photo_id', 'is', null)
      .execute();
    const held = await this.db
      .selectFrom('gantry_passages')
      .select('photo_id')
      .where('pass_id', '=', p.passId)
      .where('gantry_id', '=', g.id)
      .where('pass_time', '=', time.toISOString())
      .executeTakeFirst();
    if (held?.photo_id !== photoId)
      throw new CentreError('CTR_ERR_GANTRY_PHOTO_HELD', `${p.passId} ${g.id} ${p.time}`);
    return { photoId };
  }

  /** A photo for a station of the province it was taken in [P]; anyone else is refused. */
  async photo(id: string, peer: Peer): Promise<StoredPhoto> {
    if (peer.role !== 'station') throw new CentreError('CTR_ERR_AUTH_STATION_REQUIRED');
    const row = await this.db
      .selectFrom('photos')
      .select(['id', 'province', 'content'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new CentreError('CTR_ERR_PHOTO_NOT_FOUND', id);
    if (row.province !== provinceOf(peer.stationId))
      throw new CentreError('CTR_ERR_PHOTO_WRONG_PROVINCE', `${peer.stationId}`);
    return { id: row.id, content: row.content };
  }

  /** The plate's lane captures in [from, to], in time order (the (plate, time) index). */
  async capturesOfPlate(
    plate: string,
    from: string,
    to: string,
    colour?: number,
  ): Promise<
    { station: string; lane: string; time: string; kind: string; colour: number; photoId: string | null }[]
  > {
    let q = this.db
      .selectFrom('lane_captures')
      .select(['station_id', 'lane_id', 'capture_time', 'kind', 'plate_colour', 'photo_id'])
      .where('plate', '=', plate)
      .where('capture_time', '>=', from)
      .where('capture_time', '<=', to);
    if (colour !== undefined) q = q.where('plate_colour', '=', colour);
    const rows = await q.orderBy('capture_time').orderBy('id').execute();
    return rows.map((r) => ({
      station: r.station_id,
      lane: r.lane_id,
      time: r.capture_time,
      kind: r.kind,
      colour: r.plate_colour,
      photoId: r.photo_id,
    }));
  }
}
