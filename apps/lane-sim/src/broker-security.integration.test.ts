import { type BarrierCommand, laneIdentity, laneTopic, usernameOf } from '@tollpad/linkage';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  LANE_A,
  LANE_B,
  type LinkedLanes,
  linkLanes,
  STATION,
  type TestAccounts,
  type TestBroker,
  testAccounts,
  testBrokers,
  tradeId,
  uniqueRoot,
} from './integration-helpers';

/** A stranger's client: no retries, so a refused CONNECT is an answer and not a loop. */
function stranger(url: string, options: IClientOptions): Promise<MqttClient> {
  return connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5_000, protocolVersion: 4, ...options });
}

/**
 * Publishes as `client` and waits until the broker has settled it: acknowledged (Mosquitto drops a denied
 * publish yet acknowledges it: MQTT 3.1.1 has no other answer) or the connection ended (the embedded
 * broker ends a client that publishes where it may not).
 */
async function publishSettled(
  client: MqttClient,
  topic: string,
  payload: string,
  retain = false,
): Promise<void> {
  const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
  await Promise.race([
    client.publishAsync(topic, payload, { qos: 1, retain }).catch(() => undefined),
    closed,
  ]);
  await client.endAsync(true);
}

/** Subscribes one filter; the granted QoS, 128 when refused. */
function granted(client: MqttClient, filter: string): Promise<number> {
  return new Promise((resolve) => {
    // The SUBACK's own answer: mqtt.js reports a refusal as an error and keeps the packet beside it.
    client.subscribe(filter, { qos: 1 }, (_error, _subs, packet) => {
      const suback = packet as { granted?: (number | { qos: number })[] } | undefined;
      const first = suback?.granted?.[0];
      resolve(typeof first === 'number' ? first : (first?.qos ?? -1));
    });
  });
}

function openCommand(commandId: string, trade: string): string {
  return JSON.stringify({ v: 1, at: new Date().toISOString(), commandId, action: 'open', tradeId: trade });
}

