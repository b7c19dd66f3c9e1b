import { isLaneHex, isStationHex, parseLaneId, parsePlazaId } from '@tollpad/domain';
import type { OpenedDatabase } from '../db/dialect/types';
import type { LaneRow } from '../db/schema';
import { StationError } from '../errors';
import {
  type ConfigRepository,
  type LaneView,
  NO_PSAM,
  type PlazaRow,
  type TerminalRow,
} from '../repositories/config.repository';
import type { Executor } from '../repositories/executor';
import { ReadThroughCache } from '../repositories/read-through-cache';
import { serialise } from '../repositories/serialised';
import type { AuditService } from './audit.service';

export interface StationInfo {
  stationId: string;
  stationHex: string;
  name: string;
}

/** The station's plazas, lanes (enabled for handheld linkage or not), terminals and identity. */
export class ConfigService {
  /**
   * Lanes, terminals (read on every 【读卡】 and debit intent) and the station's identity change rarely and
   * only through this service: cached, and forgotten before and after every write.
   */
  private readonly laneCache = new ReadThroughCache<string, LaneRow>();
  private readonly terminalCache = new ReadThroughCache<string, TerminalRow>();
  private readonly stationCache = new ReadThroughCache<'station', StationInfo>();

  constructor(
    private readonly repo: ConfigRepository,
    private readonly audit: AuditService,
    private readonly db: OpenedDatabase,
    private readonly now: () => Date,
  ) {}

  async putPlaza(p: { id: string; name: string }, actor: string): Promise<PlazaRow> {
    const parsed = parsePlazaId(p.id);
    if (!parsed.ok) throw new StationError('STN_ERR_CONFIG_INVALID_ID', parsed.error.reason);
    const row: PlazaRow = { id: p.id, station_id: p.id.slice(0, 14), name: p.name, created_at: this.iso() };
    await this.db.db.transaction().execute(async (t) => {
      const before = await this.repo.findPlaza(p.id, t);
      await this.repo.upsertPlaza(row, t);
      await this.audit.record(
        {
          actor,
          action: 'config.plaza',
          target: p.id,
          detail: { before: before ? { name: before.name } : null, after: { name: p.name } },
        },
        t,
      );
    });
    return (await this.repo.findPlaza(p.id)) ?? row;
  }

  listPlazas(): Promise<PlazaRow[]> {
    return this.repo.listPlazas();
  }

  async putLane(l: { id: string; hex: string; name: string }, actor: string): Promise<LaneRow> {
    const parsed = parseLaneId(l.id);
    if (!parsed.ok) throw new StationError('STN_ERR_CONFIG_INVALID_ID', parsed.error.reason);
    if (!isLaneHex(l.hex))
      throw new StationError('STN_ERR_CONFIG_INVALID_ID', 'hex: 车道HEX应为10位十六进制');
    const plazaId = l.id.slice(0, 18);
    const at = this.iso();
    this.forget();
    await this.db.db.transaction().execute(async (t) => {
      if (!(await this.repo.findPlaza(plazaId, t)))
        throw new StationError('STN_ERR_CONFIG_PLAZA_NOT_FOUND', plazaId);
      const before = await this.repo.findLane(l.id, t);
      // A new lane starts disabled: linkage is switched on deliberately (启用出口车道).
      await this.repo.upsertLane(
        {
          id: l.id,
          plaza_id: plazaId,
          hex: l.hex,
          name: l.name,
          handheld_enabled: 0,
          updated_at: at,
          enabled_by: null,
        },
        t,
      );
      await this.audit.record(
        {
          actor,
          action: 'config.lane',
          target: l.id,
          detail: {
            before: before ? { hex: before.hex, name: before.name } : null,
            after: { hex: l.hex, name: l.name },
          },
        },
        t,
      );
    });
    this.forget();
    return this.requireLane(l.id);
  }

