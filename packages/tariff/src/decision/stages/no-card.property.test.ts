import type { Fen, VehicleClass } from '@tollpad/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLASS_CODES } from '../../classes';
import { buildMinFeeTables } from '../../min-fee';
import { loadTariff } from '../../network';
import { CPC_EXIT, smallTariff, stationId } from '../../test-fixtures';
import { DECISION_EXIT_FEE_TYPES, DECISION_SPECIAL_CODES, decideExitFee } from '../decide';
import type { ExitFeeInput, NoCardReason, OnlineFeePort } from '../types';
import { NO_CARD_RULES, NO_CARD_SPECIAL_CODES } from './no-card';

// TEST tariff (stations 1–5, 5 isolated) and random no-card exits: any reason, a stated entry that may be a
// station, its HEX, garbage or absent, a refusal, and a centre that answers, fails, throws or is absent.
const loaded = loadTariff(smallTariff());
if (!loaded.ok) throw new Error('fixture');
const tables = buildMinFeeTables(loaded.value);
const KNOWN_CODES = new Set([...DECISION_SPECIAL_CODES, ...NO_CARD_SPECIAL_CODES]);
const station = fc.integer({ min: 1, max: 5 }).map(stationId);
const stated = fc.oneof(
  station,
  fc.integer({ min: 0, max: 4 }).map((i) => tables.network.stations[i]?.hex ?? ''),
  fc.string({ maxLength: 32 }),
);
const reached = new Set<string>();

describe('no-card fee decision on random input', () => {
  it('never throws, answers in whole yuan plus the card cost, with known rules and codes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          reason: fc.constantFrom<NoCardReason>('no-card', 'lost', 'damaged'),
          stated: fc.option(stated, { nil: undefined }),
          refused: fc.option(fc.boolean(), { nil: undefined }),
          plate: fc.option(fc.constantFrom('鲁A12345', '京B0000学'), { nil: undefined }),
          exit: station,
          vehicleClass: fc.constantFrom(...CLASS_CODES),
          vehicleKind: fc.constantFrom(0, 0, 0, 6, 8, 21),
          online: fc.constantFrom('ok', 'ok-unknown-entry', 'fail', 'throw', 'zero', 'none'),
          onlineFee: fc.integer({ min: 0, max: 100_000 }),
          cardCost: fc.integer({ min: 0, max: 10_000 }),
          rounding: fc.constantFrom('nearest' as const, 'down' as const),
        }),
        async (r) => {
          const input: ExitFeeInput = {
            card: { userType: 0, entry: null },
            obu: null,
            noCard: {
              reason: r.reason,
              ...(r.stated !== undefined ? { statedEntry: r.stated } : {}),
              ...(r.refused !== undefined ? { refused: r.refused } : {}),
            },
            vehicleClass: r.vehicleClass as VehicleClass,
            vehicleKind: r.vehicleKind,
            exitStation: r.exit,
            exitTime: CPC_EXIT,
            ...(r.plate !== undefined ? { plate: r.plate } : {}),
          };
          const onlineFee: OnlineFeePort | undefined =
            r.online === 'none'
              ? undefined
              : async () => {
                  if (r.online === 'throw') throw new Error('down');
                  if (r.online === 'fail') return { ok: false, reason: '无通行记录' };
                  return {
                    ok: true,
                    fee: (r.online === 'zero' ? 0 : r.onlineFee) as Fen,
                    fee95: 0 as Fen,
                    mileageM: 1,
                    entryStation: r.online === 'ok-unknown-entry' ? 'G0000110010010' : stationId(1),
                  };
                };
          const res = await decideExitFee(input, {
            tables,
            ...(onlineFee ? { onlineFee } : {}),
            policy: { cardCost: r.cardCost, nonEtcRounding: r.rounding },
          });
          if (!res.ok) throw new Error(`refused: ${res.error.message}`);
          const d = res.value;
          const rules = d.trace.map((t) => t.rule);
          for (const rule of rules) reached.add(rule);
          expect(rules.at(-1)).toBe('RESULT');
          expect(d.noCard).toBeDefined();
          const nc = d.noCard!;
          expect(rules).toContain(nc.rule);
          expect(nc.toll % 100).toBe(0);
          expect(nc.cardCost).toBe(r.reason === 'no-card' ? 0 : r.cardCost);
          expect(d.fee).toBe(nc.toll + nc.cardCost);
          expect(d.payFee).toBe(d.fee + d.discountFee);
          expect(d.etcDiscountApplied).toBe(false);
          expect(DECISION_EXIT_FEE_TYPES).toContain(d.exitFeeType);
          for (const c of d.specialCodes) expect(KNOWN_CODES.has(c), String(c)).toBe(true);
          expect(d.specialCodes).toContain(r.reason === 'damaged' ? 35 : 36);
          // A toll from the stated entry or the farthest route is never charged without the monitor.
          if (nc.rule !== 'NOCARD.PLATE') expect(d.authorisation.required).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
    // Not vacuous: every no-card rule is reached.
    for (const rule of NO_CARD_RULES) expect(reached, rule).toContain(rule);
  });
});
