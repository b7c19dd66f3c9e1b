import { describe, expect, it } from 'vitest';
import { issueTestCpc } from '../sim/test-cpc';
import type { TearPoint } from '../transport/simulated-reader';
import type { CpcCloseResult } from './cpc-exit';
import { type CpcRig, exitFlagsOnCard, makeCpcRig } from './cpc-exit-rig';

const WHEN: readonly TearPoint[] = ['before', 'after'];
/** What the §9 card holds before the exit (entered, radio on) and after it (radio off, exited). */
const ENTERED = '0101';
const EXITED = '0202';

/** The invariant after any interruption: the card is written whole or not at all, and the outcome says which. */
function checkCard(r: CpcRig, out: CpcCloseResult): void {
  const flags = exitFlagsOnCard(r.cpc);
  expect([ENTERED, EXITED]).toContain(flags);
  for (const w of r.cpc.writes) expect(w).toEqual({ file: 'entry', offset: 23, data: EXITED });
  expect(out.verified).toBe(true);
  expect(out.outcome).toBe(flags === EXITED ? 'written' : 'not-written');
  // Bytes 0–22 and 25– keep the entry (cpc-card.md §2.4: the exit writes 23–24 only).
  const entry = r.cpc.file('entry');
  const before = issueTestCpc().file('entry');
  expect([...entry.slice(0, 23), ...entry.slice(25)]).toEqual([...before.slice(0, 23), ...before.slice(25)]);
}

async function readRig(options: Parameters<typeof makeCpcRig>[0] = {}): Promise<CpcRig> {
  const r = await makeCpcRig(options);
  await r.exit.read();
  return r;
}

describe('tearing sweep of the CPC exit write: every card APDU of close() × before/after the card ran it', () => {
  it('an uninterrupted close() sends 5 card APDUs and leaves 02 02', async () => {
    const r = await readRig();
    const sent = r.cardReader.sent.length;
    const out = await r.exit.close();
    expect(r.cardReader.sent.length - sent).toBe(5);
    expect(out).toMatchObject({ outcome: 'written', attempts: 1, recovered: false });
    checkCard(r, out);
  });

  it('one tear anywhere: the card comes back, is re-read and ends written, never half', async () => {
    let cases = 0;
    for (let cut = 1; cut <= 5; cut++) {
      for (const when of WHEN) {
        const r = await readRig();
        r.cardReader.armTear(cut, when);
        const out = await r.exit.close();
        checkCard(r, out);
        expect(out.outcome).toBe('written');
        expect(r.cpc.writes.length).toBeLessThanOrEqual(2);
        // UPDATE torn after the commit, or the read-back torn: the re-read finds the write, no second one.
        const landed = (cut === 4 && when === 'after') || cut === 5;
        expect([out.recovered, out.attempts, r.cpc.writes.length]).toEqual(
          landed ? [true, 1, 1] : [false, 2, 1],
        );
        // The re-read powered the card up again: it reports the radio off (informative only).
        if (landed) expect(out.radioState).toBe(0);
        cases++;
      }
    }
    expect(cases).toBe(10);
  });

  it('a second tear during the re-read or the retry: written or not, and the outcome says which', async () => {
    const seen = new Set<string>();
    for (let first = 1; first <= 5; first++) {
      for (const firstWhen of WHEN) {
        for (let second = 1; second <= 10; second++) {
          for (const secondWhen of WHEN) {
            let reinserts = 0;
            const r = await readRig({
              onPoll: (reader) => {
                if (reader.isCardPresent() || !reader.removedCard) return;
                reader.insert(reader.removedCard);
                if (++reinserts === 1) reader.armTear(second, secondWhen);
              },
            });
            r.cardReader.armTear(first, firstWhen);
            const out = await r.exit.close();
            checkCard(r, out);
            seen.add(out.outcome);
          }
        }
      }
    }
    expect([...seen].sort()).toEqual(['not-written', 'written']);
  });

  it('the card never comes back: not-written, unverified, and a later close() on the same card writes it', async () => {
    for (const when of WHEN) {
      let away = true;
      const r = await readRig({
        onPoll: (reader) => {
          if (!away && !reader.isCardPresent() && reader.removedCard) reader.insert(reader.removedCard);
        },
      });
      r.cardReader.armTear(4, when);
      const out = await r.exit.close();
      expect(out).toMatchObject({ outcome: 'not-written', reason: 'CARD_NOT_RETURNED', verified: false });
      expect(exitFlagsOnCard(r.cpc)).toBe(when === 'after' ? EXITED : ENTERED);
      away = false;
      const again = await r.exit.close();
      checkCard(r, again);
      expect(again.outcome).toBe('written');
    }
  });

  it('another card presented after a tear: WRONG_CARD, the other card is never written', async () => {
    for (const when of WHEN) {
      const other = issueTestCpc({ cpcId: '6201012345670000' });
      const r = await readRig({
        onPoll: (reader) => {
          if (!reader.isCardPresent()) reader.insert(other);
        },
      });
      r.cardReader.armTear(4, when);
      const out = await r.exit.close();
      expect(out).toMatchObject({ outcome: 'not-written', reason: 'WRONG_CARD', verified: false });
      expect(other.writes).toEqual([]);
      expect(exitFlagsOnCard(other)).toBe(ENTERED);
      expect(other.triesLeft).toBe(3);
    }
  });

  it('a wrong key: the one retry burns a second try, then 6983 (UK1 locked) is final: never written', async () => {
    const cpc = issueTestCpc({ rootKey: new Uint8Array(16) });
    const r = await readRig({ cpc });
    const first = await r.exit.close();
    expect(first).toMatchObject({ outcome: 'not-written', reason: 'EXTERNAL_AUTH_FAILED', attempts: 2 });
    expect(cpc.triesLeft).toBe(1);
    const second = await r.exit.close();
    expect(second.outcome).toBe('not-written');
    const third = await r.exit.close();
    expect(third).toMatchObject({ outcome: 'not-written', reason: 'CPC_UK1_LOCKED', attempts: 1 });
    expect(cpc.writes).toEqual([]);
    expect(exitFlagsOnCard(cpc)).toBe(ENTERED);
  });
});
