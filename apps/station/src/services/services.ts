import type { OpenedDatabase } from '../db/database';
import type { ArrearsLookupService } from './arrears-lookup.service';
import type { ArrearsPaybackService } from './arrears-payback.service';
import type { AuditService } from './audit.service';
import type { AuthService } from './auth.service';
import type { ConfigService } from './config.service';
import type { ExitDesk } from './exit-desk';
import type { GreenInspectionService } from './green-inspection.service';
import type { ImageService } from './image.service';
import type { PathService } from './path.service';
import type { RefundService } from './payments/refund.service';
import type { SettlementService } from './payments/settlement.service';
import type { PsamStateService } from './psam-state.service';
import type { ReceiptsService } from './receipts.service';
import type { RecordsService } from './records.service';
import type { ReferenceService } from './reference.service';
import type { ShiftService } from './shift.service';
import type { ShiftHandoverService } from './shift-handover.service';

/** Every service the HTTP layer may call (immich style: routes → services → repositories). */
export interface Services {
  db: OpenedDatabase;
  auth: AuthService;
  audit: AuditService;
  config: ConfigService;
  /** The centre's authorisation state of the bound PSAMs (系统配置). */
  psamStates: PsamStateService;
  shifts: ShiftService;
  reference: ReferenceService;
  /** The exit transaction of every medium (routes each row to its medium's service). */
  exits: ExitDesk;
  records: RecordsService;
  /** 绿通查验 of an exit's load (issue #22). */
  greenInspections: GreenInspectionService;
  /** Refunds of captured QR payments by a monitor. */
  refunds: RefundService;
  images: ImageService;
  /** Receipts printed and reprinted (payments.md §8). */
  receipts: ReceiptsService;
  /** 交班: cash counted against expected, QR against the platform's settlement (payments.md §9). */
  handover: ShiftHandoverService;
  /** The platform's daily settlement file matched against the station's payments. */
  settlement: SettlementService;
  /** A plate's arrears (追缴): the centre's open entries, or the chase list's hit. */
  arrears: ArrearsLookupService;
  /** 补缴: a payback of a plate's open arrears entries, its own transaction and record. */
  paybacks: ArrearsPaybackService;
  /** 【通行路径】 of an exit: the centre's path with its photos, or the station's own. */
  path: PathService;
  describeSpecial: (code: number) => string;
  now: () => Date;
}
