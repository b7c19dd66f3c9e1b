import { parseLaneId, parseStationId, stationIdOf } from '@tollpad/domain';
import { type LinkageResult, linkFail } from './errors';
import { CHANNELS, type Channel, PROTOCOL_VERSION } from './topics';

/**
 * Who may publish and subscribe what on the lane linkage: the ONE access definition. The embedded broker
 * checks it on every CONNECT/PUBLISH/SUBSCRIBE and the Mosquitto ACL file is rendered from it, so both
 * brokers enforce the same rules:
 * - the station publishes the station→lane channels (display, barrier command) of its own lanes and
 *   subscribes to the lane→station channels of its own lanes;
 * - a lane controller publishes only its own lane's lane→station channels and subscribes only to its own
 *   lane's station→lane channels. So the barrier obeys the station alone.
 * Identities come from the MQTT username: `station-{stationId}` or `lane-{laneId}`.
 */
export type MqttIdentity =
  | { readonly role: 'station'; readonly stationId: string }
  | { readonly role: 'lane'; readonly stationId: string; readonly laneId: string };

export type MqttAction = 'publish' | 'subscribe';

/** One permission: publish to topics matching `filter`, or subscribe with `filter` (or a narrower one). */
export interface MqttGrant {
  readonly action: MqttAction;
  readonly filter: string;
}

const STATION_PREFIX = 'station-';
const LANE_PREFIX = 'lane-';

export function usernameOf(identity: MqttIdentity): string {
  return identity.role === 'station'
    ? `${STATION_PREFIX}${identity.stationId}`
    : `${LANE_PREFIX}${identity.laneId}`;
}

export function stationIdentity(stationId: string): MqttIdentity {
  return { role: 'station', stationId };
}

export function laneIdentity(laneId: string): MqttIdentity {
  return { role: 'lane', stationId: stationIdOf(laneId), laneId };
}

/** The identity a username names; anything else (anonymous included) has none and may not connect. */
export function identityOfUsername(username: string | undefined): LinkageResult<MqttIdentity> {
  if (username?.startsWith(STATION_PREFIX)) {
    const id = parseStationId(username.slice(STATION_PREFIX.length), 'username');
    if (id.ok) return { ok: true, value: stationIdentity(id.value.stationId) };
  } else if (username?.startsWith(LANE_PREFIX)) {
    const id = parseLaneId(username.slice(LANE_PREFIX.length), 'username');
    if (id.ok) return { ok: true, value: laneIdentity(id.value.laneId) };
  }
  return linkFail(
    'MQTT_IDENTITY_INVALID',
    'username',
    `MQTT用户名“${(username ?? '').slice(0, 64)}”不是收费站或车道身份（应为station-站编号或lane-车道编号）`,
  );
}

const CHANNEL_NAMES = Object.keys(CHANNELS) as Channel[];

/** Every permission of an identity under a topic root; the checks and the Mosquitto ACL both use it. */
export function grantsOf(root: string, identity: MqttIdentity): MqttGrant[] {
  const lane = identity.role === 'station' ? '+' : identity.laneId;
  const base = `${root}/${PROTOCOL_VERSION}/${identity.stationId}/lanes/${lane}`;
  const speaks = identity.role === 'station' ? 'station→lane' : 'lane→station';
  return CHANNEL_NAMES.map((channel) => ({
    action: CHANNELS[channel].direction === speaks ? ('publish' as const) : ('subscribe' as const),
    filter: `${base}/${channel}`,
  }));
}

/**
 * Allowed or not: a publish topic must match a publish grant; a subscription filter must be one a grant
 * covers level by level (a `+` in the grant covers any one level, `#` is never granted).
 */
export function mqttAccess(
  root: string,
  identity: MqttIdentity,
  action: MqttAction,
  topic: string,
): LinkageResult<void> {
  const levels = topic.split('/');
  const wellFormed = levels.every(
    (l) => !l.includes('#') && (action === 'subscribe' ? l === '+' || !l.includes('+') : !l.includes('+')),
  );
  const allowed =
    wellFormed && grantsOf(root, identity).some((g) => g.action === action && covers(g.filter, levels));
  if (allowed) return { ok: true, value: undefined };
  return linkFail(
    'MQTT_ACL_DENIED',
    action,
    `${usernameOf(identity)}无权${action === 'publish' ? '发布' : '订阅'}“${topic.slice(0, 200)}”`,
  );
}

function covers(filter: string, levels: readonly string[]): boolean {
  const grant = filter.split('/');
  return (
    grant.length === levels.length && grant.every((g, i) => (g === '+' ? levels[i] !== '' : g === levels[i]))
  );
}
