import type { Fen, VehicleClass, VehicleKind } from '@tollpad/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLASS_CODES } from '../classes';
import { buildMinFeeTables } from '../min-fee';
import { loadTariff } from '../network';
import { smallTariff, stationId } from '../test-fixtures';
import { DECISION_EXIT_FEE_TYPES, DECISION_SPECIAL_CODES, decideExitFee } from './decide';
import { localOnlineFeePort } from './local-online';
import type { Ef04Status, ExitFeeInput, OnlineFeePort, OnlineFeeResponse } from './types';

// TEST tariff (stations 1–5, 5 isolated). Random inputs and online answers: the decision must always
// give a consistent, typed answer.
const loaded = loadTariff(smallTariff());
if (!loaded.ok) throw new Error('fixture');
const tables = buildMinFeeTables(loaded.value);
const KINDS: VehicleKind[] = [0, 6, 8, 10, 12, 14, 21, 22, 23, 24, 25, 26, 27, 28];
const EF04: Ef04Status[] = ['ok', 'bad-prefix', 'no-card-passes', 'entry-invalid', 'no-province'];
const station = fc.integer({ min: 1, max: 5 }).map(stationId);
const amount = fc.integer({ min: 0, max: 5000 });
const base = Date.UTC(2024, 0, 17, 7);

const inputArb = fc.record({
  entry: fc.option(
    fc.record({
      station,
      hoursBefore: fc.integer({ min: -5, max: 100 }),
      vehicleClass: fc.constantFrom(...CLASS_CODES),
      statusFlag: fc.option(fc.constantFrom(0, 1, 2, 3, 4, 0xff), { nil: undefined }),
    }),
    { nil: null },
  ),
  cardAmount: fc.option(amount, { nil: undefined }),
  obu: fc.option(
    fc.record({
      ef04: fc.constantFrom(...EF04),
      removed: fc.boolean(),
      total: amount,
      provinceCount: fc.integer({ min: 0, max: 3 }),
    }),
    { nil: null },
  ),
  vehicleClass: fc.constantFrom(...CLASS_CODES),
  vehicleKind: fc.constantFrom(...KINDS),
  exit: station,
  selected: fc.option(station, { nil: undefined }),
  gantries: fc.array(fc.constantFrom('A00011', 'A00021', 'A00031', 'A00041', 'A00012', 'BADBAD'), {
    maxLength: 3,
  }),
  online: fc.oneof(
    fc.constant<'local' | 'reject'>('local'),
    fc.constant<'local' | 'reject'>('reject'),
    fc.record({ fee: amount, ok: fc.boolean() }),
  ),
});

describe('decideExitFee on random inputs', () => {
  it('always answers consistently: payFee = fee + discountFee, known codes and types, min fee authorised', async () => {
    await fc.assert(
      fc.asyncProperty(inputArb, async (r) => {
        const input: ExitFeeInput = {
          card: {
            userType: 0,
            entry: r.entry && {
              station: r.entry.station,
              time: new Date(base - r.entry.hoursBefore * 3_600_000),
              vehicleClass: r.entry.vehicleClass,
              ...(r.entry.statusFlag !== undefined ? { statusFlag: r.entry.statusFlag } : {}),
            },
            ...(r.cardAmount !== undefined ? { accumulatedAmount: r.cardAmount as Fen } : {}),
          },
          obu: r.obu && {
            ef04: r.obu.ef04,
            removed: r.obu.removed,
            totalAmount: r.obu.total as Fen,
            totalDiscountAmount: Math.round(r.obu.total * 0.95) as Fen,
            provinceCount: r.obu.provinceCount,
          },
          vehicleClass: r.vehicleClass as VehicleClass,
          vehicleKind: r.vehicleKind,
          exitStation: r.exit,
          exitTime: new Date(base),
          gantries: r.gantries.map((gantry) => ({ gantry })),
          ...(r.selected !== undefined ? { selectedEntryStation: r.selected } : {}),
        };
        const online: OnlineFeePort =
          r.online === 'local'
            ? localOnlineFeePort(tables)
            : r.online === 'reject'
              ? async () => Promise.reject(new Error('down'))
              : async (): Promise<OnlineFeeResponse> =>
                  r.online !== 'local' && r.online !== 'reject' && r.online.ok
                    ? {
                        ok: true,
                        fee: r.online.fee as Fen,
                        fee95: Math.round(r.online.fee * 0.95) as Fen,
                        mileageM: 1,
                      }
                    : { ok: false, special: 68, reason: 'x' };
        const res = await decideExitFee(input, { tables, onlineFee: online });
        if (!res.ok) {
          // Only a missing entry (no selection) is a collector-fixable error here.
          expect(res.error.code).toBe('ENTRY_REQUIRED');
          expect(r.entry).toBeNull();
          expect(r.selected).toBeUndefined();
          return;
        }
        const d = res.value;
        expect(d.payFee).toBe(d.fee + d.discountFee);
        expect(d.fee).toBeGreaterThanOrEqual(0);
        expect(d.discountFee).toBeGreaterThanOrEqual(0);
        expect(DECISION_EXIT_FEE_TYPES).toContain(d.exitFeeType);
        for (const c of d.specialCodes) expect(DECISION_SPECIAL_CODES).toContain(c);
        if (d.exitFeeType === 6 && d.fee > 0)
          expect(d.authorisation.reasons.map((a) => a.code)).toContain('MIN_FEE');
        if (d.fee === 0 && d.payFee > 0)
          expect(d.discountType !== undefined || d.authorisation.required).toBe(true);
        expect(d.authorisation.required).toBe(d.authorisation.reasons.length > 0);
        expect(d.trace.at(-1)?.rule).toBe('RESULT');
      }),
      { numRuns: 400 },
    );
  });
});
