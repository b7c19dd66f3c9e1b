import type { OpenedDatabase } from '../db/database';
import type { RejectionsRepository } from '../repositories/rejections.repository';
import type { ArrearsService } from './arrears.service';
import type { ClearingService } from './clearing.service';
import type { EvidenceService } from './evidence.service';
import type { GreenInspectionsService } from './green-inspections.service';
import type { ListsService } from './lists.service';
import type { PassagesService } from './passages.service';
import type { PathService } from './path.service';
import type { PsamService } from './psam.service';
import type { PsamStateService } from './psam-state.service';
import type { RecordsService } from './records.service';
import type { TariffService } from './tariff.service';

/** Everything the HTTP layer calls, wired once in centre.ts. */
export interface Services {
  db: OpenedDatabase;
  now: () => Date;
  rejections: RejectionsRepository;
  tariffs: TariffService;
  records: RecordsService;
  /** 绿通查验 uploaded beside their records (#22). */
  greenInspections: GreenInspectionsService;
  passages: PassagesService;
  evidence: EvidenceService;
  path: PathService;
  lists: ListsService;
  psam: PsamService;
  psamState: PsamStateService;
  clearing: ClearingService;
  arrears: ArrearsService;
}
