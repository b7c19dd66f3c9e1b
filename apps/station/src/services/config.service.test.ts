import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigRepository } from '../repositories/config.repository';
import type { Executor } from '../repositories/executor';
import { type Harness, startHarness } from '../testing/harness';
import { DIALECTS } from '../testing/test-db';
import { configureWorld, TEST_WORLD } from '../testing/world';
import { ConfigService } from './config.service';

/** Holds the next read made outside a transaction until released: a read in flight while a write runs. */
class HeldRepository extends ConfigRepository {
  private held: Promise<void> | undefined;

  holdNextRead(): () => void {
    let release = () => {};
    this.held = new Promise((resolve) => {
      release = resolve;
    });
    return release;
  }

  private async read<T>(x: Executor | undefined, query: () => Promise<T>): Promise<T> {
    const held = x === undefined ? this.held : undefined;
    if (held) this.held = undefined;
    const row = await query();
    await held;
    return row;
  }

  override findLane(id: string, x?: Executor) {
    return this.read(x, () => super.findLane(id, x));
  }

  override findTerminal(id: string, x?: Executor) {
    return this.read(x, () => super.findTerminal(id, x));
  }

  override getSetting(key: string, x?: Executor) {
    return this.read(x, () => super.getSetting(key, x));
  }
}

/** The service's caches never keep a row read before a change to it ended. */
for (const dialect of DIALECTS) {
  describe(`${dialect}: 系统配置 caches`, () => {
    let h: Harness;
    let repo: HeldRepository;
    let config: ConfigService;

    beforeAll(async () => {
      h = await startHarness(dialect);
      await configureWorld(h);
      const s = h.station.services;
      repo = new HeldRepository(s.db.db);
      config = new ConfigService(repo, s.audit, s.db, () => h.clock.now);
    });
    afterAll(async () => h?.close());

    it('a lane read before it was enabled answers as read but is not remembered', async () => {
      const release = repo.holdNextRead();
      const stale = config.requireLane(TEST_WORLD.disabledLaneId);
      await config.setLaneEnabled(TEST_WORLD.disabledLaneId, true, 'test-setup');
      release();
      expect((await stale).handheld_enabled).toBe(0);
      expect((await config.requireEnabledLane(TEST_WORLD.disabledLaneId)).handheld_enabled).toBe(1);
    });

    it('a terminal read before its PSAM was unbound is not remembered', async () => {
      await config.setTerminalPsam(TEST_WORLD.terminalId, TEST_WORLD.psam, 'test-setup'); // empties the cache
      const release = repo.holdNextRead();
      const stale = config.requireTerminal(TEST_WORLD.terminalId);
      await config.setTerminalPsam(TEST_WORLD.terminalId, null, 'test-setup');
      release();
      expect((await stale).psam_terminal_no).toBe(TEST_WORLD.psam);
      await expect(config.requireTerminal(TEST_WORLD.terminalId)).rejects.toMatchObject({
        code: 'STN_ERR_CONFIG_PSAM_UNBOUND',
      });
      await config.setTerminalPsam(TEST_WORLD.terminalId, TEST_WORLD.psam, 'test-setup');
    });

    it('the station read before it was renamed is not remembered', async () => {
      const station = (await config.station()) ?? { stationId: '', stationHex: '', name: '' };
      await config.putStation(station, 'test-setup'); // empties the cache
      const release = repo.holdNextRead();
      const stale = config.station();
      await config.putStation({ ...station, name: '改名站 (TEST)' }, 'test-setup');
      release();
      expect((await stale)?.name).toBe(station.name);
      expect((await config.station())?.name).toBe('改名站 (TEST)');
    });
  });
}
