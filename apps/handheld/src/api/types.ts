/**
 * Wire types of the station API as the handheld uses them. The station's route schemas
 * (apps/station/src/http/routes/*.routes.ts) are the contract; these mirror them and are only read
 * through station-client.ts, so a change in the station is fixed in one place.
 */

export type Role = 'collector' | 'monitor' | 'admin';

export interface Account {
  id: string;
  username: string;
  displayName: string;
  role: Role;
}

export interface LoginResult {
  /** Only for bearer clients; the handheld's login puts the token in an HttpOnly cookie instead. */
  token?: string;
  expiresAt: string;
  account: Account;
}

export interface StationInfo {
  stationId: string;
  stationHex: string;
  name: string;
}

export interface Lane {
  id: string;
  plazaId: string;
  hex: string;
  name: string;
  handheldEnabled: boolean;
  updatedAt: string;
}

/** Live state of a linked lane; UNKNOWN when the lane controller's link is lost. */
export type LinkState = 'UP' | 'UNKNOWN';
export type BarrierState = 'open' | 'closed' | 'unknown';

export interface LaneState {
  laneId: string;
  link: LinkState;
  vehiclePresent: boolean | null;
  barrier: BarrierState;
  /** Plate the lane camera captured, if any. */
  capturedPlate: string | null;
  capturedPlateColour: number | null;
}

export interface Shift {
  id: string;
  accountId: string;
  terminalId: string | null;
  openedAt: string;
  closedAt: string | null;
}

export interface ReportGroup {
  code: number;
  name: string;
  vehicles: number;
  amount: number;
}

export interface ShiftReport {
  shift: Shift;
  totals: { vehicles: number; amount: number; authorised: number; cancelled: number };
  byKind: ReportGroup[];
  byExitFeeType: ReportGroup[];
  bySpecial: ReportGroup[];
  cancelled: { txnId: string; cardNo: string; reason: string | null; at: string }[];
  authorisations: {
    txnId: string;
    status: string;
    by: string | null;
    reason: string | null;
    state: string;
  }[];
}

/** One check of the 读卡 result (consistency, validity, status lists…), green or red. */
export interface CardCheck {
  name: string;
  ok: boolean;
  /** Special-situation code when the check failed. */
  special?: number | null;
  message?: string;
  /** What the collector should do next. */
  action?: string;
}

/** What 【读卡】 sends (the station decodes and checks the raw files itself). */
export interface CardReadPayload {
  ef0015: string;
  ef0019: string;
  /** Purse balance as the raw 4-byte value (unsigned). */
  balance: number;
  layout0019?: 'legacy' | '2019';
}

/** The card as the handheld decoded it, for the card panel (never sent as truth). */
export interface CardSummary {
  cardNo: string;
  cardKind: 'stored-value' | 'account' | 'other';
  cardTypeName: string;
  userType: number;
  plate: string;
  plateColour: number;
  vehicleClass: number;
  /** Fen, signed; null when not read (account cards). */
  balance: number | null;
  expiry: string;
  entryStation: string | null;
  entryTime: string | null;
}

/** Station states of the exit transaction resource. */
export type ExitState = 'read' | 'imaged' | 'priced' | 'debit_pending' | 'committed' | 'cancelled';
export type AuthStatus = 'none' | 'required' | 'approved' | 'refused';

export interface Fee {
  /** What will be debited. */
  amount: number;
  fee: number;
  payFee: number;
  discount: number;
  exitFeeType: number;
  specialTypes: number[];
  authReasons: string[];
  etcPayable: boolean;
  notPayableReason: string | null;
}

export interface ExitTxn {
  id: string;
  state: ExitState;
  laneId: string;
  cardNo: string;
  checks: CardCheck[];
  /** No ETC debit possible (expired, locked…): take another payment. */
  blocked: boolean;
  actions: string[];
  suggested: { vehicleClass: number | null; vehicleKind: number | null };
  plate: string | null;
  plateColour: number | null;
  vehicleClass: number | null;
  vehicleKind: number | null;
  fee: Fee | null;
  auth: { status: AuthStatus; by: string | null; reason: string | null };
  tradeId: string | null;
}

/** The announcement just before DEBIT (the station allocates the trade ID). */
export interface DebitIntent {
  cardId: string;
  cardAtc: number;
  amount: number;
  psamTerminalNo: string;
  /** The PSAM's transaction serial for this purchase (8 hex): the station accepts only a proof carrying it. */
  terminalTransNo: string;
  /** YYYYMMDDhhmmss (Beijing) sent to the card: the TAC covers it, so it is the record's exTime. */
  datetime: string;
}

/** The station's commit input: the card's proof of the debit. */
export interface CommitInput {
  tradeId: string;
  tac: string;
  psamTerminalNo: string;
  terminalTransNo: string;
  cardTransNo: number;
  preBalance: number;
  postBalance: number;
  /** 1 = 3DES, 2 = SM4. */
  algorithm: 1 | 2;
}

export interface DebitResult {
  tac: string;
  amount: number;
  balanceAfter: number;
  tradeId: string | null;
  /** true when the outcome came from GET TRANSACTION PROVE after a tear or reload. */
  recovered: boolean;
}

export interface ExitRecordSummary {
  tradeId: string;
  laneId: string;
  cardNo: string;
  vehicleId: string;
  exTime: string;
  fee: number;
  payFee: number;
  vehicleClass: number;
  vehicleKind: number;
  specialTypes: string;
}

export interface PendingAuthorisation {
  txnId: string;
  laneId: string;
  cardNo: string;
  plate: string | null;
  amount: number | null;
  specialTypes: number[];
  reasons: string[];
}

/** The body of every station error answer. */
export interface StationErrorBody {
  statusCode: number;
  code: string;
  error: string;
  message: string;
  detail?: string;
  requestId?: string;
}