  /**
   * 启用/停用出口车道. The last enabled lane cannot be disabled (collectors would have nowhere to work).
   * Disabling a lane with transactions open on it is allowed: no new transaction starts there (【读卡】
   * checks the lane), while the open ones finish — one may already have debited its card, and refusing its
   * record would break "every debit has exactly one record". Their IDs come back and go into the audit.
   * Switching a lane to the state it is in changes nothing (no write, no audit; it still names its open
   * transactions).
   */
  async setLaneEnabled(
    id: string,
    enabled: boolean,
    actor: string,
  ): Promise<{ lane: LaneRow; openTxns: string[] }> {
    this.forget();
    const openTxns = await this.db.db.transaction().execute(async (t) => {
      await serialise(this.db.ops, t, 'lanes.enabled');
      const before = await this.repo.findLane(id, t);
      if (!before) throw new StationError('STN_ERR_CONFIG_LANE_NOT_FOUND', id);
      const open = enabled ? [] : await this.repo.openTxnIds(id, t);
      if ((before.handheld_enabled === 1) === enabled) return open;
      if (!enabled && (await this.repo.countEnabledLanesBut(id, t)) === 0)
        throw new StationError('STN_ERR_CONFIG_LAST_LANE', id);
      await this.repo.setLaneEnabled(id, enabled, actor, this.iso(), t);
      await this.audit.record(
        {
          actor,
          action: 'config.lane.enable',
          target: id,
          detail: {
            enabled,
            before: { enabled: before.handheld_enabled === 1 },
            after: { enabled },
            ...(open.length > 0 ? { openTxns: open } : {}),
          },
        },
        t,
      );
      return open;
    });
    this.forget();
    return { lane: await this.requireLane(id), openTxns };
  }

  listLanes(): Promise<LaneRow[]> {
    return this.repo.listLanes();
  }

  /** Lanes with who last switched each (for 系统配置). */
  listLaneViews(): Promise<LaneView[]> {
    return this.repo.listLaneViews();
  }

  async requireLane(id: string): Promise<LaneRow> {
    const lane = await this.laneCache.read(id, () => this.repo.findLane(id));
    if (!lane) throw new StationError('STN_ERR_CONFIG_LANE_NOT_FOUND', id);
    return lane;
  }

  /** A lane a collector may link to: it exists and is enabled for handheld linkage. */
  async requireEnabledLane(id: string): Promise<LaneRow> {
    const lane = await this.requireLane(id);
    if (lane.handheld_enabled !== 1) throw new StationError('STN_ERR_CONFIG_LANE_DISABLED', id);
    return lane;
  }

  /** Registers a handheld (or changes it) with its PSAM; a PSAM bound to another handheld is refused. */
  async putTerminal(
    t: { id: string; psamTerminalNo: string; description: string; enabled: boolean },
    actor: string,
  ): Promise<TerminalRow> {
    const row: TerminalRow = {
      id: t.id,
      psam_terminal_no: t.psamTerminalNo.toUpperCase(),
      description: t.description,
      enabled: t.enabled ? 1 : 0,
      updated_at: this.iso(),
    };
    this.forget();
    await this.psamWrite(row.psam_terminal_no, async (x) => {
      await this.refuseBoundElsewhere(row.psam_terminal_no, t.id, x);
      const before = await this.repo.findTerminal(t.id, x);
      await this.repo.upsertTerminal(row, x);
      await this.audit.record(
        {
          actor,
          action: 'config.terminal',
          target: t.id,
          detail: {
            psam: row.psam_terminal_no,
            enabled: t.enabled,
            before: before ? terminalFacts(before) : null,
            after: terminalFacts(row),
          },
        },
        x,
      );
    });
    this.forget();
    return row;
  }

