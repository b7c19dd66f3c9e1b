import type { Handheld } from './handheld';
import type { PlazaDayOptions } from './options';
import { dayProfile, vehicleFault } from './plan';
import type { Prng } from './prng';
import { sleep } from './processes';
import type { VehicleResult } from './served-vehicle';
import { makeVehicle, type VehicleWorld } from './vehicles';

/**
 * The day's traffic: every handheld serves vehicles one after another until the day's vehicles are
 * issued, its time is up, or it is stopped. Each vehicle (and the fault it meets) comes from its own
 * seeded stream, so the seed fixes them whichever handheld serves it; with a rate, arrivals are a Poisson
 * process shaped by the day profile.
 */
export class Traffic {
  issued = 0;
  completed = 0;
  debited = 0;
  readonly results: VehicleResult[] = [];
  /** Latencies since the sampler last took them. */
  readonly recent: number[] = [];
  private readonly listedUsed = { next: 0 };
  private readonly arrivalRng: Prng;
  private nextArrival = 0;

  constructor(
    private readonly o: PlazaDayOptions,
    private readonly root: Prng,
    private readonly world: VehicleWorld,
    private readonly stopping: () => boolean,
    private readonly log: (line: string) => void,
  ) {
    this.arrivalRng = root.fork(0xa11);
  }

  /** Runs the traffic through `handhelds` until it is over. */
  async drive(handhelds: readonly Handheld[]): Promise<void> {
    const dayT0 = Date.now();
    const deadline = dayT0 + this.o.duration * 1000;
    await Promise.all(handhelds.map((h) => this.worker(h, dayT0, deadline)));
  }

  private async worker(h: Handheld, dayT0: number, deadline: number): Promise<void> {
    const o = this.o;
    for (;;) {
      if (this.stopping() || this.issued >= o.exits || Date.now() > deadline) return;
      const index = this.issued++;
      const vrng = this.root.fork(0x1000 + index);
      const vehicle = makeVehicle(index, vrng, o.mix, this.world, this.listedUsed);
      const fault = vehicleFault(vrng, o);
      if (o.rate > 0) {
        const rate = o.rate * dayProfile(index / o.exits);
        this.nextArrival += -Math.log(1 - this.arrivalRng.next()) / rate;
        const wait = dayT0 + this.nextArrival * 1000 - Date.now();
        if (wait > 0) await sleep(wait);
      }
      const r = await h.serve(vehicle, fault, vrng);
      this.results.push(r);
      this.completed++;
      if (r.outcome === 'debited') this.debited++;
      this.recent.push(r.latencyMs);
      if (r.outcome === 'failed') this.log(`vehicle ${r.index} (${r.caseId}) failed: ${r.error}`);
    }
  }
}
