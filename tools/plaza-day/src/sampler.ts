import type { FaultLog } from './fault-log';
import { sleep } from './processes';
import type { Traffic } from './traffic';

/** One second of the day, for the report's charts. */
export interface Sample {
  /** Seconds since the start of the day. */
  t: number;
  completed: number;
  debited: number;
  /** Outbox backlog at the station (null while it is down). */
  backlog: number | null;
  p50: number | null;
  p95: number | null;
}

/** The station's outbox backlog from its metrics; null while it does not answer. */
async function backlogNow(stationUrl: string): Promise<number | null> {
  try {
    const text = await fetch(`${stationUrl}/metrics`, { signal: AbortSignal.timeout(3000) }).then((r) =>
      r.text(),
    );
    const m = text.match(/^tollpad_station_outbox_backlog (\d+)/m);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Samples the day every second (throughput, latency quantiles of the vehicles finished since the last
 * sample, outbox backlog) and logs progress every 15 s, until stopped.
 */
export class Sampler {
  readonly samples: Sample[] = [];
  private sampling = true;
  private readonly loop: Promise<void>;
  private readonly progress: ReturnType<typeof setInterval>;

  constructor(
    private readonly stationUrl: string,
    private readonly traffic: Traffic,
    private readonly now: () => number,
    exits: number,
    faults: FaultLog,
    log: (line: string) => void,
  ) {
    this.loop = this.run();
    this.progress = setInterval(() => {
      const s = this.samples.at(-1);
      log(
        `t=${now().toFixed(0)}s exits ${traffic.completed}/${exits} debited ${traffic.debited} backlog ${s?.backlog ?? '-'} faults ${[...faults.injected.entries()].map(([k, v]) => `${k}:${v}`).join(' ')}`,
      );
    }, 15_000);
  }

  private async run(): Promise<void> {
    while (this.sampling) {
      await sleep(1000);
      const lat = this.traffic.recent.splice(0).sort((a, b) => a - b);
      const q = (p: number) =>
        lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]! : null;
      this.samples.push({
        t: this.now(),
        completed: this.traffic.completed,
        debited: this.traffic.debited,
        backlog: await backlogNow(this.stationUrl),
        p50: q(0.5),
        p95: q(0.95),
      });
    }
  }

  async stop(): Promise<void> {
    this.sampling = false;
    await this.loop;
    clearInterval(this.progress);
  }
}
