import type { BarrierState, BarrierStateMessage, LaneStatus } from './payloads';

/**
 * The station's view of each linked lane (pure; time is passed in). Following IRIS gate arms, a lane
 * whose link is not confirmed is shown UNKNOWN, never with its last known barrier state, because a
 * barrier we cannot hear from may be open.
 */

/** online: heartbeats arrive; offline: the lane said so (Last Will or shutdown); silent: heartbeats
 * stopped; no-broker: the station itself lost the broker; never: nothing heard since start. */
export type LinkCondition = 'online' | 'offline' | 'silent' | 'no-broker' | 'never';

export interface LaneLinkSnapshot {
  readonly laneId: string;
  readonly link: LinkCondition;
  /** What the monitor shows: the lane's own barrier state only while the link is online. */
  readonly monitorState: BarrierState;
  /** Last barrier state the lane reported, kept for diagnosis; not to be shown as current when offline. */
  readonly lastReported?: BarrierStateMessage;
  /** Station clock (ms) when the link condition last changed. */
  readonly sinceMs: number;
  /** Station clock (ms) of the last status/heartbeat received. */
  readonly lastSeenMs?: number;
  readonly heartbeatMs: number;
}

export interface LinkTrackerOptions {
  /** Missed heartbeats before the link counts as lost [P]: 3, as MQTT keep-alive uses 1.5 periods. */
  readonly missedBeats?: number;
  /** Heartbeat assumed until the lane announces its own period [P]. */
  readonly defaultHeartbeatMs?: number;
}

interface Entry {
  link: LinkCondition;
  sinceMs: number;
  lastSeenMs?: number;
  heartbeatMs: number;
  lastReported?: BarrierStateMessage;
}

export class LinkTracker {
  private readonly lanes = new Map<string, Entry>();
  private readonly missedBeats: number;
  private readonly defaultHeartbeatMs: number;

  constructor(options: LinkTrackerOptions = {}) {
    this.missedBeats = options.missedBeats ?? 3;
    this.defaultHeartbeatMs = options.defaultHeartbeatMs ?? 5_000;
  }

  /** Starts tracking a lane (UNKNOWN until heard from). */
  watch(laneId: string, nowMs: number): LaneLinkSnapshot {
    return this.snapshotOf(laneId, this.entry(laneId, nowMs));
  }

  get(laneId: string): LaneLinkSnapshot | undefined {
    const e = this.lanes.get(laneId);
    return e ? this.snapshotOf(laneId, e) : undefined;
  }

  all(): LaneLinkSnapshot[] {
    return [...this.lanes.entries()].map(([laneId, e]) => this.snapshotOf(laneId, e));
  }

  /** A status message (retained replay, heartbeat or Last Will). Returns the snapshot if the view changed. */
  onStatus(laneId: string, status: LaneStatus, nowMs: number): LaneLinkSnapshot | undefined {
    const e = this.entry(laneId, nowMs);
    if (status.status === 'online') {
      e.heartbeatMs = status.heartbeatMs;
      e.lastSeenMs = nowMs;
      return this.setLink(laneId, e, 'online', nowMs);
    }
    return this.setLink(laneId, e, 'offline', nowMs);
  }

  /** A barrier state report. Returns the snapshot if what the monitor shows changed. */
  onBarrierState(laneId: string, message: BarrierStateMessage, nowMs: number): LaneLinkSnapshot | undefined {
    const e = this.entry(laneId, nowMs);
    const before = this.monitorState(e);
    e.lastReported = message;
    return this.monitorState(e) !== before ? this.snapshotOf(laneId, e) : undefined;
  }

  /** The station lost its broker connection: every lane becomes UNKNOWN until it is heard again. */
  onBrokerDown(nowMs: number): LaneLinkSnapshot[] {
    const changed: LaneLinkSnapshot[] = [];
    for (const [laneId, e] of this.lanes) {
      const s = this.setLink(laneId, e, 'no-broker', nowMs);
      if (s) changed.push(s);
    }
    return changed;
  }

  /** Heartbeat check; call periodically. Returns lanes that just went silent. */
  tick(nowMs: number): LaneLinkSnapshot[] {
    const changed: LaneLinkSnapshot[] = [];
    for (const [laneId, e] of this.lanes) {
      if (e.link !== 'online' || e.lastSeenMs === undefined) continue;
      if (nowMs - e.lastSeenMs > e.heartbeatMs * this.missedBeats) {
        const s = this.setLink(laneId, e, 'silent', nowMs);
        if (s) changed.push(s);
      }
    }
    return changed;
  }

  private entry(laneId: string, nowMs: number): Entry {
    let e = this.lanes.get(laneId);
    if (!e) {
      e = { link: 'never', sinceMs: nowMs, heartbeatMs: this.defaultHeartbeatMs };
      this.lanes.set(laneId, e);
    }
    return e;
  }

  private setLink(
    laneId: string,
    e: Entry,
    link: LinkCondition,
    nowMs: number,
  ): LaneLinkSnapshot | undefined {
    if (e.link === link) return undefined;
    e.link = link;
    e.sinceMs = nowMs;
    return this.snapshotOf(laneId, e);
  }

  private monitorState(e: Entry): BarrierState {
    return e.link === 'online' && e.lastReported ? e.lastReported.state : 'UNKNOWN';
  }

  private snapshotOf(laneId: string, e: Entry): LaneLinkSnapshot {
    return {
      laneId,
      link: e.link,
      monitorState: this.monitorState(e),
      sinceMs: e.sinceMs,
      heartbeatMs: e.heartbeatMs,
      ...(e.lastReported ? { lastReported: e.lastReported } : {}),
      ...(e.lastSeenMs !== undefined ? { lastSeenMs: e.lastSeenMs } : {}),
    };
  }
}
