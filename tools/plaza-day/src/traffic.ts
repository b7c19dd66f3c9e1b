import { type ArrearsVehicle, makeArrearsVehicle } from './arrears-vehicles';
import { CpcFaultPlan } from './cpc-faults';
import { makeCpcVehicle, makeGreenVehicle } from './cpc-vehicles';
import type { Handheld } from './handheld';
import { drawShare, MEDIA, type MediumId } from './mix';
import { makeNoneVehicle } from './none-vehicles';
import type { PlazaDayOptions } from './options';
import { PaymentFaultPlan } from './payment-faults';
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
  /** Vehicles that paid at the handheld (cash or QR). */
  paid = 0;
  readonly results: VehicleResult[] = [];
  /** Latencies since the sampler last took them. */
  readonly recent: number[] = [];
  private readonly listedUsed = { next: 0 };
  private readonly arrivalRng: Prng;
  /** Which vehicles meet a payment fault (a mixed day). */
  readonly paymentFaults: PaymentFaultPlan;
  /** Which vehicles' CPCs are torn or unreadable (a mixed day). */
  readonly cpcFaults: CpcFaultPlan;
  private nextArrival = 0;

  constructor(
    private readonly o: PlazaDayOptions,
    private readonly root: Prng,
    private readonly world: VehicleWorld,
    private readonly stopping: () => boolean,
    private readonly log: (line: string) => void,
  ) {
    this.arrivalRng = root.fork(0xa11);
    this.paymentFaults = new PaymentFaultPlan(o, root);
    this.cpcFaults = new CpcFaultPlan(o, root);
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
      // The medium from a stream of its own: an ETC vehicle of a mixed day is the one of an ETC-only day.
      const medium = mediumOf(o, this.root, index);
      const serve = this.vehicleAt(h, medium, index, vrng);
      if (o.rate > 0) {
        const rate = o.rate * dayProfile(index / o.exits);
        this.nextArrival += -Math.log(1 - this.arrivalRng.next()) / rate;
        const wait = dayT0 + this.nextArrival * 1000 - Date.now();
        if (wait > 0) await sleep(wait);
      }
      const r = await serve();
      if (h.shift) r.shiftId = h.shift;
      this.results.push(r);
      this.completed++;
      if (r.outcome === 'debited') this.debited++;
      if (r.outcome === 'paid' || r.outcome === 'free') this.paid++;
      this.recent.push(r.latencyMs);
      if (r.outcome === 'failed') this.log(`vehicle ${r.index} (${r.caseId}) failed: ${r.error}`);
    }
  }

  /** The vehicle (and the fault it meets) drawn now, served when it arrives. */
  private vehicleAt(h: Handheld, medium: MediumId, index: number, vrng: Prng): () => Promise<VehicleResult> {
    if (medium === 'cpc') {
      const v = makeCpcVehicle(index, vrng, this.o.pay);
      const f = this.paymentFaults.take(index, medium, v);
      if (f) v.paymentFault = f;
      const cf = this.cpcFaults.take(index, medium);
      if (cf) v.cpcFault = cf;
      return () => h.serveCpc(v, this.world, vrng);
    }
    if (medium === 'green') {
      const v = makeGreenVehicle(index, vrng, this.o.pay);
      const cf = this.cpcFaults.take(index, medium);
      if (cf) v.cpcFault = cf;
      return () => h.serveCpc(v, this.world, vrng);
    }
    if (medium === 'none') {
      const v = makeNoneVehicle(index, vrng, this.o.pay);
      const f = this.paymentFaults.take(index, medium, v);
      if (f) v.paymentFault = f;
      return () => h.serveNone(v, this.world, vrng);
    }
    if (medium === 'arrears') {
      const v = makeArrearsVehicle(index, vrng, this.o.pay, this.o.seed);
      const cf = this.cpcFaults.take(index, medium);
      if (cf) v.cpcFault = cf;
      return () => h.serveArrears(v, this.world, vrng);
    }
    const vehicle = makeVehicle(index, vrng, this.o.mix, this.world, this.listedUsed);
    const fault = vehicleFault(vrng, this.o);
    return () => h.serve(vehicle, fault, vrng);
  }
}

/** What vehicle `index` carries: from a stream of its own, so an ETC vehicle of a mixed day is the one of an ETC-only day. */
export function mediumOf(o: PlazaDayOptions, root: Prng, index: number): MediumId {
  return o.media ? drawShare(root.fork(0x2000_0000 + index), MEDIA, o.media) : 'etc';
}

/** The day's arrears vehicles, drawn as the traffic will draw them (their entries go to the centre first). */
export function arrearsVehicles(o: PlazaDayOptions, root: Prng): ArrearsVehicle[] {
  if (!o.media || o.media.arrears <= 0) return [];
  const out: ArrearsVehicle[] = [];
  for (let index = 0; index < o.exits; index++) {
    if (mediumOf(o, root, index) === 'arrears')
      out.push(makeArrearsVehicle(index, root.fork(0x1000 + index), o.pay, o.seed));
  }
  return out;
}
