/**
 * The names the screens import. Wire types are the station's contract (@tollpad/station-api); the views are
 * the screens' shapes of them (views.ts); the card's own summary lives with the card (card/card-summary.ts).
 */
export type {
  AuthStatus,
  CardRead as CardReadPayload,
  Commit as CommitInput,
  DebitIntent,
  ExitState,
  Lane,
  LoginResult,
  ReportGroup,
  Role,
  SessionAccount as Account,
  Shift,
  ShiftReport,
  StationErrorBody,
  StationInfo,
} from '@tollpad/station-api';
export type { CardSummary, DebitResult } from '../card/card-summary';
export type {
  BarrierState,
  CardCheck,
  ExitRecordSummary,
  ExitTxn,
  Fee,
  LaneState,
  LinkState,
  PendingAuthorisation,
  TraceLine,
} from './views';
