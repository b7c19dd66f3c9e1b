import { readFileSync } from 'node:fs';
import { passwordFileTable } from '@tollpad/linkage/node';
import type { IntegrationsConfig } from '../integrations/integrations-config';
import type { LaneLinkageOptions } from './lane-linkage';

type Security = Pick<LaneLinkageOptions, 'username' | 'password' | 'ca' | 'brokerPasswords' | 'brokerTls'>;

/**
 * The station's MQTT account, CA and embedded-broker files named by the configuration, read once at
 * start. A named file that cannot be read is a start-up error: running with less security than configured
 * must not happen quietly.
 */
export function loadLinkageSecurity(cfg: IntegrationsConfig['linkage']): Security {
  const out: { -readonly [K in keyof Security]: Security[K] } = {};
  if (cfg.username) out.username = cfg.username;
  if (cfg.password) out.password = cfg.password;
  if (cfg.caFile) out.ca = pem(cfg.caFile, 'MQTT_CA_FILE');
  if (cfg.brokerPasswordFile) {
    const users = passwordFileTable(cfg.brokerPasswordFile);
    if (!users.ok) throw new Error(`MQTT_BROKER_PASSWORD_FILE: ${users.error.reason}`);
    out.brokerPasswords = users.value;
  }
  if (cfg.brokerTlsKeyFile || cfg.brokerTlsCertFile) {
    if (!cfg.brokerTlsKeyFile || !cfg.brokerTlsCertFile) {
      throw new Error('MQTT_BROKER_TLS_KEY_FILE and MQTT_BROKER_TLS_CERT_FILE go together');
    }
    out.brokerTls = {
      key: pem(cfg.brokerTlsKeyFile, 'MQTT_BROKER_TLS_KEY_FILE'),
      cert: pem(cfg.brokerTlsCertFile, 'MQTT_BROKER_TLS_CERT_FILE'),
    };
  }
  return out;
}

function pem(path: string, name: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(
      `${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
}
