import type { Services } from '../../services/services';
import type { AppOptions } from '../app';
import type { Metrics } from '../metrics';
import type { App } from '../types';
import { accountRoutes } from './accounts.routes';
import { arrearsRoutes } from './arrears.routes';
import { arrearsPaybackRoutes } from './arrears-paybacks.routes';
import { configRoutes } from './config.routes';
import { exitRoutes } from './exits.routes';
import { greenInspectionRoutes } from './green-inspection.routes';
import { handoverRoutes } from './handover.routes';
import { imageRoutes } from './images.routes';
import { pathRoutes } from './path.routes';
import { receiptRoutes } from './receipts.routes';
import { recordRoutes } from './records.routes';
import { refundRoutes } from './refunds.routes';
import { settlementRoutes } from './settlement.routes';
import { shiftRecordRoutes } from './shift-records.routes';
import { shiftRoutes } from './shifts.routes';
import { systemRoutes } from './system.routes';

export async function registerRoutes(
  app: App,
  s: Services,
  metrics: Metrics,
  opts: AppOptions,
): Promise<void> {
  systemRoutes(app, s, metrics, opts.metricsToken);
  accountRoutes(app, s, opts.https !== undefined);
  configRoutes(app, s);
  shiftRoutes(app, s);
  imageRoutes(app, s, opts);
  exitRoutes(app, s);
  greenInspectionRoutes(app, s);
  recordRoutes(app, s);
  receiptRoutes(app, s);
  handoverRoutes(app, s);
  shiftRecordRoutes(app, s);
  settlementRoutes(app, s);
  refundRoutes(app, s.refunds);
  arrearsRoutes(app, s);
  arrearsPaybackRoutes(app, s);
  pathRoutes(app, s);
}
