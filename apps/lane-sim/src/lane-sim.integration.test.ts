import { type BarrierState, laneTopic, type VehicleEvent } from '@tollpad/linkage';
import { LaneLinkClient } from '@tollpad/linkage/node';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureMosquitto,
  eventually,
  LANE_A,
  LANE_B,
  MOSQUITTO_URL,
  post,
  STATION,
  simConfig,
  tradeId,
  uniqueRoot,
} from './integration-helpers';
import { type LaneSim, startLaneSim } from './lane-sim';

// Against the real Mosquitto on 127.0.0.1:1883; each run has its own topic root.
describe('lane linkage over Mosquitto', () => {
  const root = uniqueRoot();
  const lines: string[] = [];
  const barrier: Record<string, BarrierState[]> = { [LANE_A]: [], [LANE_B]: [] };
  const vehicles: [string, VehicleEvent][] = [];
  const invalid: string[] = [];
  let sim: LaneSim;
  let station: LaneLinkClient;
  let raw: MqttClient;

  beforeAll(async () => {
    await ensureMosquitto();
    const started = await startLaneSim(simConfig(MOSQUITTO_URL, root), (l) => lines.push(l));
    if (!started.ok) throw started.error;
    sim = started.value;
    const client = LaneLinkClient.create({
      url: MOSQUITTO_URL,
      stationId: STATION,
      topicRoot: root,
      lanes: [LANE_A, LANE_B],
      resultTimeoutMs: 8_000,
      tickMs: 200,
    });
    if (!client.ok) throw client.error;
    station = client.value;
    station.on('barrier', (laneId, m) => barrier[laneId]?.push(m.state));
    station.on('vehicle', (laneId, e) => vehicles.push([laneId, e]));
    station.on('invalid', (topic, e) => invalid.push(`${topic} ${e.code}`));
    raw = await connectAsync(MOSQUITTO_URL, { clientId: `test-raw-${root.slice(5, 17)}` });
    await eventually('both lanes linked and CLOSED', () =>
      [LANE_A, LANE_B].every((l) => station.lane(l)?.monitorState === 'CLOSED'),
    );
  });

  afterAll(async () => {
    await station?.close();
    await raw?.endAsync();
    await sim?.stop();
  });

  it('shows the fee on the lane display as the driver sees it', async () => {
    const sent = await station.showDisplay(LANE_A, {
      kind: 'fee',
      plate: '鲁A12345',
      plateColour: 0,
      amountFen: 8810 as never,
      balanceFen: -25876 as never,
      message: '一路顺风',
    });
    expect(sent).toEqual({ ok: true, value: undefined });
    await eventually('display line', () =>
      lines.includes('[车道91 显示屏] 鲁A12345 应收 88.10元 余额 -258.76元 一路顺风'),
    );
    expect(sim.controllers.get(LANE_A)?.display.current).toBe(
      '鲁A12345 应收 88.10元 余额 -258.76元 一路顺风',
    );
    expect(sim.controllers.get(LANE_B)?.display.current).toBe('');
  });

  it('opens for its own committed trade, closes after the vehicle passed, never reopens for it', async () => {
    const trade = tradeId(LANE_A, 1);
    const r = await station.openBarrier(LANE_A, trade);
    expect(r).toMatchObject({ ok: true, value: { outcome: 'accepted', tradeId: trade } });
    await eventually('arm up', () => station.lane(LANE_A)?.monitorState === 'OPEN');
    const passed = await post(`${sim.controlUrl}/passed`, { laneId: LANE_A });
    expect(passed.status).toBe(202);
    await eventually(
      'arm down',
      () => barrier[LANE_A]!.at(-1) === 'CLOSED' && barrier[LANE_A]!.includes('CLOSING'),
    );
    expect(barrier[LANE_A]!.slice(-4)).toEqual(['OPENING', 'OPEN', 'CLOSING', 'CLOSED']);

    const again = await station.openBarrier(LANE_A, trade);
    expect(again).toMatchObject({ ok: true, value: { outcome: 'duplicate', state: 'CLOSED' } });
    expect(sim.controllers.get(LANE_A)?.barrierState.state).toBe('CLOSED');
    expect(barrier[LANE_B]).not.toContain('OPENING');
  });

  it('refuses another lane’s trade: at the station and, if sent anyway, at the lane', async () => {
    const foreign = tradeId(LANE_B, 7);
    expect(await station.openBarrier(LANE_A, foreign)).toMatchObject({
      ok: false,
      error: { code: 'TRADE_ID_OTHER_LANE' },
    });
    // A rogue or buggy sender publishes it straight to lane A's command topic.
    const results: unknown[] = [];
    station.on('result', (laneId, res) => {
      if (laneId === LANE_A && res.commandId === 'rogue-1') results.push(res);
    });
    const command = {
      v: 1,
      at: new Date().toISOString(),
      commandId: 'rogue-1',
      action: 'open',
      tradeId: foreign,
    };
    await raw.publishAsync(laneTopic(root, STATION, LANE_A, 'barrier/command'), JSON.stringify(command), {
      qos: 1,
    });
    await eventually('lane refusal', () => results.length > 0);
    expect(results[0]).toMatchObject({ outcome: 'refused', code: 'TRADE_ID_OTHER_LANE', state: 'CLOSED' });
    expect(sim.controllers.get(LANE_A)?.barrierState.state).toBe('CLOSED');
  });

  it('sends the vehicle and its captured plate to the station for the handheld', async () => {
    const res = await post(`${sim.controlUrl}/vehicle`, {
      laneId: LANE_B,
      plate: '鲁A12345',
      plateColour: 0,
    });
    expect(res.status).toBe(202);
    const { detectionId } = res.body as { detectionId: string };
    const captured = await eventually('captured plate', () =>
      vehicles.find(([l, e]) => l === LANE_B && e.detectionId === detectionId && e.event === 'captured'),
    );
    expect(captured[1]).toMatchObject({
      plate: '鲁A12345',
      plateColour: 0,
      imageRef: expect.stringContaining(LANE_B),
    });
    expect(
      vehicles.some(([l, e]) => l === LANE_B && e.detectionId === detectionId && e.event === 'present'),
    ).toBe(true);
  });

  it('drops hostile messages on both ends and keeps working', async () => {
    const laneLines = lines.length;
    await raw.publishAsync(
      laneTopic(root, STATION, LANE_A, 'barrier/command'),
      Buffer.from([0xff, 0x00, 0x7b]),
      { qos: 1 },
    );
    await raw.publishAsync(
      laneTopic(root, STATION, LANE_A, 'display'),
      '{"v":1,"kind":"fee","plate":"__proto__"}',
      {
        qos: 1,
      },
    );
    await raw.publishAsync(laneTopic(root, STATION, LANE_B, 'vehicle'), '[]'.repeat(5000), { qos: 1 });
    await raw.publishAsync(`${root}/v1/${STATION}/lanes/${LANE_A}/status`, 'null', { qos: 1 });
    await eventually(
      'lane drops two',
      () => lines.slice(laneLines).filter((l) => l.includes('丢弃报文')).length >= 2,
    );
    await eventually('station drops two', () => invalid.length >= 2);
    // Still linked and still serving.
    const r = await station.openBarrier(LANE_B, tradeId(LANE_B, 2));
    expect(r).toMatchObject({ ok: true, value: { outcome: 'accepted' } });
    expect(station.lane(LANE_A)?.link).toBe('online');
  });
});

