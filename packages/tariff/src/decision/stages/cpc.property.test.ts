import type { Fen, VehicleClass, VehicleKind } from '@tollpad/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLASS_CODES } from '../../classes';
import { buildMinFeeTables } from '../../min-fee';
import { loadTariff } from '../../network';
import {
  CPC_ENTRY,
  CPC_EXIT,
  CPC_NEIGHBOUR_BORDER,
  cpcBlock,
  cpcFacts,
  smallTariff,
  stationId,
} from '../../test-fixtures';
import { DECISION_EXIT_FEE_TYPES, DECISION_SPECIAL_CODES, decideExitFee } from '../decide';
import type { RuleId } from '../state';
import type { CpcFeeBlockFacts, CpcFeeFacts, ExitFeeInput, OnlineFeePort } from '../types';
import { CHARGE_RULES } from './charge';
import { CPC_RULES } from './cpc';
import { CPC_CHARGE_RULES } from './cpc-charge';
import { ENTRY_RULES } from './entry';
import { FALLBACK_RULES } from './fallback';
import { FREE_PASSAGE_RULES } from './free-passage';
import { INPUT_RULES } from './input';
import { MEDIA_RULES } from './media';
import { MIN_FEE_RULES } from './min-fee';
import { ONLINE_RULES } from './online';
import { RESULT_RULES } from './result';
import { YUAN_RULES } from './yuan';

// TEST tariff (stations 1–5, 5 isolated) and bounded random CPC facts, as a decoded card can hold them.
const loaded = loadTariff(smallTariff());
if (!loaded.ok) throw new Error('fixture');
const tables = buildMinFeeTables(loaded.value);
const KNOWN: ReadonlySet<string> = new Set<RuleId>([
  ...INPUT_RULES,
  ...MEDIA_RULES,
  ...ENTRY_RULES,
  ...MIN_FEE_RULES,
  ...CPC_RULES,
  ...CPC_CHARGE_RULES,
  ...FREE_PASSAGE_RULES,
  ...CHARGE_RULES,
  ...ONLINE_RULES,
  ...FALLBACK_RULES,
  ...YUAN_RULES,
  ...RESULT_RULES,
]);
/** The rules that settle what is charged; a decision names at least one. */
const CHARGING: ReadonlySet<string> = new Set<RuleId>([
  'CPC.CARD_AMOUNT',
  'CPC.FALLBACK_CARD',
  'CPC.FALLBACK_SHORTEST',
  'ONLINE.OK',
  'ONLINE.ABOVE_BAND',
  'CHARGE.MIN_FEE',
  'CHARGE.MIN_FEE_NO_ENTRY',
  'CHARGE.U_TURN_ACCUMULATED',
  'CHARGE.FALLBACK',
  'FREE.KIND',
  'FREE.HOLIDAY',
]);
// Mostly paying kinds; a few free ones (8 军警, 21 绿通).
const KINDS: VehicleKind[] = [0, 0, 0, 0, 6, 8, 21];
const base = Date.UTC(2024, 4, 10, 1);
const hour = 3_600_000;
const gantryHex = fc.oneof(
  fc.constantFrom(CPC_NEIGHBOUR_BORDER, 'A00011', 'A00012', 'A00021', 'A00031', 'A00041'),
  fc.stringMatching(/^[0-9A-F]{6}$/),
);
const time = fc.integer({ min: -240, max: 10 }).map((h) => new Date(base + h * hour));
const block: fc.Arbitrary<CpcFeeBlockFacts> = fc.record({
  province: fc.integer({ min: 0, max: 0xff }),
  gantryCount: fc.integer({ min: 0, max: 0xff }),
  fee: fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 0xffffff })),
  mileageM: fc.integer({ min: 0, max: 0xffffff }),
  entryGantry: gantryHex,
  entryTime: time,
  latestGantry: gantryHex,
  latestTime: time,
  fitFailed: fc.boolean(),
  empty: fc.boolean(),
});
const cpcArb: fc.Arbitrary<CpcFeeFacts> = fc.record({
  provinceCount: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 0xff })),
  blocks: fc.array(block, { maxLength: 22 }),
  pathGantries: fc.array(gantryHex, { maxLength: 24 }),
  entryTime: fc.option(time, { nil: null }),
});
const station = fc.integer({ min: 1, max: 5 }).map(stationId);

