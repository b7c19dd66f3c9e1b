import {
  issueServerCert,
  loadOrCreateCa,
  type ServerTlsOptions,
  serverTlsOptions,
} from '@tollpad/server-kit';
import type { FastifyServerOptions } from 'fastify';
import { Clock } from './clock';
import type { PaygateConfig } from './config';
import { FaultBoard } from './faults';
import { buildApp } from './http/app';
import type { Platform } from './services/context';
import { ReplayGuard } from './signing/replay-guard';
import { Store } from './store';

/** The paygate's own TEST CA (in `dir`, made on first start): a client trusts the platform by it. */
export function paygateCa(dir: string) {
  return loadOrCreateCa(dir, { commonName: 'tollpad paygate CA (TEST)', organization: 'tollpad' });
}

async function paygateTls(dir: string, hosts: readonly string[]): Promise<ServerTlsOptions> {
  const ca = await paygateCa(dir);
  const identity = await issueServerCert(ca, { hosts, commonName: 'tollpad paygate (TEST)' });
  return serverTlsOptions({ identity, issuer: ca });
}

export interface PaygateOptions {
  config: PaygateConfig;
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
}

/** The platform: its state (memory, or the data file), its faults and clock, and the HTTPS app. */
export async function createPaygate(opts: PaygateOptions) {
  const { config } = opts;
  const replay = new ReplayGuard(config.signatureSkewSeconds);
  const platform: Platform = {
    config,
    clock: opts.clock ?? new Clock(),
    faults: new FaultBoard(),
    store: new Store(config.dataFile, replay),
  };
  const https = config.plainHttp ? undefined : await paygateTls(config.tlsDir, config.tlsHosts);
  const { app, routeTable } = await buildApp(platform, replay, {
    logger: opts.logger ?? { level: config.logLevel },
    ...(https ? { https } : {}),
  });
  return {
    app,
    routeTable,
    platform,
    async close() {
      await app.close();
    },
  };
}

export type Paygate = Awaited<ReturnType<typeof createPaygate>>;
