import { LaneLinkClient, loadPasswordFile, startEmbeddedBroker } from '@tollpad/linkage/node';
import { describe, expect, it } from 'vitest';
import {
  eventually,
  LANE_A,
  linkLanes,
  STATION,
  simConfig,
  type TestAccounts,
  testAccounts,
  tradeId,
  uniqueRoot,
} from './integration-helpers';
import { startLaneSim } from './lane-sim';

function access(root: string, accounts: TestAccounts) {
  const users = loadPasswordFile(accounts.files.passwordFile);
  if (!users.ok) throw users.error;
  return { topicRoot: root, passwords: users.value };
}

describe('lane linkage over the embedded broker (aedes)', () => {
  it('displays, opens for its own trade and reports a lost link as UNKNOWN', async () => {
    const root = uniqueRoot();
    const accounts = await testAccounts(root);
    const broker = await startEmbeddedBroker({ port: 0, access: access(root, accounts) });
    if (!broker.ok) throw broker.error;
    const lines: string[] = [];
    const { sim, station, stop } = await linkLanes(broker.value.url, root, {
      accounts,
      log: (l) => lines.push(l),
    });
    try {
      await station.showDisplay(LANE_A, { kind: 'notice', message: '请稍候' });
      await eventually('notice shown', () => lines.includes('[车道91 显示屏] 请稍候'));
      expect(await station.openBarrier(LANE_A, tradeId(LANE_A, 11))).toMatchObject({
        ok: true,
        value: { outcome: 'accepted' },
      });
      await sim.endpoints.get(LANE_A)!.dropLink();
      await eventually('lane A UNKNOWN', () => station.lane(LANE_A)?.monitorState === 'UNKNOWN');
      expect(station.lane(LANE_A)?.link).toBe('offline');
    } finally {
      await stop();
      await broker.value.close();
      accounts.cleanup();
    }
  });

  it('reconnects both ends after a broker restart; lanes are UNKNOWN meanwhile', async () => {
    const root = uniqueRoot();
    const accounts = await testAccounts(root);
    const first = await startEmbeddedBroker({ port: 0, access: access(root, accounts) });
    if (!first.ok) throw first.error;
    const { port, url } = first.value;
    const sim = await startLaneSim(simConfig(url, root, accounts), () => {});
    if (!sim.ok) throw sim.error;
    const client = LaneLinkClient.create({
      url,
      stationId: STATION,
      topicRoot: root,
      reconnectPeriodMs: 200,
      ...accounts.station,
    });
    if (!client.ok) throw client.error;
    const station = client.value;
    let second: Awaited<ReturnType<typeof startEmbeddedBroker>> | undefined;
    try {
      await eventually('lane A linked', () => station.lane(LANE_A)?.monitorState === 'CLOSED');
      await first.value.close();
      await eventually('station sees the broker gone', () => station.lane(LANE_A)?.link === 'no-broker');
      expect(station.lane(LANE_A)?.monitorState).toBe('UNKNOWN');
      second = await startEmbeddedBroker({ port, access: access(root, accounts) });
      if (!second.ok) throw second.error;
      // The new broker has no retained messages: the lane's republished status and state bring it back.
      await eventually('lane A back', () => station.lane(LANE_A)?.monitorState === 'CLOSED');
      expect(await station.openBarrier(LANE_A, tradeId(LANE_A, 12))).toMatchObject({
        ok: true,
        value: { outcome: 'accepted' },
      });
    } finally {
      await station.close();
      await sim.value.stop();
      if (second?.ok) await second.value.close();
      accounts.cleanup();
    }
  });

  it('reports a taken port as a typed error', async () => {
    const none = { topicRoot: 'tollpad', passwords: new Map<string, string>() };
    const first = await startEmbeddedBroker({ port: 0, access: none });
    if (!first.ok) throw first.error;
    try {
      const second = await startEmbeddedBroker({ port: first.value.port, access: none });
      expect(second).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID', field: 'port' } });
    } finally {
      await first.value.close();
    }
  });
});