  /** Binds a PSAM (its terminal number) to a handheld; `null` unbinds: the handheld cannot collect until bound. */
  async setTerminalPsam(id: string, psamTerminalNo: string | null, actor: string): Promise<TerminalRow> {
    const psam = psamTerminalNo?.toUpperCase() ?? NO_PSAM;
    this.forget();
    await this.psamWrite(psam, async (x) => {
      const before = await this.repo.findTerminal(id, x);
      if (!before) throw new StationError('STN_ERR_CONFIG_TERMINAL_NOT_FOUND', id);
      if (psam !== NO_PSAM) await this.refuseBoundElsewhere(psam, id, x);
      await this.repo.setTerminalPsam(id, psam, this.iso(), x);
      await this.audit.record(
        {
          actor,
          action: psam === NO_PSAM ? 'config.terminal.unbind' : 'config.terminal.bind',
          target: id,
          detail: {
            before: terminalFacts(before),
            after: terminalFacts({ ...before, psam_terminal_no: psam }),
          },
        },
        x,
      );
    });
    this.forget();
    const row = await this.repo.findTerminal(id);
    if (!row) throw new StationError('STN_ERR_CONFIG_TERMINAL_NOT_FOUND', id);
    return row;
  }

  /**
   * A terminal write, one at a time with the other PSAM bindings; the unique index on bound PSAMs refuses
   * a second binding that got past the lookup anyway (another process on the same database).
   */
  private async psamWrite(psam: string, write: (x: Executor) => Promise<void>): Promise<void> {
    try {
      await this.db.db.transaction().execute(async (x) => {
        await serialise(this.db.ops, x, 'terminals.psam');
        await write(x);
      });
    } catch (e) {
      if (this.db.ops.isUniqueViolation(e))
        throw new StationError('STN_ERR_CONFIG_PSAM_BOUND', `PSAM ${psam}`);
      throw e;
    }
  }

  private async refuseBoundElsewhere(psam: string, id: string, x: Executor): Promise<void> {
    const holder = await this.repo.findTerminalByPsam(psam, id, x);
    if (holder) throw new StationError('STN_ERR_CONFIG_PSAM_BOUND', `PSAM ${psam} → ${holder.id}`);
  }

  listTerminals(): Promise<TerminalRow[]> {
    return this.repo.listTerminals();
  }

  async requireTerminal(id: string | null): Promise<TerminalRow> {
    const t = id ? await this.terminalCache.read(id, () => this.repo.findTerminal(id)) : undefined;
    if (t?.enabled !== 1) throw new StationError('STN_ERR_CONFIG_TERMINAL_NOT_FOUND', id ?? '');
    if (t.psam_terminal_no === NO_PSAM) throw new StationError('STN_ERR_CONFIG_PSAM_UNBOUND', t.id);
    return t;
  }

  async putStation(s: StationInfo, actor: string): Promise<StationInfo> {
    if (!/^.{14}$/.test(s.stationId))
      throw new StationError('STN_ERR_CONFIG_INVALID_ID', 'stationId: 收费站编号应为14位');
    if (!isStationHex(s.stationHex))
      throw new StationError('STN_ERR_CONFIG_INVALID_ID', 'stationHex: 应为8位十六进制');
    this.forget();
    await this.db.db.transaction().execute(async (t) => {
      const before = await this.repo.getSetting('station', t);
      await this.repo.putSetting('station', JSON.stringify(s), this.iso(), t);
      await this.audit.record(
        {
          actor,
          action: 'config.station',
          target: 'station',
          detail: { before: before ? (JSON.parse(before) as StationInfo) : null, after: { ...s } },
        },
        t,
      );
    });
    this.forget();
    return s;
  }

  async station(): Promise<StationInfo | undefined> {
    return this.stationCache.read('station', async () => {
      const v = await this.repo.getSetting('station');
      return v ? (JSON.parse(v) as StationInfo) : undefined;
    });
  }

  /** Drops every cached lane, terminal and the station; reads in flight keep nothing. */
  private forget(): void {
    this.laneCache.forget();
    this.terminalCache.forget();
    this.stationCache.forget();
  }

  private iso(): string {
    return this.now().toISOString();
  }
}

function terminalFacts(t: TerminalRow): { psam: string | null; enabled: boolean; description: string } {
  return {
    psam: t.psam_terminal_no === NO_PSAM ? null : t.psam_terminal_no,
    enabled: t.enabled === 1,
    description: t.description,
  };
}
