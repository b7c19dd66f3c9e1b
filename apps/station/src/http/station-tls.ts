import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import {
  caPaths,
  issueServerCert,
  loadOrCreateCa,
  type ServerTlsOptions,
  serverTlsOptions,
} from '@tollpad/server-kit';
import type { StationConfig } from '../config';

/** The station's TLS: its own CA under `<dataDir>/tls` (made on first start) and a server certificate. */
export interface StationTls {
  https: ServerTlsOptions;
  /** The CA certificate file a phone (or a client) is told to trust. */
  caFile: string;
  hosts: string[];
}

/**
 * Loads or makes the station CA and issues a fresh server certificate for `hosts` on every start (the CA is
 * what phones trust, so the leaf may change; its key never leaves memory). [I] the CA name and the host
 * list are configurable (STATION_TLS_CA_NAME, STATION_TLS_HOSTS).
 */
export async function stationTls(config: StationConfig): Promise<StationTls> {
  const dir = join(config.dataDir, 'tls');
  const ca = await loadOrCreateCa(dir, { commonName: config.tlsCaName, organization: 'tollpad' });
  const hosts = config.tlsHosts.length > 0 ? config.tlsHosts : defaultHosts(config.host);
  const identity = await issueServerCert(ca, { hosts });
  return { https: serverTlsOptions({ identity, issuer: ca }), caFile: caPaths(dir).cert, hosts };
}

/** Loopback names, the listen address, and when listening on all interfaces every LAN address and the host name. */
function defaultHosts(listen: string): string[] {
  const hosts = new Set(['localhost', '127.0.0.1', '::1']);
  if (listen === '0.0.0.0' || listen === '::') {
    hosts.add(hostname());
    for (const list of Object.values(networkInterfaces())) {
      for (const a of list ?? []) if (!a.internal) hosts.add(a.address.split('%')[0] ?? a.address);
    }
  } else {
    hosts.add(listen);
  }
  return [...hosts];
}
