import { prepareExits } from './bench-prepare';
import { httpClient } from './testing/http-client';
import { type PreparedExit, SimHandheld, type VehicleSpec } from './testing/sim-handheld';

/**
 * The station benchmark's load generator as a separate process (forked by bench.ts): 50 simulated
 * handhelds over real HTTP or HTTPS, so the station's process spends its CPU on the station only and the
 * handhelds' card work and HTTP client run on the other core, as on a plaza.
 */
export interface ClientJob {
  baseUrl: string;
  /** An https station: its CA certificate (PEM), the only one the handhelds trust. */
  ca?: string;
  /** Each handheld's session, PSAM terminal number and lane. */
  handhelds: { token: string; psam: string; laneId: string }[];
  /** The station's clock during the run (the harness's fixed test time): the handhelds' purchase datetime. */
  clockIso: string;
  /** Vehicle template; serials are allocated from `firstSerial`, skipping `skipSerial` (a listed card). */
  vehicle: Omit<VehicleSpec, 'serial' | 'cardType' | 'entryTime'> & { entryTime: string };
  firstSerial: number;
  skipSerial: number;
  fee: number;
  warmupPerHandheld: number;
  exitsPerHandheld: number;
  /**
   * Open loop: the measured exits start on a fixed schedule at this rate (staggered over the handhelds)
   * instead of back to back, so commit latency is measured at a given load rather than at saturation. A
   * handheld still runs one exit at a time: one that falls behind starts its next exit at once, late.
   */
  paceExitsPerSecond?: number;
}

export type ClientMessage =
  | { kind: 'ready' }
  | { kind: 'runtime'; version: string }
  | {
      kind: 'done';
      commitMs: number[];
      /** 【提交数据】 → result: debit intent through commit. */
      submitMs: number[];
      seconds: number;
      failures: number;
      cpuMs: number;
      /** Paced runs: how late each exit started against its schedule (ms). */
      lateMs: number[];
    }
  | { kind: 'error'; message: string };

async function run(job: ClientJob): Promise<void> {
  const http = httpClient(job.baseUrl, job.handhelds.length + 4, job.ca);
  const clock = new Date(job.clockIso);
  const hhs = job.handhelds.map((h) => new SimHandheld(http.call, h.token, h.laneId, h.psam, () => clock));
  let serial = job.firstSerial;
  const vehicle = (): VehicleSpec => {
    if (serial === job.skipSerial) serial++;
    const s = serial++;
    return {
      ...job.vehicle,
      serial: s,
      cardType: s % 2 === 0 ? 'stored-value' : 'account',
      entryTime: new Date(job.vehicle.entryTime),
    };
  };
  const prepare = (n: number) => prepareExits(hhs, n, vehicle, job.fee);
  let failures = 0;
  const lateMs: number[] = [];
  const runAll = (
    batches: PreparedExit[][],
    hooks: { onCommitTime?: (ms: number) => void; onSubmitTime?: (ms: number) => void } = {},
    pace?: number,
  ) => {
    const t0 = performance.now();
    return Promise.all(
      batches.map(async (mine, i) => {
        const hh = hhs[i] as SimHandheld;
        for (const [k, x] of mine.entries()) {
          if (pace) {
            const due = t0 + ((k * batches.length + i) * 1000) / pace;
            const wait = due - performance.now();
            if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
            lateMs.push(Math.max(0, performance.now() - due));
          }
          try {
            await hh.runPrepared(x, hooks);
          } catch {
            failures++;
          }
        }
      }),
    );
  };
  await runAll(await prepare(job.warmupPerHandheld));
  const batches = await prepare(job.exitsPerHandheld);
  failures = 0;
  await new Promise<void>((resolve) => {
    process.once('message', () => resolve());
    send({ kind: 'ready' });
  });
  const commitMs: number[] = [];
  const submitMs: number[] = [];
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await runAll(
    batches,
    { onCommitTime: (ms) => commitMs.push(ms), onSubmitTime: (ms) => submitMs.push(ms) },
    job.paceExitsPerSecond,
  );
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  await http.close();
  send({ kind: 'done', commitMs, submitMs, seconds, failures, cpuMs: (c.user + c.system) / 1000, lateMs });
}

function send(m: ClientMessage): void {
  // After the result, the IPC channel closes and this process exits on its own.
  process.send?.(m, () => {
    if (m.kind !== 'ready') process.disconnect();
  });
}

// 'runtime' asks which Node runs this child (tests check every process runs the pinned runtime).
process.on('message', function first(m: ClientJob | 'runtime') {
  if (m === 'runtime') {
    process.send?.({ kind: 'runtime', version: process.version } satisfies ClientMessage);
    return;
  }
  process.off('message', first);
  run(m).catch((e: unknown) => send({ kind: 'error', message: String(e) }));
});
