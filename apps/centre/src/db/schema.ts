import type { Generated } from 'kysely';

/**
 * The centre's tables. Times are ISO-8601 UTC text (sortable on both engines); money is integer fen;
 * booleans are 0/1 integers. `exit_day` is the Beijing day YYYYMMDD of the trade ID's batch, so it is a
 * pure function of the primary key (PostgreSQL partitions by it without losing trade-ID uniqueness).
 */
export interface ExitRecordsTable {
  exit_day: string;
  trade_id: string;
  pass_id: string;
  card_id: string;
  /** Card network (issuer) number, 4 digits: the clearing view groups by it. */
  card_net: string;
  ex_station_id: string;
  ex_time: string;
  trans_fee: number;
  fee: number;
  pay_fee: number;
  exit_fee_type: number;
  /** The record's mediaType (1 OBU/ETC card, 2 CPC). */
  media_type: Generated<number>;
  /** The national payType of a payment other than an ETC card trade (1 现金 …); null for an ETC card trade. */
  pay_type: number | null;
  /** 'verified' | 'quarantined' (issuer keys not held here: kept, listed, not cleared). */
  tac_status: string;
  digest: string;
  record_json: string;
  received_at: string;
}

export interface RejectedRecordsTable {
  id: Generated<number>;
  /** 'record' | 'gantry' | 'list' | 'tariff'. */
  kind: string;
  code: string;
  /** Trade ID, list kind+version, tariff version…: whatever identifies the refused input. */
  ref: string | null;
  digest: string;
  detail: string;
  body: string;
  attempts: number;
  first_at: string;
  last_at: string;
}

export interface GantryPassagesTable {
  pass_id: string;
  gantry_id: string;
  gantry_hex: string;
  pass_time: string;
  vehicle_class: number | null;
  received_at: string;
  /** The plate the gantry saw (e.g. 鲁A12345), when it reported one. */
  plate: string | null;
  /** The gantry camera's photo of this passage (photos.id), when one was sent. */
  photo_id: string | null;
}

/** A JPEG kept as evidence (lane or gantry camera); the id is its SHA-256, so a resend stores nothing new. */
export interface PhotosTable {
  id: string;
  /** Province code (2 digits) of the lane or gantry that took it: the stations that may read it. */
  province: string;
  /** 'lane' | 'gantry'. */
  source: string;
  /** The station that sent it, when a station did. */
  station_id: string | null;
  bytes: number;
  content: Uint8Array;
  received_at: string;
}

/** A lane camera's capture of a plate at an entry or exit lane. */
export interface LaneCapturesTable {
  id: Generated<number>;
  station_id: string;
  lane_id: string;
  capture_time: string;
  plate: string;
  plate_colour: number;
  /** 'entry' | 'exit'. */
  kind: string;
  photo_id: string | null;
  received_at: string;
}

export interface TariffVersionsTable {
  version: string;
  activate_at: string;
  published_at: string;
  label: string;
  sha256: string;
  content: string;
  /** The publisher's signature envelope (JSON, @tollpad/tariff/publication). */
  signature: string | null;
}

export interface ListVersionsTable {
  list_kind: string;
  version: string;
  /** 'full' | 'delta'. */
  type: string;
  base_version: string | null;
  entry_count: number;
  added: number;
  removed: number;
  /** 'upstream' (posted to the centre) | 'local' (cut here from submitted changes) | 'seed'. */
  source: string;
  payload: Uint8Array;
  created_at: string;
  /** The publisher's signature envelope of `payload` (JSON, @tollpad/tariff/publication). */
  signature: string | null;
}

export interface ListPendingTable {
  id: Generated<number>;
  list_kind: string;
  entry_key: string;
  status_type: number;
  issuer: string;
  /** 'add' | 'remove'. */
  action: string;
  submitted_at: string;
}

export interface PsamAuthLogTable {
  id: Generated<number>;
  terminal_no: string;
  psam_no: string;
  lane_id: string;
  /** The station the authorisation was for; null for rows logged before it was recorded. */
  station_id: string | null;
  challenge: string;
  result: string;
  at: string;
}

/**
 * One row per ETC card trade a stored record carries (what its TAC covers: card, PSAM terminal number, the
 * PSAM's serial, the purchase time): one card debit clears once, whichever trade ID names it.
 */
export interface CardTradesTable {
  card_id: string;
  /** PSAM terminal number, upper-case hex. */
  terminal_no: string;
  /** The PSAM's transaction serial, upper-case hex. */
  terminal_trans_no: string;
  /** The record's exTime, ISO-8601 UTC. */
  ex_time: string;
  /** The record that holds the trade. */
  trade_id: string;
}

export interface ArrearsEntriesTable {
  id: string;
  /** plate_colour. */
  vehicle_id: string;
  pass_id: string;
  real_en_station_id: string;
  real_ex_station_id: string;
  escape_type: string;
  reason: string;
  owe_fee: number;
  evasion_count: number;
  /** 1: 预追缴 (grey, 127); 0: 追缴 (black, 118). */
  is_pre_black: number;
  /** 'open' | 'cleared'. */
  status: string;
  creation_time: string;
  /** The payback that cleared it. */
  cleared_by: string | null;
  cleared_at: string | null;
}

export interface ArrearsPaybacksTable {
  trade_id: string;
  station_id: string;
  vehicle_id: string;
  payback_fee: number;
  pay_type: number;
  digest: string;
  record_json: string;
  received_at: string;
}

/** 绿通查验 uploaded beside their records (2026121203_green_inspections). */
export interface GreenInspectionsTable {
  id: string;
  trade_id: string;
  station_id: string;
  vehicle_id: string;
  result: string;
  passed: number;
  digest: string;
  payload: string;
  received_at: string;
}

export interface Database {
  exit_records: ExitRecordsTable;
  green_inspections: GreenInspectionsTable;
  card_trades: CardTradesTable;
  rejected_records: RejectedRecordsTable;
  gantry_passages: GantryPassagesTable;
  photos: PhotosTable;
  lane_captures: LaneCapturesTable;
  tariff_versions: TariffVersionsTable;
  list_versions: ListVersionsTable;
  list_pending: ListPendingTable;
  psam_auth_log: PsamAuthLogTable;
  arrears_entries: ArrearsEntriesTable;
  arrears_paybacks: ArrearsPaybacksTable;
}
