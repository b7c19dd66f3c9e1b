import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { laneIdentity, type MqttIdentity, stationIdentity, usernameOf } from '../acl';
import { type LinkageResult, linkFail } from '../errors';
import { renderMosquittoAcl } from '../mosquitto-acl';
import {
  type MqttCredential,
  type PasswordTable,
  parsePasswordFile,
  renderPasswordFile,
} from './mqtt-password';

/**
 * The files of one linkage account set: Mosquitto's `password_file` (hashes; the embedded broker reads the
 * same one), its `acl_file`, and the clear passwords each device is given (`credentials.json`, username →
 * password; a lane controller keeps only its own entry in a real install). All written 0600.
 */
export interface MqttCredentialFiles {
  readonly passwordFile: string;
  readonly aclFile: string;
  readonly credentialsFile: string;
  readonly credentials: readonly MqttCredential[];
}

export interface MqttAccountSet {
  readonly topicRoot: string;
  readonly stationId: string;
  readonly laneIds: readonly string[];
}

/** Fresh random TEST passwords for the station and each lane (demo and tests; never a site's accounts). */
export function makeTestCredentials(accounts: MqttAccountSet): MqttCredential[] {
  const identities: MqttIdentity[] = [
    stationIdentity(accounts.stationId),
    ...accounts.laneIds.map((l) => laneIdentity(l)),
  ];
  return identities.map((i) => ({
    username: usernameOf(i),
    password: `TEST-${randomBytes(18).toString('base64url')}`,
  }));
}

export async function writeMqttCredentialFiles(
  dir: string,
  accounts: MqttAccountSet,
  credentials: readonly MqttCredential[] = makeTestCredentials(accounts),
): Promise<LinkageResult<MqttCredentialFiles>> {
  const acl = renderMosquittoAcl(accounts.topicRoot, [
    stationIdentity(accounts.stationId),
    ...accounts.laneIds.map((l) => laneIdentity(l)),
  ]);
  if (!acl.ok) return acl;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = {
    passwordFile: join(dir, 'passwd'),
    aclFile: join(dir, 'acl'),
    credentialsFile: join(dir, 'credentials.json'),
  };
  writeFileSync(files.passwordFile, await renderPasswordFile(credentials), { mode: 0o600 });
  writeFileSync(files.aclFile, acl.value, { mode: 0o600 });
  const clear = Object.fromEntries(credentials.map((c) => [c.username, c.password]));
  writeFileSync(files.credentialsFile, `${JSON.stringify(clear, null, 2)}\n`, { mode: 0o600 });
  return { ok: true, value: { ...files, credentials } };
}

export function loadPasswordFile(path: string): LinkageResult<ReadonlyMap<string, string>> {
  const text = readText(path, 'passwordFile');
  return text.ok ? parsePasswordFile(text.value) : text;
}

/**
 * A password file that is read again when it changes (checked at each CONNECT), so that a lane controller
 * can be given its account without restarting the broker. A change that does not parse keeps the last
 * good table.
 */
export function passwordFileTable(path: string): LinkageResult<PasswordTable> {
  const first = loadPasswordFile(path);
  if (!first.ok) return first;
  let table = first.value;
  let seen = modified(path);
  return {
    ok: true,
    value: {
      get(username) {
        const now = modified(path);
        if (now !== seen) {
          seen = now;
          const again = loadPasswordFile(path);
          if (again.ok) table = again.value;
        }
        return table.get(username);
      },
    },
  };
}

function modified(path: string): string {
  try {
    const s = statSync(path);
    return `${s.mtimeMs}:${s.size}:${s.ino}`;
  } catch {
    return 'missing';
  }
}

const CredentialsJson = Type.Record(Type.String({ minLength: 1 }), Type.String({ minLength: 1 }));

/** username → clear password, as `writeMqttCredentialFiles` writes it. */
export function loadCredentialsFile(path: string): LinkageResult<ReadonlyMap<string, string>> {
  const text = readText(path, 'credentialsFile');
  if (!text.ok) return text;
  let json: unknown;
  try {
    json = JSON.parse(text.value);
  } catch {
    return linkFail('CONFIG_INVALID', 'credentialsFile', `MQTT账号文件${path}不是JSON`);
  }
  if (!Value.Check(CredentialsJson, json)) {
    return linkFail('CONFIG_INVALID', 'credentialsFile', `MQTT账号文件${path}应为“用户名: 密码”对象`);
  }
  return { ok: true, value: new Map(Object.entries(json)) };
}

function readText(path: string, field: string): LinkageResult<string> {
  try {
    return { ok: true, value: readFileSync(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return linkFail('CONFIG_INVALID', field, `无法读取${path}（${code}）`);
  }
}
