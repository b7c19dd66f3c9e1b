import type { PlateColour } from '@tollpad/domain';
import {
  type BarrierCommand,
  type BarrierResultInput,
  type BarrierStateInput,
  checkTradeIdForLane,
  type DisplayMessage,
  type LinkageResult,
  type VehicleInput,
} from '@tollpad/linkage';
import { BarrierDriver, type BarrierTimings, realScheduler, type Scheduler } from './barrier-driver';
import type { BarrierSnapshot } from './barrier-machine';
import { FeeDisplay } from './fee-display';

/** What the controller needs from the MQTT link (LaneEndpoint provides it; tests may fake it). */
export interface LaneUplink {
  publishBarrierState(state: BarrierStateInput): Promise<LinkageResult<void>>;
  publishVehicle(event: VehicleInput): Promise<LinkageResult<void>>;
  publishResult(result: BarrierResultInput): Promise<LinkageResult<void>>;
}

export interface LaneControllerOptions {
  readonly laneId: string;
  readonly uplink: LaneUplink;
  readonly timings: BarrierTimings;
  readonly write: (line: string) => void;
  readonly scheduler?: Scheduler;
  readonly now?: () => Date;
  /**
   * Commands older than this are refused [P]: a QoS 1 command queued during an outage must not open the
   * arm for a vehicle that has long gone. Needs NTP-synchronised clocks; 0 disables the check.
   */
  readonly maxCommandAgeMs?: number;
  /** How many served trade IDs are remembered for idempotency [P]. */
  readonly rememberTrades?: number;
}

export interface VehicleArrival {
  readonly plate?: string;
  readonly plateColour?: PlateColour;
  readonly imageRef?: string;
}

/**
 * A lane controller: the barrier driver, the fee display and the rules for commands. The barrier opens
 * only for an `open` carrying a trade ID of this very lane, once per trade ID.
 */
export class LaneController {
  readonly laneId: string;
  readonly display: FeeDisplay;
  private readonly barrier: BarrierDriver;
  private readonly served = new Map<string, true>();
  private readonly now: () => Date;
  private detectionSeq = 0;
  private currentDetection: string | undefined;

  constructor(private readonly options: LaneControllerOptions) {
    this.laneId = options.laneId;
    this.now = options.now ?? (() => new Date());
    const label = `车道${options.laneId.slice(-3, -1)}`;
    this.display = new FeeDisplay(label, options.write);
    this.barrier = new BarrierDriver(
      options.timings,
      (next) => {
        options.write(`[${label} 道闸] ${next.state}${next.fault ? `（${next.fault}）` : ''}`);
        void options.uplink.publishBarrierState(stateMessage(next));
      },
      options.scheduler ?? realScheduler,
    );
  }

  get barrierState(): BarrierSnapshot {
    return this.barrier.snapshot;
  }

  /** Power-on: the simulated arm homes to CLOSED (reported UNKNOWN before that). */
  start(): void {
    void this.options.uplink.publishBarrierState(stateMessage(this.barrier.snapshot));
    this.barrier.dispatch({ type: 'homed' });
  }

  stop(): void {
    this.barrier.stop();
  }

  showDisplay(message: DisplayMessage): string {
    return this.display.show(message);
  }

  /** Applies a barrier command and publishes the answer; returns it too. */
  handleCommand(command: BarrierCommand): BarrierResultInput {
    const result = this.decide(command);
    if (result.outcome === 'refused') {
      this.options.write(
        `[车道${this.laneId.slice(-3, -1)} 道闸] 拒绝${command.action}：${result.reason ?? result.code}`,
      );
    }
    void this.options.uplink.publishResult(result);
    return result;
  }

  /** A vehicle stops at the lane: presence, then the camera's plate (or 默A00000/9 if none). */
  async vehicleArrived(arrival: VehicleArrival = {}): Promise<{ detectionId: string }> {
    const detectionId = `${this.laneId.slice(-10)}-${this.now().getTime()}-${++this.detectionSeq}`;
    this.currentDetection = detectionId;
    await this.options.uplink.publishVehicle({ detectionId, event: 'present' });
    await this.options.uplink.publishVehicle({
      detectionId,
      event: 'captured',
      plate: arrival.plate ?? '默A00000',
      plateColour: arrival.plateColour ?? 9,
      // TEST image reference: the simulator has no camera, only a stable key.
      imageRef: arrival.imageRef ?? `lane-sim://${this.laneId}/${detectionId}.jpg`,
    });
    return { detectionId };
  }

  /** The loop detector saw the vehicle clear the arm. */
  async vehiclePassed(): Promise<void> {
    const tradeId = this.barrier.snapshot.tradeId;
    this.barrier.dispatch({ type: 'vehiclePassed' });
    const detectionId =
      this.currentDetection ?? `${this.laneId.slice(-10)}-${this.now().getTime()}-${++this.detectionSeq}`;
    this.currentDetection = undefined;
    await this.options.uplink.publishVehicle({
      detectionId,
      event: 'passed',
      ...(tradeId ? { tradeId } : {}),
    });
  }

  /** Injected fault (demo and tests). */
  fault(reason: string): void {
    this.barrier.dispatch({ type: 'fault', reason });
  }

  private decide(command: BarrierCommand): BarrierResultInput {
    const base = { commandId: command.commandId, action: command.action } as const;
    const answer = (
      outcome: BarrierResultInput['outcome'],
      code?: string,
      reason?: string,
    ): BarrierResultInput => ({
      ...base,
      ...(command.action === 'open' ? { tradeId: command.tradeId } : {}),
      outcome,
      ...(code ? { code } : {}),
      ...(reason ? { reason } : {}),
      state: this.barrier.snapshot.state,
    });

    const maxAge = this.options.maxCommandAgeMs ?? 30_000;
    if (maxAge > 0 && this.now().getTime() - Date.parse(command.at) > maxAge) {
      return answer('refused', 'COMMAND_STALE', '指令已过期，未执行');
    }
    if (command.action === 'open') {
      const own = checkTradeIdForLane(command.tradeId, this.laneId);
      if (!own.ok) return answer('refused', own.error.code, own.error.reason.slice(0, 64));
      if (this.served.has(command.tradeId)) return answer('duplicate');
      const t = this.barrier.dispatch({ type: 'open', tradeId: command.tradeId });
      if (t.outcome === 'refused') return answer('refused', t.code, t.reason);
      this.remember(command.tradeId);
      return answer(t.outcome === 'changed' ? 'accepted' : 'duplicate');
    }
    const t = this.barrier.dispatch({ type: command.action });
    if (t.outcome === 'refused') return answer('refused', t.code, t.reason);
    return answer(t.outcome === 'changed' ? 'accepted' : 'duplicate');
  }

  private remember(tradeId: string): void {
    this.served.set(tradeId, true);
    const limit = this.options.rememberTrades ?? 10_000;
    // Map keeps insertion order: evict the oldest.
    while (this.served.size > limit) {
      const oldest = this.served.keys().next();
      if (oldest.done) break;
      this.served.delete(oldest.value);
    }
  }
}

function stateMessage(s: BarrierSnapshot): BarrierStateInput {
  return {
    state: s.state,
    ...(s.tradeId ? { tradeId: s.tradeId } : {}),
    ...(s.fault ? { fault: s.fault.slice(0, 64) } : {}),
  };
}
