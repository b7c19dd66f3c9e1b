import { type Fen, SPECIAL } from '@tollpad/domain';
import type { ExitChecks } from '@tollpad/station-api';
import type { ExitFeeDecision } from '@tollpad/tariff';
import { describe, expect, it } from 'vitest';
import { approvedFee, feeInput, feeRefusal, refusedFee, STATION_SPECIAL, shapeFee } from './charge';
import type { Payability } from './exit-parts';

// TEST figures: a decision as the tariff would give it, in fen.
const decision = (over: Partial<ExitFeeDecision> = {}): ExitFeeDecision => ({
  payFee: 3000 as Fen,
  discountFee: 150 as Fen,
  fee: 2850 as Fen,
  exitFeeType: 4,
  shortFee: 2000 as Fen,
  shortFeeMileage: 40_000,
  feeMileage: 60_000,
  feeRate: 1.425,
  specialCodes: [SPECIAL.ONLINE_FEE_ABOVE_BAND],
  etcDiscountApplied: true,
  feeClass: 1,
  spcRateVersion: 'TEST-1',
  authorisation: { required: true, reasons: [{ code: 'OVER_BAND', text: '在线计费超出上限' }] },
  ifRefused: { payFee: 2000 as Fen, discountFee: 100 as Fen, fee: 1900 as Fen, exitFeeType: 6 },
  trace: [{ rule: 'R-TEST', text: 'TEST', codes: [65] }],
  ...over,
});

const checks = (over: Partial<ExitChecks> = {}): ExitChecks => ({
  specials: [{ code: SPECIAL.CARD_OBU_PLATE, description: 'TEST' }],
  imageSpecials: [{ code: SPECIAL.ENTRY_EXIT_PLATE, description: 'TEST' }],
  listHits: [],
  suggested: { vehicleClass: 1, vehicleKind: 0 },
  actions: [],
  blocked: false,
  needsRelease: false,
  ...over,
});

const PAYS: Payability = { payable: true, reason: null, specials: [] };
const LOW: Payability = {
  payable: false,
  reason: '余额不足 (TEST)',
  specials: [SPECIAL.BALANCE_INSUFFICIENT],
};
const choice = { vehicleClass: 1, vehicleKind: 0 };

describe('the fee input', () => {
  it('joins the medium’s facts, the collector’s choice and this exit', () => {
    const now = new Date('2026-11-23T08:00:00Z');
    const input = feeInput(
      { card: { userType: 0, entry: null }, obu: null },
      { ...choice, seats: 5, entryStation: 'G0001TEST' },
      'G0001370010102010010',
      now,
      '鲁A12345',
    );
    expect(input).toMatchObject({
      vehicleClass: 1,
      vehicleKind: 0,
      seats: 5,
      selectedEntryStation: 'G0001TEST',
      exitStation: 'G0001370010102',
      exitTime: now,
      plate: '鲁A12345',
    });
    const bare = feeInput({ card: { userType: 0, entry: null }, obu: null }, choice, 'L', now, null);
    expect(bare).not.toHaveProperty('seats');
    expect(bare).not.toHaveProperty('plate');
  });

  it('turns each refusal of the decision into the collector’s error code', () => {
    const code = (c: string) => feeRefusal({ code: c, field: 'f', reason: 'r' }).code;
    expect(code('ENTRY_REQUIRED')).toBe('STN_ERR_EXIT_ENTRY_REQUIRED');
    expect(code('ENTRY_STATION_UNKNOWN')).toBe('STN_ERR_EXIT_ENTRY_UNKNOWN');
    expect(code('EXIT_STATION_UNKNOWN')).toBe('STN_ERR_EXIT_TARIFF_MISSING');
    expect(code('INPUT_INVALID')).toBe('STN_ERR_REQ_INVALID');
  });
});

describe('the charge', () => {
  it('gathers the specials of the checks, the photo, the decision and the payment, sorted once each', () => {
    const fee = shapeFee(choice, decision({ specialCodes: [SPECIAL.ENTRY_EXIT_PLATE, 65] }), checks(), LOW);
    expect(fee.specials).toEqual([
      SPECIAL.BALANCE_INSUFFICIENT,
      SPECIAL.CARD_OBU_PLATE,
      SPECIAL.ENTRY_EXIT_PLATE,
      65,
    ]);
    expect(fee).toMatchObject({ etcPayable: false, notPayableReason: '余额不足 (TEST)' });
    expect(fee.charge).toEqual({ payFee: 3000, discountFee: 150, fee: 2850, exitFeeType: 4 });
    expect(fee.decision.trace).toEqual([{ rule: 'R-TEST', text: 'TEST' }]);
  });

  it('asks a monitor to release a status-list vehicle', () => {
    const fee = shapeFee(choice, decision(), checks({ needsRelease: true }), PAYS);
    expect(fee.authReasons.map((r) => r.code)).toEqual(['OVER_BAND', 'LIST_RELEASE']);
    expect(approvedFee(fee).specials).toContain(STATION_SPECIAL.LIST_TEMP_RELEASE);
    expect(approvedFee(shapeFee(choice, decision(), checks(), PAYS)).specials).not.toContain(
      STATION_SPECIAL.LIST_TEMP_RELEASE,
    );
  });

  it('charges the minimum fee after a refused over-band fee, asking the payment again', () => {
    const fee = shapeFee(choice, decision(), checks(), PAYS);
    const asked: number[] = [];
    const refused = refusedFee(fee, (a) => {
      asked.push(a);
      return LOW;
    });
    expect(asked).toEqual([1900]);
    expect(refused?.amount).toBe(1900);
    expect(refused?.fee).toMatchObject({ charge: fee.decision.ifRefused, etcPayable: false });
    expect(refused?.fee.specials).toEqual(fee.specials);
  });

  it('has no fallback charge when another reason was refused too', () => {
    const dec = decision({
      authorisation: {
        required: true,
        reasons: [
          { code: 'OVER_BAND', text: 'TEST' },
          { code: 'MIN_FEE', text: 'TEST' },
        ],
      },
    });
    expect(refusedFee(shapeFee(choice, dec, checks(), PAYS), () => PAYS)).toBeNull();
    const { ifRefused: _, ...withoutFallback } = decision();
    expect(refusedFee(shapeFee(choice, withoutFallback, checks(), PAYS), () => PAYS)).toBeNull();
  });
});
