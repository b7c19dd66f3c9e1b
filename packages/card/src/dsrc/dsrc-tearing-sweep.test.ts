import { describe, expect, it } from 'vitest';
import { hexToBytes } from '../apdu/hex';
import { issueObu } from '../obu/issue-obu';
import { PsamDriver } from '../psam/psam-driver';
import { ExitPurchase, isIoError } from '../purchase/exit-purchase';
import { MemoryJournal } from '../purchase/journal';
import { chargeDecision, TEST_TERMINAL_ID } from '../purchase/test-rig';
import { pollingWaiter } from '../purchase/waiting';
import { issueTestCard } from '../sim/test-card';
import { VirtualPsam } from '../sim/virtual-psam';
import { SimulatedReader } from '../transport/simulated-reader';
import { DsrcReader } from './dsrc-reader';
import { type DsrcTearPoint, LoopbackDsrcTransport } from './dsrc-transport';
import { ObuLink } from './obu-link';

const INITIAL = 50_000;
const AMOUNT = 2_000;

async function rig() {
  const issued = issueTestCard({ balance: INITIAL });
  const transport = new LoopbackDsrcTransport(
    issueObu({ plate: '苏A12345', colour: 0, class: 1 }, issued.card),
  );
  const psam = new PsamDriver(
    new SimulatedReader(new VirtualPsam({ terminalId: hexToBytes(TEST_TERMINAL_ID) })),
  );
  await psam.open();
  const exit = new ExitPurchase({
    card: new DsrcReader(new ObuLink(transport)),
    psam,
    journal: new MemoryJournal(),
    waiter: pollingWaiter({
      attempts: 5,
      sleep: async () => {
        transport.inRange = true; // the collector steps back within range
        await new Promise((resolve) => setTimeout(resolve, 1));
      },
    }),
  });
  return { issued, transport, exit };
}

describe('DSRC link lost at every frame of an exit purchase', () => {
  it('never debits twice and the outcome always matches the card', async () => {
    const clean = await rig();
    let frames = 0;
    clean.transport.tearOn(() => {
      frames++;
      return false;
    });
    await clean.exit.exit(() => chargeDecision(AMOUNT));
    expect(frames).toBeGreaterThanOrEqual(7);
    let recovered = 0;
    for (let cut = 1; cut <= frames; cut++) {
      for (const when of ['before', 'after'] as DsrcTearPoint[]) {
        const r = await rig();
        let n = 0;
        r.transport.tearOn(() => ++n === cut, when);
        let outcome: Awaited<ReturnType<ExitPurchase['exit']>> | undefined;
        for (let attempt = 0; attempt < 3 && !outcome; attempt++) {
          try {
            outcome = await r.exit.exit(() => chargeDecision(AMOUNT));
          } catch (e) {
            if (!isIoError(e)) throw e;
            r.transport.inRange = true; // an interrupted 【读卡】 is pressed again
          }
        }
        const debits = r.issued.card.debits.length;
        expect(debits, `cut ${cut} ${when}`).toBeLessThanOrEqual(1);
        expect(r.issued.card.balance).toBe(INITIAL - AMOUNT * debits);
        expect(outcome, `cut ${cut} ${when}`).toBeDefined();
        expect(debits).toBe(1);
        if (outcome?.recovered) recovered++;
      }
    }
    expect(recovered).toBeGreaterThan(0);
  });
});
