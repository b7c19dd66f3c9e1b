import type { CpcDamage } from '@tollpad/card/sim';
import type { MediumId } from './mix';
import type { PlazaDayOptions } from './options';
import { faultPositions } from './plan';
import type { Prng } from './prng';

/**
 * The CPC faults of a mixed day (issue #23), each kind's count spread over the day at seeded points as the
 * payment faults are: a CPC torn at a step of the exit write (one of the 5 card APDUs of CpcExit.close(),
 * before or after the card ran it), or a CPC that cannot be read at all (damaged: the no-card path).
 */
export type CpcFault =
  | {
      kind: 'cpc-tear';
      /** The card APDU of the exit write the field is cut at (1..5: select, challenge, auth, update, read back). */
      nth: number;
      when: 'before' | 'after';
      /** The collector puts the card back in the reader (else the write is not confirmed: special 523). */
      putBack: boolean;
    }
  | { kind: 'cpc-unreadable'; damage: CpcDamage };

/** [P] APDUs of one exit write (packages/card cpc-exit-tearing.test.ts: an uninterrupted close sends 5). */
const CLOSE_APDUS = 5;
/** [P] share of torn cards the collector puts back before the handheld gives up on the write. */
const PUT_BACK_SHARE = 0.85;

export class CpcFaultPlan {
  private readonly due: { kind: CpcFault['kind']; at: number }[] = [];

  constructor(
    o: PlazaDayOptions,
    private readonly root: Prng,
  ) {
    for (const at of faultPositions(o.cpcTears, o.exits, root.fork(0xc9c_001)))
      this.due.push({ kind: 'cpc-tear', at });
    for (const at of faultPositions(o.cpcUnreadable, o.exits, root.fork(0xc9c_002)))
      this.due.push({ kind: 'cpc-unreadable', at });
    this.due.sort((a, b) => a.at - b.at || a.kind.localeCompare(b.kind));
  }

  get pending(): number {
    return this.due.length;
  }

  /**
   * The CPC fault vehicle `index` meets, if any: a tear for any vehicle that hands a CPC back (CPC, green
   * channel, arrears), an unreadable card for a plain CPC vehicle (it then pays as one with no card).
   */
  take(index: number, medium: MediumId): CpcFault | null {
    const i = this.due.findIndex(
      (d) =>
        d.at <= index &&
        (d.kind === 'cpc-tear' ? ['cpc', 'green', 'arrears'].includes(medium) : medium === 'cpc'),
    );
    if (i < 0) return null;
    const [d] = this.due.splice(i, 1);
    const rng = this.root.fork(0xc9d_000 + index);
    return d!.kind === 'cpc-tear'
      ? {
          kind: 'cpc-tear',
          nth: rng.int(1, CLOSE_APDUS),
          when: rng.chance(0.5) ? 'before' : 'after',
          putBack: rng.chance(PUT_BACK_SHARE),
        }
      : { kind: 'cpc-unreadable', damage: rng.chance(0.5) ? 'error' : 'mute' };
  }
}
