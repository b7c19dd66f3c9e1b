import type { Services } from '../../services/services';
import type { AppOptions } from '../app';
import type { Metrics } from '../metrics';
import type { App } from '../types';
import { accountRoutes } from './accounts.routes';
import { systemRoutes } from './system.routes';

export async function registerRoutes(
  app: App,
  s: Services,
  metrics: Metrics,
  _opts: AppOptions,
): Promise<void> {
  systemRoutes(app, s, metrics);
  accountRoutes(app, s);
}