describe.each(testBrokers())('MQTT credentials and ACL on the %s', (_name, startBroker) => {
  const root = uniqueRoot();
  let accounts: TestAccounts;
  let broker: TestBroker;
  let lanes: LinkedLanes;
  const received: Record<string, BarrierCommand[]> = { [LANE_A]: [], [LANE_B]: [] };
  const lines: string[] = [];

  beforeAll(async () => {
    accounts = await testAccounts(root);
    broker = await startBroker(root, accounts);
    lanes = await linkLanes(broker.url, root, {
      accounts,
      log: (l) => lines.push(l),
      client: { resultTimeoutMs: 8_000 },
    });
    for (const laneId of [LANE_A, LANE_B]) {
      lanes.sim.endpoints.get(laneId)!.on('command', (c) => received[laneId]!.push(c));
    }
  });

  afterAll(async () => {
    await lanes?.stop();
    await broker?.stop();
    accounts?.cleanup();
  });

  it('refuses an anonymous client, an unknown user and a wrong password at CONNECT', async () => {
    const laneUser = usernameOf(laneIdentity(LANE_A));
    const tries: IClientOptions[] = [
      {},
      { username: 'admin', password: 'admin' },
      { username: laneUser, password: 'TEST-wrong-password' },
      { username: laneUser },
      { username: accounts.station.username, password: accounts.lanePasswords.get(LANE_A)! },
    ];
    for (const options of tries) {
      await expect(stranger(broker.url, options)).rejects.toMatchObject({ code: expect.any(Number) });
    }
  });

  it('a controller cannot hear another lane: its wider subscriptions are refused or deliver nothing', async () => {
    const spy = await stranger(broker.url, {
      username: usernameOf(laneIdentity(LANE_A)),
      password: accounts.lanePasswords.get(LANE_A)!,
    });
    const heard: string[] = [];
    spy.on('message', (topic) => heard.push(topic));
    try {
      const denied = [
        laneTopic(root, STATION, LANE_B, 'barrier/command'),
        laneTopic(root, STATION, LANE_B, 'display'),
        `${root}/v1/${STATION}/lanes/+/barrier/command`,
        `${root}/v1/${STATION}/lanes/${LANE_A}/#`,
        '#',
      ];
      const answers: number[] = [];
      for (const filter of denied) answers.push(await granted(spy, filter));
      const own = laneTopic(root, STATION, LANE_A, 'display');
      expect(await granted(spy, own)).toBe(1);
      // The embedded broker answers 0x80; Mosquitto 2.0 grants a 3.1.1 subscription it will not serve,
      // so what counts is that nothing of lane B arrives.
      for (const a of answers) expect([128, 1]).toContain(a);
      // The station's message to lane B goes out before the one to lane A: one publisher to one
      // subscriber keeps its order, so the spy has lane B's (if at all) once it has lane A's.
      expect(
        await lanes.station.showDisplay(LANE_B, { kind: 'notice', message: 'TEST 车道B' }),
      ).toMatchObject({
        ok: true,
      });
      expect(
        await lanes.station.showDisplay(LANE_A, { kind: 'notice', message: 'TEST 车道A' }),
      ).toMatchObject({
        ok: true,
      });
      await eventually('lane A’s own display', () => heard.includes(own));
      expect(heard.filter((t) => t !== own)).toEqual([]);
    } finally {
      await spy.endAsync(true);
    }
  });

  it('a controller cannot open a barrier (another lane’s or its own); the lane never receives it', async () => {
    const asLaneA = () =>
      stranger(broker.url, {
        username: usernameOf(laneIdentity(LANE_A)),
        password: accounts.lanePasswords.get(LANE_A)!,
      });
    const attempt = async (laneId: string, commandId: string) =>
      publishSettled(
        await asLaneA(),
        laneTopic(root, STATION, laneId, 'barrier/command'),
        openCommand(commandId, tradeId(laneId, 91)),
      );
    await attempt(LANE_B, 'rogue-other-lane');
    await attempt(LANE_A, 'rogue-own-lane');

    // The station's genuine open goes out after the attempts: what reached the lanes has arrived by then.
    const genuineB = await lanes.station.openBarrier(LANE_B, tradeId(LANE_B, 1));
    expect(genuineB).toMatchObject({ ok: true, value: { outcome: 'accepted' } });
    const genuineA = await lanes.station.openBarrier(LANE_A, tradeId(LANE_A, 1));
    expect(genuineA).toMatchObject({ ok: true, value: { outcome: 'accepted' } });
    expect(received[LANE_B]!.map((c) => c.commandId)).not.toContain('rogue-other-lane');
    expect(received[LANE_A]!.map((c) => c.commandId)).not.toContain('rogue-own-lane');
    expect(
      received[LANE_B]!.filter((c) => c.action === 'open').map((c) => c.action === 'open' && c.tradeId),
    ).toEqual([tradeId(LANE_B, 1)]);
  });

  it('a controller cannot speak for another lane (fake barrier state or vehicle)', async () => {
    const laneA = await stranger(broker.url, {
      username: usernameOf(laneIdentity(LANE_A)),
      password: accounts.lanePasswords.get(LANE_A)!,
    });
    const faked: string[] = [];
    const off = lanes.station.on('barrier', (laneId, m) => {
      if (laneId === LANE_B && m.state === 'FAULT') faked.push(m.state);
    });
    try {
      const fake = JSON.stringify({
        v: 1,
        at: new Date().toISOString(),
        state: 'FAULT',
        fault: 'TEST forged',
      });
      await publishSettled(laneA, laneTopic(root, STATION, LANE_B, 'barrier/state'), fake, true);
      // Lane B's own report follows the attempt; the station has it once the forgery would have arrived.
      const marker = 'TEST-after-forgery';
      let seen = false;
      const offV = lanes.station.on('vehicle', (laneId, e) => {
        if (laneId === LANE_B && e.detectionId === marker) seen = true;
      });
      await lanes.sim.endpoints.get(LANE_B)!.publishVehicle({ event: 'present', detectionId: marker });
      await eventually('lane B’s genuine report', () => seen);
      offV();
      expect(faked).toEqual([]);
      expect(lanes.station.lane(LANE_B)?.monitorState).not.toBe('FAULT');
    } finally {
      off();
    }
  });

  it('the station’s genuine display and commands still work end to end', async () => {
    expect(await lanes.station.showDisplay(LANE_A, { kind: 'notice', message: '请稍候' })).toEqual({
      ok: true,
      value: undefined,
    });
    await eventually('notice shown', () => lanes.sim.controllers.get(LANE_A)?.display.current === '请稍候');
    expect(await lanes.station.openBarrier(LANE_A, tradeId(LANE_A, 1))).toMatchObject({
      ok: true,
      value: { outcome: 'duplicate' },
    });
  });
});
