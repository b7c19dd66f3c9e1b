import { DEFAULT_TOPIC_ROOT, laneTopic, stamp, stationIdentity, usernameOf } from '@tollpad/linkage';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { laneUsername } from '../../scripts/sim/mqtt-accounts';
import { DEMO, loginToken, useTopology } from './topology';

/**
 * Strangers and a rogue lane controller on the demo's MQTT broker (the station's embedded one, as
 * `npm start` runs it): an anonymous client, a wrong password, and lane controllers' own credentials used to
 * command a barrier. The barrier obeys only the station: it never moves, and the lane stays linked.
 */
describe('hostile: MQTT', () => {
  const t = useTopology();
  const clients: MqttClient[] = [];
  beforeAll(async () => {}, 120_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  });

  const connect = async (o: IClientOptions) => {
    const c = await connectAsync(t().mqttUrl, { reconnectPeriod: 0, connectTimeout: 5_000, ...o });
    clients.push(c);
    return c;
  };
  const barrierOf = async (laneId: string) => {
    const lanes = (await (await fetch(`${t().laneSimUrl}/lanes`)).json()) as {
      laneId: string;
      barrier: { state: string };
    }[];
    return lanes.find((l) => l.laneId === laneId)?.barrier.state;
  };
  /** A well-formed open command for the demo lane, with a trade ID of this lane and hour (Beijing). */
  const openCommand = (n: number) => {
    const bj = new Date(Date.now() + 8 * 3600_000).toISOString();
    const batch = bj.slice(0, 13).replace(/[-T]/g, '');
    return JSON.stringify(
      stamp({
        commandId: `hostile-${n}`,
        action: 'open' as const,
        tradeId: `${t().laneId}${batch}${String(900_000 + n)}`,
      }),
    );
  };
  const commandTopic = () => laneTopic(DEFAULT_TOPIC_ROOT, t().stationId, t().laneId, 'barrier/command');

  it('an anonymous client is refused at CONNECT', async () => {
    await expect(connect({})).rejects.toThrow();
  });

  it('the station’s username with a wrong password is refused at CONNECT', async () => {
    const station = usernameOf(stationIdentity(t().stationId));
    expect(t().mqttPasswords()[station]).toBeDefined();
    await expect(connect({ username: station, password: 'wrong-password-TEST' })).rejects.toThrow();
  });

  it('lane controllers’ own credentials, this lane’s or another’s, cannot open the barrier', async () => {
    expect(await barrierOf(t().laneId)).toBe('CLOSED');
    const passwords = t().mqttPasswords();
    let n = 0;
    for (const laneId of t().laneIds) {
      const username = laneUsername(laneId);
      const password = passwords[username];
      expect(password).toBeDefined();
      const rogue = await connect({ username, password, clientId: `hostile-${laneId}` });
      // QoS 0 and 1: the broker may drop the message (no PUBACK) or end the session; it must not arrive.
      for (const qos of [0, 1] as const) {
        await Promise.race([
          rogue.publishAsync(commandTopic(), openCommand(n++), { qos }).catch(() => undefined),
          new Promise((r) => setTimeout(r, 2_000)),
        ]);
      }
    }
    // A command that got through would be acted on within the lane's motion time (300 ms in the demo).
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await barrierOf(t().laneId)).toBe('CLOSED');
    expect(t().sys.procs.laneSim.lines.filter((l) => /hostile-/.test(l) && /accepted|OPEN/.test(l))).toEqual(
      [],
    );
  });

  it('the lane is still linked to the station afterwards', async () => {
    const monitor = await loginToken(t().stationFetch, t().stationUrl, DEMO.monitor);
    const r = await t().stationFetch(`${t().stationUrl}/linkage/lanes`, {
      headers: { authorization: `Bearer ${monitor}` },
    });
    const lanes = (await r.json()) as { lanes: { laneId: string; link: string }[] };
    expect(lanes.lanes.find((l) => l.laneId === t().laneId)?.link).toBe('online');
  });

  it('every server is still up', async () => {
    expect(t().ended()).toEqual([]);
    expect(await t().health()).toEqual({ station: 200, centre: 200, page: 200, laneSim: 200 });
  });
});
