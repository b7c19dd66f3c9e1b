import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_TOPIC_ROOT, laneIdentity, stationIdentity, usernameOf } from '@tollpad/linkage';
import { makeTestCredentials, writeMqttCredentialFiles } from '@tollpad/linkage/node';

/**
 * TEST MQTT accounts for a demo or test run on the station's embedded broker. The station starts with its
 * own password and a password file it re-reads on change; once the seeded station and lanes are known the
 * file gets every account, and the lane simulator gets its lanes' passwords.
 */
export interface DemoMqttAccounts {
  readonly dir: string;
  /** For the station: the broker's password file and its own password. */
  readonly stationEnv: Record<string, string>;
  /** Writes every account for this station and its lanes; returns the lane simulator's env. */
  provision(
    stationId: string,
    laneIds: readonly string[],
    topicRoot?: string,
  ): Promise<Record<string, string>>;
}

export function demoMqttAccounts(dir: string): DemoMqttAccounts {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const passwordFile = join(dir, 'passwd');
  writeFileSync(passwordFile, '', { mode: 0o600 });
  const stationPassword = `TEST-${randomBytes(18).toString('base64url')}`;
  return {
    dir,
    stationEnv: { MQTT_BROKER_PASSWORD_FILE: passwordFile, MQTT_PASSWORD: stationPassword },
    async provision(stationId, laneIds, topicRoot = DEFAULT_TOPIC_ROOT) {
      const accounts = { topicRoot, stationId, laneIds };
      const station = usernameOf(stationIdentity(stationId));
      const lanes = makeTestCredentials(accounts).filter((c) => c.username !== station);
      const files = await writeMqttCredentialFiles(dir, accounts, [
        { username: station, password: stationPassword },
        ...lanes,
      ]);
      if (!files.ok) throw files.error;
      if (files.value.passwordFile !== passwordFile) throw new Error('password file moved');
      return { MQTT_CREDENTIALS_FILE: files.value.credentialsFile };
    },
  };
}

/** The lane username a test needs to act as one controller (for example a hostile one). */
export function laneUsername(laneId: string): string {
  return usernameOf(laneIdentity(laneId));
}
