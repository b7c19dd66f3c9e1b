import type { Services } from '../../services/services';
import type { Metrics } from '../metrics';
import type { App } from '../types';
import { arrearsRoutes } from './arrears.routes';
import { clearingRoutes } from './clearing.routes';
import { evidenceRoutes } from './evidence.routes';
import { greenInspectionRoutes } from './green-inspections.routes';
import { listRoutes } from './lists.routes';
import { passageRoutes } from './passages.routes';
import { pathRoutes } from './path.routes';
import { psamRoutes } from './psam.routes';
import { psamStateRoutes } from './psam-state.routes';
import { recordRoutes } from './records.routes';
import { systemRoutes } from './system.routes';
import { tariffRoutes } from './tariffs.routes';

export async function registerRoutes(
  app: App,
  s: Services,
  metrics: Metrics,
  metricsToken?: string,
): Promise<void> {
  systemRoutes(app, s, metrics, metricsToken);
  recordRoutes(app, s);
  greenInspectionRoutes(app, s);
  passageRoutes(app, s);
  evidenceRoutes(app, s);
  pathRoutes(app, s);
  tariffRoutes(app, s);
  listRoutes(app, s);
  psamRoutes(app, s);
  psamStateRoutes(app, s);
  clearingRoutes(app, s);
  arrearsRoutes(app, s);
}
