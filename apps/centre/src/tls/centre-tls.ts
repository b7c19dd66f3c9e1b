import {
  type CertificateAuthority,
  issueClientCert,
  issueServerCert,
  loadOrCreateCa,
  type ServerTlsOptions,
  serverTlsOptions,
  type TlsIdentity,
} from '@tollpad/server-kit';
import { PUBLISHER_CN_PREFIX } from '../http/peer';

/**
 * The centre's own CA (kept in `dir`, made on first start): it issues the centre's server certificate and
 * one client certificate per station (subject CN = the 14-character station ID) or publisher
 * (CN = `publisher:<name>`). The demo's CA and everything it issues are TEST credentials.
 */
export function centreCa(dir: string): Promise<CertificateAuthority> {
  return loadOrCreateCa(dir, { commonName: 'tollpad reference centre CA (TEST)', organization: 'tollpad' });
}

/**
 * HTTPS options: the server certificate for `hosts`, client certificates requested and checked against
 * the centre CA. The handshake lets a client without one through so that the answer is a 401 with a stable
 * code (CTR_ERR_AUTH_CERTIFICATE) rather than a bare TLS alert; only public routes answer it.
 */
export async function centreServerTls(dir: string, hosts: readonly string[]): Promise<ServerTlsOptions> {
  const ca = await centreCa(dir);
  const server = await issueServerCert(ca, { hosts, commonName: 'tollpad reference centre' });
  return {
    ...serverTlsOptions({ identity: server, issuer: ca, clientCa: ca.cert }),
    rejectUnauthorized: false,
  };
}

/** A station's client certificate (CN = its station ID), issued by the centre CA in `dir`. */
export async function issueStationIdentity(dir: string, stationId: string): Promise<TlsIdentity> {
  return issueClientCert(await centreCa(dir), { commonName: stationId, organization: 'tollpad station' });
}

/** A publisher's client certificate (CN = `publisher:<name>`): stations never get one. */
export async function issuePublisherIdentity(dir: string, name: string): Promise<TlsIdentity> {
  return issueClientCert(await centreCa(dir), {
    commonName: `${PUBLISHER_CN_PREFIX}${name}`,
    organization: 'tollpad publisher',
  });
}