describe('lost lane link over Mosquitto', () => {
  it('shows the lane UNKNOWN when its connection dies without DISCONNECT (Last Will)', async () => {
    await ensureMosquitto();
    const root = uniqueRoot();
    const started = await startLaneSim(simConfig(MOSQUITTO_URL, root), () => {});
    if (!started.ok) throw started.error;
    const sim = started.value;
    const client = LaneLinkClient.create({
      url: MOSQUITTO_URL,
      stationId: STATION,
      topicRoot: root,
      tickMs: 200,
    });
    if (!client.ok) throw client.error;
    const station = client.value;
    try {
      await eventually('lane A linked', () => station.lane(LANE_A)?.monitorState === 'CLOSED');
      await sim.endpoints.get(LANE_A)!.dropLink();
      const lost = await eventually('lane A UNKNOWN', () => {
        const s = station.lane(LANE_A);
        return s?.monitorState === 'UNKNOWN' ? s : undefined;
      });
      expect(lost).toMatchObject({ link: 'offline', lastReported: { state: 'CLOSED' } });
      expect(station.lane(LANE_B)?.monitorState).toBe('CLOSED');
      expect(await station.openBarrier(LANE_A, tradeId(LANE_A, 3))).toMatchObject({
        ok: false,
        error: { code: 'LANE_LINK_DOWN' },
      });
    } finally {
      await station.close();
      await sim.stop();
    }
  });
});
