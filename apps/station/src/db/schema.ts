import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/**
 * Table types for Kysely. Portable choices so SQLite and PostgreSQL share one query layer:
 * timestamps are ISO-8601 UTC text (sorts correctly), booleans are 0/1 integers, JSON is text,
 * money is integer fen.
 */
export interface AccountsTable {
  id: string;
  username: string;
  display_name: string;
  role: string;
  password_hash: string;
  disabled: number;
  /** 1 for seeded demo/test accounts, so they are easy to find and remove. */
  demo: number;
  created_at: string;
}

/** Login back-off per (username, client address); see services/login-throttle.ts. */
export interface LoginBackoffTable {
  username: string;
  source: string;
  failures: number;
  last_attempt_at: string;
  blocked_until: string | null;
}

export interface SessionsTable {
  token_hash: string;
  account_id: string;
  terminal_id: string | null;
  created_at: string;
  expires_at: string;
  revoked: number;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

/** An audit entry committed with its change, not yet chained (id in recording order; see audit.service.ts). */
export interface AuditPendingTable {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string;
  detail: string;
}

/** Which pending entry became which chained one: the only pending entries that may leave audit_pending. */
export interface AuditChainedTable {
  pending_id: string;
  seq: number;
}

/** One row: the head of the audit hash chain; the appender's update of it serialises appends. */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface PlazasTable {
  id: string;
  station_id: string;
  name: string;
  created_at: string;
}

export interface LanesTable {
  id: string;
  plaza_id: string;
  hex: string;
  name: string;
  handheld_enabled: number;
  updated_at: string;
  /** Who last enabled or disabled the lane for handheld linkage (an account ID, or 'seed'). */
  enabled_by: string | null;
}

export interface TerminalsTable {
  id: string;
  psam_terminal_no: string;
  description: string;
  enabled: number;
  updated_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface ShiftsTable {
  id: string;
  account_id: string;
  terminal_id: string | null;
  opened_at: string;
  closed_at: string | null;
}

export interface ExitTxnsTable {
  id: string;
  state: string;
  lane_id: string;
  terminal_id: string;
  shift_id: string;
  collector_id: string;
  /** What the vehicle carried: `etc` or `cpc` (the exit service's parts for this row); 'etc' by default. */
  medium: Generated<string>;
  card_no: string;
  read_json: string;
  checks_json: string;
  plate: string | null;
  plate_colour: number | null;
  photo_sha256: string | null;
  vehicle_class: number | null;
  vehicle_kind: number | null;
  fee_json: string | null;
  amount: number | null;
  auth_status: string;
  auth_by: string | null;
  auth_reason: string | null;
  auth_at: string | null;
  trade_id: string | null;
  debit_json: string | null;
  cancel_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface ExitRecordsTable {
  trade_id: string;
  txn_id: string | null;
  kind: string;
  supersedes: string | null;
  pass_id: string;
  lane_id: string;
  terminal_id: string;
  shift_id: string;
  collector_id: string;
  /** The transaction's medium (`etc`, `cpc`): the shift report counts the CPCs collected by it. */
  medium: Generated<string>;
  card_no: string;
  vehicle_id: string;
  ex_time: string;
  /** Codes wrapped as `|14|51|` so a LIKE '%|14|%' finds one code on both engines. */
  special_types: string;
  exit_fee_type: number;
  vehicle_class: number;
  vehicle_kind: number;
  fee: number;
  pay_fee: number;
  auth_by: string | null;
  /** sha256 of the commit input: a replay with different data is a conflict, not a new record. */
  commit_digest: string;
  record_json: string;
  created_at: string;
}

/** Where a row stands with the centre: acked and rejected rows are the upload history. */
export type OutboxStatus = 'pending' | 'acked' | 'rejected';

export interface OutboxTable {
  id: string;
  topic: string;
  idempotency_key: string;
  payload: string;
  created_at: string;
  attempts: number;
  next_attempt_at: string;
  acked_at: string | null;
  /** The engine fills in 'pending'. */
  status: ColumnType<OutboxStatus, OutboxStatus | undefined, OutboxStatus>;
  last_error: string | null;
  reject_code: string | null;
  rejected_at: string | null;
}

/**
 * One payment per trip for a medium whose card the payment does not write (a CPC): the PassID a payment
 * intent announced, claimed until the intent is undone (recovery "not paid"). A second intent for the same
 * trip meets the primary key, on both engines, however the two race.
 */
export interface ExitPassClaimsTable {
  pass_id: string;
  txn_id: string;
  created_at: string;
}

/**
 * The payment outbox (DESIGN.md §7, issue #21): one row per attempt of a platform payment (QR), holding the
 * attempt's record as @tollpad/payment's runner persists it — written before the first request and before
 * every request after it, so a restarted station resumes every attempt not final. `recorded_trade_id` is the
 * exit record it was committed with (one record per captured payment).
 */
export interface PaymentsTable {
  out_trade_no: string;
  pay_id: string;
  txn_id: string;
  trade_id: string;
  attempt: number;
  phase: string;
  amount: number;
  /** AttemptRecord as JSON. */
  record_json: string;
  version: number;
  recorded_trade_id: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * A refund of a captured QR payment asked for by a monitor (refunds-migration.ts): persisted with its platform
 * refund number `<outTradeNo>R<seq>` before the request; `state` requested | unknown | refunded | refused.
 */
export interface RefundsTable {
  refund_no: string;
  request_id: string;
  pay_id: string;
  out_trade_no: string;
  txn_id: string;
  seq: number;
  amount: number;
  reason: string;
  actor: string;
  state: string;
  refusal: string | null;
  refunded_at: string | null;
  tries: number;
  created_at: string;
  updated_at: string;
}

/** Each print of an exit's receipt (payments.md §8): a reprint is 重打 (scrap type 1). Append-only. */
export interface ReceiptPrintsTable {
  id: string;
  trade_id: string;
  /** The record's shift: the hand-over of that shift counts it. */
  shift_id: string;
  kind: string;
  actor: string;
  at: string;
}

/** The hand-over of a shift (交班, payments.md §9): the cash counted and who handed over; one per shift. */
export interface ShiftHandoversTable {
  shift_id: string;
  cash_counted: number;
  closed_by: string;
  remark: string | null;
  at: string;
}

export interface TradeSerialsTable {
  lane_id: string;
  batch: string;
  next_serial: number;
}

export interface ImagesTable {
  sha256: string;
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  thumb_sha256: string | null;
  created_at: string;
}

/** 绿通查验 (green-inspections-migration.ts). `passed` 0/1; JSON columns hold cargo codes, photo SHA-256s, list hits. */
export interface GreenInspectionsTable {
  id: string;
  txn_id: string;
  collector_id: string;
  vehicle_id: string;
  result: string;
  passed: number;
  refusal: string | null;
  cargo_json: string;
  photos_json: string;
  appointment_json: string | null;
  ban_json: string | null;
  note: string | null;
  created_at: string;
}

export interface Database {
  accounts: AccountsTable;
  sessions: SessionsTable;
  login_backoff: LoginBackoffTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  audit_pending: AuditPendingTable;
  audit_chained: AuditChainedTable;
  plazas: PlazasTable;
  lanes: LanesTable;
  terminals: TerminalsTable;
  settings: SettingsTable;
  shifts: ShiftsTable;
  exit_txns: ExitTxnsTable;
  exit_records: ExitRecordsTable;
  outbox: OutboxTable;
  trade_serials: TradeSerialsTable;
  exit_pass_claims: ExitPassClaimsTable;
  payments: PaymentsTable;
  refunds: RefundsTable;
  receipt_prints: ReceiptPrintsTable;
  shift_handovers: ShiftHandoversTable;
  images: ImagesTable;
  green_inspections: GreenInspectionsTable;
}

export type AccountRow = Selectable<AccountsTable>;
export type ExitTxnRow = Selectable<ExitTxnsTable>;
export type PaymentRow = Selectable<PaymentsTable>;
export type RefundRow = Selectable<RefundsTable>;
export type NewExitTxn = Insertable<ExitTxnsTable>;
export type ExitRecordRow = Selectable<ExitRecordsTable>;
export type GreenInspectionRow = Selectable<GreenInspectionsTable>;
export type LaneRow = Selectable<LanesTable>;
export type ShiftRow = Selectable<ShiftsTable>;
