/**
 * The tearing sweep against the simulator: for each combination (3DES/SM4 × stored-value/account), cut the
 * field at every card APDU of an exit purchase, before and after the card processes it, let the collector
 * put the card back, and check the invariant: at most one debit, balance consistent with the outcome.
 */
import type { PurchaseOutcome } from '../purchase/journal';
import { chargeDecision, exitWithRereads, makeRig } from '../purchase/test-rig';
import type { TearPoint } from '../transport/simulated-reader';

export interface SweepRow {
  algorithm: '3des' | 'sm4';
  cardType: 'stored-value' | 'account';
  apdus: number;
  cases: number;
  debitedOnce: number;
  notDebited: number;
  recovered: number;
  violations: string[];
}

const INITIAL = 50_000;
const AMOUNT = 3_210;

export async function runTearingSweep(): Promise<SweepRow[]> {
  const rows: SweepRow[] = [];
  for (const algorithm of ['3des', 'sm4'] as const) {
    for (const cardType of ['stored-value', 'account'] as const) {
      const clean = await makeRig({ algorithm, cardType, balance: INITIAL });
      await clean.exit.exit(() => chargeDecision(AMOUNT));
      const apdus = clean.cardReader.sent.length;
      const row: SweepRow = {
        algorithm,
        cardType,
        apdus,
        cases: 0,
        debitedOnce: 0,
        notDebited: 0,
        recovered: 0,
        violations: [],
      };
      for (let cut = 1; cut <= apdus; cut++) {
        for (const when of ['before', 'after'] as TearPoint[]) {
          row.cases++;
          const r = await makeRig({ algorithm, cardType, balance: INITIAL });
          r.cardReader.armTear(cut, when);
          let outcome: PurchaseOutcome | undefined;
          try {
            outcome = await exitWithRereads(r, AMOUNT);
          } catch {
            outcome = undefined;
          }
          const debits = r.card.debits.length;
          const label = `cut ${cut} ${when}`;
          if (debits > 1) row.violations.push(`${label}: ${debits} debits`);
          if (r.card.balance !== INITIAL - AMOUNT * debits) row.violations.push(`${label}: balance mismatch`);
          if (outcome && debits !== 1) row.violations.push(`${label}: outcome without exactly one debit`);
          if (!outcome && debits !== 0) row.violations.push(`${label}: debit without an outcome`);
          if (debits === 1) row.debitedOnce++;
          else row.notDebited++;
          if (outcome?.recovered) row.recovered++;
        }
      }
      rows.push(row);
    }
  }
  return rows;
}
