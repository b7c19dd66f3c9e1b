import { randomBytes } from 'node:crypto';
import type { BarrierCommand, DisplayMessage } from '@tollpad/linkage';
import { LaneEndpoint } from '@tollpad/linkage/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LaneLinkage } from './lane-linkage';

// TEST station and lane; the real Mosquitto on 127.0.0.1:1883 under a unique topic root.
const STATION = 'G0022370010030';
const LANE = 'G00223700100302010910';
const TRADE = `${LANE}2026112308000001`;
const ROOT = `test-${randomBytes(4).toString('hex')}/tollpad`;
const URL = process.env.TOLLPAD_TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';

async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const record = JSON.stringify({ vehicleId: '鲁A12345_0', transFee: 8810, postBalance: 41190 });

describe('lane linkage (station side) over Mosquitto', () => {
  let linkage: LaneLinkage;
  let lane: LaneEndpoint;
  const displays: DisplayMessage[] = [];
  const commands: BarrierCommand[] = [];

  beforeAll(async () => {
    linkage = await LaneLinkage.start({ stationId: STATION, mqttUrl: URL, topicRoot: ROOT, busyRetryMs: 50 });
    const l = LaneEndpoint.create({ url: URL, laneId: LANE, topicRoot: ROOT, heartbeatMs: 200 });
    if (!l.ok) throw l.error;
    lane = l.value;
    let busyOnce = true;
    lane.on('display', (m) => displays.push(m));
    lane.on('command', (c) => {
      commands.push(c);
      if (c.action !== 'open') return;
      // The first command finds the previous vehicle still under the arm.
      const busy = busyOnce;
      busyOnce = false;
      void lane.publishResult({
        commandId: c.commandId,
        action: 'open',
        tradeId: c.tradeId,
        outcome: busy ? 'refused' : 'accepted',
        ...(busy ? { code: 'BARRIER_BUSY' as const } : {}),
        state: busy ? 'OPEN' : 'OPENING',
      });
      if (!busy) void lane.publishBarrierState({ state: 'OPEN', tradeId: c.tradeId });
    });
    expect(await lane.waitConnected(5_000)).toBe(true);
    expect(await linkage.client.waitConnected(5_000)).toBe(true);
    await lane.publishBarrierState({ state: 'CLOSED' });
    await until(() => linkage.lane(LANE)?.link === 'online');
  });
  afterAll(async () => {
    await lane.close();
    await linkage.stop();
  });

  it('shows the fee and opens the barrier for a committed record, retrying a busy barrier', async () => {
    expect(linkage.lane(LANE)?.monitorState).toBe('CLOSED');
    await linkage.recordCommitted({ tradeId: TRADE, laneId: LANE, recordJson: record });
    expect(displays.at(-1)).toMatchObject({
      kind: 'fee',
      plate: '鲁A12345',
      plateColour: 0,
      amountFen: 8810,
      balanceFen: 41190,
      tradeId: TRADE,
    });
    expect(commands.filter((c) => c.action === 'open')).toHaveLength(2);
    expect(linkage.lastCommand(LANE)).toMatchObject({ tradeId: TRADE, outcome: 'accepted' });
    await until(() => linkage.lane(LANE)?.monitorState === 'OPEN');
  });

  it('offers the captured plate as a prefill, not an unrecognised one', async () => {
    await lane.publishVehicle({
      event: 'captured',
      detectionId: 'd1',
      plate: '鲁B67890',
      plateColour: 1,
      imageRef: 'cam/1.jpg',
    });
    await until(() => linkage.prefill(LANE) !== null);
    expect(linkage.prefill(LANE)).toMatchObject({ plate: '鲁B67890', plateColour: 1, detectionId: 'd1' });
    await lane.publishVehicle({
      event: 'captured',
      detectionId: 'd2',
      plate: '默A00000',
      plateColour: 9,
      imageRef: 'cam/2.jpg',
    });
    await until(() => linkage.prefill(LANE) === null);
  });

  it('a barrier command for another lane is refused before it is sent', async () => {
    const before = commands.length;
    await linkage.recordCommitted({
      tradeId: 'G002237001003020109202026112308000002',
      laneId: LANE,
      recordJson: record,
    });
    expect(linkage.lastCommand(LANE)).toMatchObject({ outcome: 'failed', code: 'TRADE_ID_OTHER_LANE' });
    expect(commands.length).toBe(before);
  });

  it('a lost lane link shows the lane UNKNOWN', async () => {
    await lane.dropLink();
    await until(() => linkage.lane(LANE)?.link !== 'online', 8_000);
    expect(linkage.lane(LANE)?.monitorState).toBe('UNKNOWN');
  });
});
