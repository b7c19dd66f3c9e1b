import {
  decodeSignatureHeader,
  type PublicationSignature,
  type SchemeKey,
  SIGNATURE_HEADER,
  verifyPublication,
} from '@tollpad/tariff/publication';
import { SyncFailure } from './centre-http';

/**
 * What the station demands of a published file before it can take effect: the publisher's signature
 * (header X-Publication-Signature) over these exact bytes with a key configured here, an activation not
 * before its publication (a back-dated version would take effect at once), and an activation not before
 * that of the version in force (no roll-back). Every refusal is a SyncFailure; the caller keeps the
 * version in force.
 */
export function checkPublication(
  publishers: readonly SchemeKey[],
  headers: Headers,
  bytes: Uint8Array,
  expect: { subject: string; version?: string; inForceActivateAt?: string | undefined },
): PublicationSignature {
  const r = verifyPublication(
    publishers,
    decodeSignatureHeader(headers.get(SIGNATURE_HEADER)),
    bytes,
    expect,
  );
  if (!r.ok) {
    const code = r.error.code === 'PUB_UNSIGNED' ? 'SYNC_UNSIGNED' : 'SYNC_SIGNATURE_INVALID';
    throw new SyncFailure(code, `${r.error.reason}（${r.error.code}）`);
  }
  const s = r.value;
  const activate = Date.parse(s.activateAt);
  const published = Date.parse(s.publishedAt);
  if (!Number.isFinite(activate) || !Number.isFinite(published) || activate < published) {
    throw new SyncFailure(
      'SYNC_BACKDATED',
      `${expect.subject} ${s.version} 生效时间 ${s.activateAt} 早于发布时间 ${s.publishedAt}，不予启用`,
    );
  }
  if (expect.inForceActivateAt !== undefined && activate < Date.parse(expect.inForceActivateAt)) {
    throw new SyncFailure(
      'SYNC_OLDER_VERSION',
      `${expect.subject} ${s.version} 生效时间 ${s.activateAt} 早于在用版本的 ${expect.inForceActivateAt}，不予启用`,
    );
  }
  return s;
}