/** The TEST trip (1 → 3, M = 900) with random fees and an occasional defect: reaches the card rules. */
const nearPlausible = fc
  .record({
    a: fc.integer({ min: 0, max: 1500 }),
    b: fc.integer({ min: 0, max: 1500 }),
    defect: fc.constantFrom('none', 'none', 'none', 'fit', 'count'),
  })
  .map(({ a, b, defect }) => ({
    cpc: cpcFacts({
      provinceCount: defect === 'count' ? 3 : 2,
      blocks: [cpcBlock({ fee: a, fitFailed: defect === 'fit' }), cpcBlock({ fee: b }, true)],
    }),
    entry: { station: stationId(1), time: CPC_ENTRY },
    exit: stationId(3),
    exitTime: CPC_EXIT,
  }));

const randomTrip = fc
  .record({
    cpc: cpcArb,
    entry: fc.option(fc.record({ station, hoursBefore: fc.integer({ min: -2, max: 300 }) }), { nil: null }),
    exit: station,
  })
  .map(({ cpc, entry, exit }) => ({
    cpc,
    entry: entry && { station: entry.station, time: new Date(base - entry.hoursBefore * hour) },
    exit,
    exitTime: new Date(base),
  }));

const reached = new Set<string>();

describe('CPC fee decision on random bounded card facts', () => {
  it('never throws, answers in whole yuan with known codes, and names every rule it applies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          trip: fc.oneof(randomTrip, nearPlausible),
          selected: fc.option(station, { nil: undefined }),
          vehicleClass: fc.constantFrom(...CLASS_CODES),
          vehicleKind: fc.constantFrom(...KINDS),
          online: fc.constantFrom('ok', 'down', 'zero', 'none'),
          policy: fc.record({
            cpcAddExitSegment: fc.boolean(),
            nonEtcRounding: fc.constantFrom('nearest' as const, 'down' as const),
            cpcEntryAgeMethod: fc.constantFrom('calendar-days' as const, 'elapsed-hours' as const),
          }),
        }),
        async (r) => {
          const { trip } = r;
          const input: ExitFeeInput = {
            card: { userType: 0, entry: trip.entry && { ...trip.entry, vehicleClass: r.vehicleClass } },
            obu: null,
            cpc: trip.cpc,
            vehicleClass: r.vehicleClass as VehicleClass,
            vehicleKind: r.vehicleKind,
            exitStation: trip.exit,
            exitTime: trip.exitTime,
            ...(r.selected !== undefined ? { selectedEntryStation: r.selected } : {}),
          };
          const onlineFee: OnlineFeePort | undefined =
            r.online === 'none'
              ? undefined
              : async () =>
                  r.online === 'down'
                    ? Promise.reject(new Error('down'))
                    : { ok: true, fee: (r.online === 'ok' ? 1234 : 0) as Fen, fee95: 0 as Fen, mileageM: 1 };
          const res = await decideExitFee(input, {
            tables,
            ...(onlineFee ? { onlineFee } : {}),
            policy: { ...r.policy, cpcBorderGantries: [CPC_NEIGHBOUR_BORDER] },
          });
          if (!res.ok) {
            expect(res.error.code).toBe('ENTRY_REQUIRED');
            return;
          }
          const d = res.value;
          const rules = d.trace.map((t) => t.rule);
          for (const rule of rules) reached.add(rule);
          for (const rule of rules) expect(KNOWN.has(rule), rule).toBe(true);
          expect(
            rules.some((rule) => CHARGING.has(rule)),
            rules.join(' '),
          ).toBe(true);
          expect(rules.at(-1)).toBe('RESULT');
          expect(d.payFee).toBe(d.fee + d.discountFee);
          expect(d.fee % 100).toBe(0);
          expect(d.payFee % 100).toBe(0);
          expect(d.etcDiscountApplied).toBe(false);
          expect(DECISION_EXIT_FEE_TYPES).toContain(d.exitFeeType);
          for (const c of d.specialCodes) expect(DECISION_SPECIAL_CODES).toContain(c);
          if (rules.includes('CPC.CARD_AMOUNT')) {
            expect(rules).toContain('CPC.PLAUSIBLE');
            expect(d.exitFeeType).toBe(3);
          }
          // A plausible card is never sent online.
          if (rules.includes('CPC.PLAUSIBLE')) expect(rules).not.toContain('CPC.ONLINE');
        },
      ),
      { numRuns: 300 },
    );
    // Not vacuous: the random cards reach the card amount, each fallback and each plausibility rule.
    for (const rule of [...CPC_RULES, ...CPC_CHARGE_RULES]) expect(reached, rule).toContain(rule);
  });
});
