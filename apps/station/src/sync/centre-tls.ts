import { readFileSync } from 'node:fs';
import { clientTlsOptions } from '@tollpad/server-kit';
import { publisherVerifyingKeys, type SchemeKey } from '@tollpad/tariff/publication';
import { Agent, fetch as undiciFetch } from 'undici';

/**
 * The station's side of its link to the centre (DESIGN §8): mutual TLS with the station's own client
 * certificate (CN = its station ID) issued by the centre CA, and the publisher key(s) that tariff and
 * list files must be signed with. Read from the environment:
 * - CENTRE_CA_FILE: the centre CA certificate (PEM) the centre's server certificate must chain to;
 * - CENTRE_CLIENT_CERT_FILE / CENTRE_CLIENT_KEY_FILE: this station's certificate and key (PEM);
 * - CENTRE_PUBLISHER_KEY_FILE: the publisher's Ed25519 public key(s) (PEM bundle).
 */
export interface CentreTrustConfig {
  caFile: string | undefined;
  certFile: string | undefined;
  keyFile: string | undefined;
  publisherKeyFile: string | undefined;
}

export function loadCentreTrustConfig(env: NodeJS.ProcessEnv = process.env): CentreTrustConfig {
  return {
    caFile: env.CENTRE_CA_FILE || undefined,
    certFile: env.CENTRE_CLIENT_CERT_FILE || undefined,
    keyFile: env.CENTRE_CLIENT_KEY_FILE || undefined,
    publisherKeyFile: env.CENTRE_PUBLISHER_KEY_FILE || undefined,
  };
}

/**
 * `fetch` for every call to the centre (uploads, sync, online fee): trusts the centre CA and presents the
 * station's certificate. Plain `fetch` when neither is configured (an http:// test centre).
 */
export function centreFetch(cfg: CentreTrustConfig): typeof fetch {
  if (!cfg.caFile && !cfg.certFile) return fetch;
  const identity =
    cfg.certFile && cfg.keyFile
      ? { cert: readFileSync(cfg.certFile, 'utf8'), key: readFileSync(cfg.keyFile, 'utf8') }
      : undefined;
  const connect = cfg.caFile
    ? clientTlsOptions({ ca: readFileSync(cfg.caFile, 'utf8'), ...(identity ? { identity } : {}) })
    : { ...(identity ?? {}) };
  const dispatcher = new Agent({ connect });
  return ((input: string | URL, init?: RequestInit) =>
    undiciFetch(input, { ...(init as object), dispatcher })) as unknown as typeof fetch;
}

/** The publisher keys files must be signed with; none configured → every file is refused. */
export function loadPublisherKeys(cfg: CentreTrustConfig): SchemeKey[] {
  return cfg.publisherKeyFile ? publisherVerifyingKeys(readFileSync(cfg.publisherKeyFile, 'utf8')) : [];
}
