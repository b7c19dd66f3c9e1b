import type { Fen } from '@tollpad/domain';
import { describe, expect, it } from 'vitest';
import { buildMinFeeTables } from '../min-fee';
import { loadTariff } from '../network';
import { CPC_NEIGHBOUR_BORDER, cpcBlock, cpcFacts, smallTariff, stationId } from '../test-fixtures';
import { DECISION_EXIT_FEE_TYPES, DECISION_SPECIAL_CODES, type DecisionDeps, decideExitFee } from './decide';
import { localOnlineFeePort } from './local-online';
import type { ExitFeeDecision, ExitFeeInput, ObuData, OnlineFeePort, OnlineFeeResponse } from './types';

// TEST tariff: stations 1—2—3—4 (+ isolated 5). Class 1, 1→3: M = 900, ETC M95 = 428 + 428 = 856.
const loaded = loadTariff(smallTariff());
if (!loaded.ok) throw new Error('fixture');
const tables = buildMinFeeTables(loaded.value);
const fen = (n: number) => n as Fen;
const EXIT = new Date('2024-01-17T07:23:08Z'); // 15:23:08 Beijing
const ENTRY = new Date('2024-01-17T05:00:00Z');

const OBU: ObuData = {
  ef04: 'ok',
  removed: false,
  totalAmount: fen(900),
  totalDiscountAmount: fen(856),
  provinceCount: 1,
};

function input(patch: Partial<ExitFeeInput> = {}, obu: Partial<ObuData> | null = {}): ExitFeeInput {
  return {
    card: { userType: 0, entry: { station: stationId(1), time: ENTRY, vehicleClass: 1 } },
    obu: obu === null ? null : { ...OBU, ...obu },
    vehicleClass: 1,
    vehicleKind: 0,
    exitStation: stationId(3),
    exitTime: EXIT,
    ...patch,
  };
}

const fixed =
  (r: OnlineFeeResponse): OnlineFeePort =>
  async () =>
    r;
const online = (fee: number, fee95: number) =>
  fixed({ ok: true, fee: fen(fee), fee95: fen(fee95), mileageM: 20000 });
const local = localOnlineFeePort(tables);

interface Row {
  name: string;
  input: ExitFeeInput;
  deps?: Partial<DecisionDeps>;
  expect: {
    exitFeeType: number;
    fee: number;
    payFee?: number;
    discountFee?: number;
    codes: number[];
    auth?: string[];
    discountType?: number;
  };
}

const rows: Row[] = [
  {
    name: 'CPC, plausible card (A = 930 in [900, 1350]) → type 3, whole yuan',
    input: input({ cpc: cpcFacts() }, null),
    deps: { policy: { cpcBorderGantries: [CPC_NEIGHBOUR_BORDER] } },
    expect: { exitFeeType: 3, fee: 900, payFee: 900, discountFee: 0, codes: [], auth: [] },
  },
  {
    name: 'CPC with an empty fee block → 18, 部中心 online fee by plate',
    input: input(
      { cpc: cpcFacts({ blocks: [cpcBlock({ fee: 930 }), cpcBlock({ empty: true, fee: 0 }, true)] }) },
      null,
    ),
    deps: { policy: { cpcBorderGantries: [CPC_NEIGHBOUR_BORDER] } },
    expect: { exitFeeType: 5, fee: 900, codes: [18], auth: [] },
  },
  {
    name: 'OBU accumulated within [M, 1.5M] → type 1',
    input: input(),
    expect: { exitFeeType: 1, fee: 856, payFee: 900, discountFee: 44, codes: [], auth: [] },
  },
  {
    name: 'OBU accumulated at exactly 1.5 × M95 is inside the band',
    input: input({}, { totalAmount: fen(1352), totalDiscountAmount: fen(1284) }),
    expect: { exitFeeType: 1, fee: 1284, codes: [] },
  },
  {
    name: 'OBU below M → 15, provincial online fee → type 4',
    input: input({}, { totalDiscountAmount: fen(800), totalAmount: fen(842) }),
    expect: { exitFeeType: 4, fee: 856, payFee: 900, codes: [15], auth: [] },
  },
  {
    name: 'OBU above 1.5M → 14, online fee',
    input: input({}, { totalDiscountAmount: fen(1285), totalAmount: fen(1353) }),
    expect: { exitFeeType: 4, fee: 856, codes: [14] },
  },
  {
    name: 'ETC单卡 in band, no ETC discount (M = 900)',
    input: input(
      {
        card: {
          userType: 0,
          entry: { station: stationId(1), time: ENTRY, vehicleClass: 1 },
          accumulatedAmount: fen(900),
        },
      },
      null,
    ),
    expect: { exitFeeType: 1, fee: 900, payFee: 900, discountFee: 0, codes: [] },
  },
  {
    name: 'ETC单卡 below M → 30, online without discount',
    input: input(
      {
        card: {
          userType: 0,
          entry: { station: stationId(1), time: ENTRY, vehicleClass: 1 },
          accumulatedAmount: fen(856),
        },
      },
      null,
    ),
    expect: { exitFeeType: 4, fee: 900, discountFee: 0, codes: [30] },
  },
  {
    name: 'ETC单卡 above 1.5M → 29',
    input: input(
      {
        card: {
          userType: 0,
          entry: { station: stationId(1), time: ENTRY, vehicleClass: 1 },
          accumulatedAmount: fen(5000),
        },
      },
      null,
    ),
    expect: { exitFeeType: 4, fee: 900, codes: [29] },
  },
  {
    name: 'ETC单卡 with the province granting the discount',
    input: input(
      {
        card: {
          userType: 0,
          entry: { station: stationId(1), time: ENTRY, vehicleClass: 1 },
          accumulatedAmount: fen(856),
        },
      },
      null,
    ),
    deps: { policy: { cardOnlyGetsEtcDiscount: true } },
    expect: { exitFeeType: 1, fee: 856, codes: [] },
  },
  {
    name: 'OBU removed → 2, card accumulated amount used',
    input: input(
      {
        card: {
          userType: 0,
          entry: { station: stationId(1), time: ENTRY, vehicleClass: 1 },
          accumulatedAmount: fen(856),
        },
      },
      { removed: true },
    ),
    expect: { exitFeeType: 1, fee: 856, codes: [2] },
  },
  {
    name: 'EF04 bad prefix → 10, online',
    input: input({}, { ef04: 'bad-prefix' }),
    expect: { exitFeeType: 4, fee: 856, codes: [10] },
  },
  {
    name: 'EF04 no-card passes → 11',
    input: input({}, { ef04: 'no-card-passes' }),
    expect: { exitFeeType: 4, fee: 856, codes: [11] },
  },
  {
    name: 'EF04 entry invalid → 12',
    input: input({}, { ef04: 'entry-invalid' }),
    expect: { exitFeeType: 4, fee: 856, codes: [12] },
  },
  {
    name: 'EF04 zero provinces → 13',
    input: input({}, { ef04: 'no-province' }),
    expect: { exitFeeType: 4, fee: 856, codes: [13] },
  },
  {
    name: 'online failure → 61, min fee, monitor authorisation',
    input: input({}, { totalDiscountAmount: fen(1) }),
    deps: { onlineFee: async () => Promise.reject(new Error('ECONNREFUSED')) },
    expect: { exitFeeType: 6, fee: 856, payFee: 900, codes: [15, 61], auth: ['MIN_FEE'] },
  },
  {
    name: 'no online service configured → 61',
    input: input({}, { totalDiscountAmount: fen(1) }),
    deps: { onlineFee: undefined },
    expect: { exitFeeType: 6, fee: 856, codes: [15, 61], auth: ['MIN_FEE'] },
  },
  {
    name: 'online timeout → 61',
    input: input({}, { totalDiscountAmount: fen(1) }),
    deps: { onlineFee: () => new Promise<never>(() => {}), policy: { onlineTimeoutMs: 5 } },
    expect: { exitFeeType: 6, fee: 856, codes: [15, 61] },
  },
  {
    name: 'multi-province OBU → 部中心 type 5',
    input: input({}, { totalDiscountAmount: fen(1), provinceCount: 2 }),
    expect: { exitFeeType: 5, fee: 856, codes: [15] },
  },
  {
    name: '部中心 failure → 62',
    input: input({}, { totalDiscountAmount: fen(1), provinceCount: 2 }),
    deps: { onlineFee: fixed({ ok: false, reason: '503' }) },
    expect: { exitFeeType: 6, fee: 856, codes: [15, 62] },
  },
  {
    name: 'online fee 0 → 63, min fee',
    input: input({}, { totalDiscountAmount: fen(1) }),
    deps: { onlineFee: online(0, 0) },
    expect: { exitFeeType: 6, fee: 856, codes: [15, 63], auth: ['MIN_FEE'] },
  },
  {
    name: 'online fee below M → 64, min fee',
    input: input({}, { totalDiscountAmount: fen(1) }),
    deps: { onlineFee: online(800, 760) },
    expect: { exitFeeType: 6, fee: 856, codes: [15, 64] },
  },
  {
    name: 'online fee above 1.5M → 65, charged pending monitor confirmation',
    input: input({}, { totalDiscountAmount: fen(1) }),
    deps: { onlineFee: online(2000, 1900) },
    expect: {
      exitFeeType: 4,
      fee: 1900,
      payFee: 2000,
      discountFee: 100,
      codes: [15, 65],
      auth: ['OVER_BAND'],
    },
  },
  {
    name: 'fit: path unreachable → 61 + 66',
    input: input({}, { totalDiscountAmount: fen(1) }),
    deps: { onlineFee: fixed({ ok: false, special: 66, reason: 'unreachable' }) },
    expect: { exitFeeType: 6, fee: 856, codes: [15, 61, 66] },
  },
  {
    name: 'fit: too many fitted gantries → 67 (local fitting)',
    input: input(
      { gantries: [{ gantry: 'A00021' }], exitStation: stationId(4) },
      { totalDiscountAmount: fen(1) },
    ),
    deps: { onlineFee: localOnlineFeePort(tables, { maxFittedGantries: 0 }) },
    expect: { exitFeeType: 6, fee: 1284, codes: [15, 61, 67] },
  },
  {
    name: 'fit: unknown gantry → 68 (local fitting)',
    input: input({ gantries: [{ gantry: 'EEEEEE' }] }, { totalDiscountAmount: fen(1) }),
    expect: { exitFeeType: 6, fee: 856, codes: [15, 61, 68] },
  },
  {
    name: 'fit through the costly bypass gantry → online 1900 ≤ 1.5 × 1284, type 4',
    input: input(
      { gantries: [{ gantry: 'A00041' }], exitStation: stationId(4) },
      { totalDiscountAmount: fen(1) },
    ),
    expect: { exitFeeType: 4, fee: 1900, codes: [15], auth: [] },
  },
  {
    name: 'no entry info, collector selects the entry → 26, min fee',
    input: input({ card: { userType: 0, entry: null }, selectedEntryStation: stationId(2) }),
    expect: { exitFeeType: 6, fee: 428, codes: [26], auth: ['NO_ENTRY', 'MIN_FEE'] },
  },
  {
    name: 'entry station not in the tariff → 26, farthest fallback by policy',
    input: input({
      card: { userType: 0, entry: { station: 'G9999370010990', time: ENTRY, vehicleClass: 1 } },
    }),
    deps: { policy: { noEntryFallback: 'farthest' } },
    expect: { exitFeeType: 6, fee: 856, codes: [26], auth: ['NO_ENTRY', 'MIN_FEE'] },
  },
  {
    name: 'overdue → 58, authorisation, charged normally',
    input: input({
      card: {
        userType: 0,
        entry: { station: stationId(1), time: new Date('2024-01-10T00:00:00Z'), vehicleClass: 1 },
      },
    }),
    expect: { exitFeeType: 1, fee: 856, codes: [58], auth: ['TIMEOUT'] },
  },
  {
    name: 'entry after exit → 54',
    input: input({
      card: {
        userType: 0,
        entry: { station: stationId(1), time: new Date('2024-01-18T00:00:00Z'), vehicleClass: 1 },
      },
    }),
    expect: { exitFeeType: 1, fee: 856, codes: [54], auth: ['ENTRY_TIME'] },
  },
  {
    name: 'class mismatch → 51, exit class charged (class 2: M95 = 1710)',
    input: input({ vehicleClass: 2 }, { totalAmount: fen(1800), totalDiscountAmount: fen(1710) }),
    expect: { exitFeeType: 1, fee: 1710, codes: [51], auth: ['CLASS_MISMATCH'] },
  },
  {
    name: 'class mismatch with policy "higher" charges the higher entry class',
    input: input(
      {
        vehicleClass: 1,
        card: { userType: 0, entry: { station: stationId(1), time: ENTRY, vehicleClass: 2 } },
      },
      { totalAmount: fen(1800), totalDiscountAmount: fen(1710) },
    ),
    deps: { policy: { classMismatchFeeClass: 'higher' } },
    expect: { exitFeeType: 1, fee: 1710, codes: [51] },
  },
  {
    name: '绿通 kind without the 绿通 entry flag → 53 (still free, authorised)',
    input: input({
      vehicleKind: 21,
      card: { userType: 0, entry: { station: stationId(1), time: ENTRY, vehicleClass: 1, statusFlag: 0xff } },
    }),
    expect: { exitFeeType: 1, fee: 0, codes: [53, 128], auth: ['FREE_VEHICLE', 'INSPECTION', 'STATUS_FLAG'] },
  },
  {
    name: 'container flag on an ordinary kind → 53',
    input: input({
      card: { userType: 0, entry: { station: stationId(1), time: ENTRY, vehicleClass: 1, statusFlag: 0x04 } },
    }),
    expect: { exitFeeType: 1, fee: 856, codes: [53], auth: ['STATUS_FLAG'] },
  },
  {
    name: 'entry flag 0x01 非优惠 → no ETC discount (M = 900)',
    input: input({
      card: { userType: 0, entry: { station: stationId(1), time: ENTRY, vehicleClass: 1, statusFlag: 0x01 } },
    }),
    expect: { exitFeeType: 1, fee: 900, payFee: 900, discountFee: 0, codes: [] },
  },
  {
    name: 'U-turn with OBU accumulated → 111, type 1',
    input: input({ exitStation: stationId(1) }, { totalAmount: fen(500), totalDiscountAmount: fen(475) }),
    expect: { exitFeeType: 1, fee: 475, codes: [111], auth: ['U_TURN'] },
  },
  {
    name: 'U-turn without amount, online through gantries',
    input: input(
      { exitStation: stationId(1), gantries: [{ gantry: 'A00011' }, { gantry: 'A00012' }] },
      { totalAmount: fen(0), totalDiscountAmount: fen(0) },
    ),
    expect: { exitFeeType: 4, fee: 856, codes: [111], auth: ['U_TURN'] },
  },
  {
    name: 'U-turn, online 0 → farthest-station fallback',
    input: input({ exitStation: stationId(1) }, { totalAmount: fen(0), totalDiscountAmount: fen(0) }),
    expect: { exitFeeType: 6, fee: 1284, codes: [63, 111], auth: ['U_TURN', 'MIN_FEE'] },
  },
  {
    name: 'unreachable pair → 59, online 66, nothing to fall back on',
    input: input({ exitStation: stationId(5) }),
    expect: { exitFeeType: 6, fee: 0, codes: [59, 61, 66] },
  },
  {
    name: '绿通 → free after inspection, 128, discountType 1',
    input: input({ vehicleKind: 21 }),
    expect: {
      exitFeeType: 1,
      fee: 0,
      payFee: 900,
      discountFee: 900,
      codes: [128],
      auth: ['FREE_VEHICLE', 'INSPECTION'],
      discountType: 1,
    },
  },
  {
    name: '联合收割机 → 132, discountType 2',
    input: input({ vehicleKind: 22 }, { totalDiscountAmount: fen(1) }),
    expect: {
      exitFeeType: 6,
      fee: 0,
      payFee: 900,
      codes: [132],
      auth: ['FREE_VEHICLE', 'INSPECTION'],
      discountType: 2,
    },
  },
  {
    name: '军警 → free, authorisation, no inspection',
    input: input({ vehicleKind: 8 }),
    expect: { exitFeeType: 1, fee: 0, codes: [], auth: ['FREE_VEHICLE'] },
  },
  {
    name: 'holiday free for class 1 by Beijing exit date → 116',
    input: input({ exitTime: new Date('2024-10-06T17:00:00Z') }), // 2024-10-07 01:00 Beijing
    deps: { policy: { holidays: [{ from: '2024-10-01', to: '2024-10-07' }], timeoutHours: 10_000 } },
    expect: { exitFeeType: 1, fee: 0, payFee: 900, codes: [116], auth: [], discountType: 5 },
  },
  {
    name: 'holiday does not apply after the last day (Beijing)',
    input: input({ exitTime: new Date('2024-10-07T16:00:00Z') }), // 2024-10-08 00:00 Beijing
    deps: { policy: { holidays: [{ from: '2024-10-01', to: '2024-10-07' }], timeoutHours: 10_000 } },
    expect: { exitFeeType: 1, fee: 856, codes: [] },
  },
  {
    name: 'holiday does not apply to a 9-seat car',
    input: input({ exitTime: new Date('2024-10-03T02:00:00Z'), seats: 9 }),
    deps: { policy: { holidays: [{ from: '2024-10-01', to: '2024-10-07' }], timeoutHours: 10_000 } },
    expect: { exitFeeType: 1, fee: 856, codes: [] },
  },
];

async function run(row: Row): Promise<ExitFeeDecision> {
  const r = await decideExitFee(row.input, { tables, onlineFee: local, ...row.deps });
  if (!r.ok) throw new Error(`${row.name}: ${r.error.message}`);
  return r.value;
}

describe('decideExitFee decision table', () => {
  const reachedCodes = new Set<number>();
  const reachedTypes = new Set<number>();

  for (const row of rows) {
    it(row.name, async () => {
      const d = await run(row);
      for (const c of d.specialCodes) reachedCodes.add(c);
      reachedTypes.add(d.exitFeeType);
      expect(d.exitFeeType).toBe(row.expect.exitFeeType);
      expect(d.fee).toBe(row.expect.fee);
      if (row.expect.payFee !== undefined) expect(d.payFee).toBe(row.expect.payFee);
      if (row.expect.discountFee !== undefined) expect(d.discountFee).toBe(row.expect.discountFee);
      expect(d.specialCodes).toEqual(row.expect.codes);
      if (row.expect.auth) {
        expect(d.authorisation.reasons.map((a) => a.code).sort()).toEqual([...row.expect.auth].sort());
        expect(d.authorisation.required).toBe(row.expect.auth.length > 0);
      }
      if (row.expect.discountType !== undefined) expect(d.discountType).toBe(row.expect.discountType);
      expect(d.payFee).toBe(d.fee + d.discountFee);
      expect(d.spcRateVersion).toBe('99000001');
      expect(d.trace.at(-1)?.rule).toBe('RESULT');
    });
  }

  it('reaches every special code and exitFeeType the decision can emit', () => {
    expect([...reachedCodes].sort((a, b) => a - b)).toEqual(
      [...DECISION_SPECIAL_CODES].sort((a, b) => a - b),
    );
    expect([...reachedTypes].sort((a, b) => a - b)).toEqual([...DECISION_EXIT_FEE_TYPES]);
  });
});

describe('decideExitFee details', () => {
  it('records shortFee, shortFeeMileage and feeRate', async () => {
    const d = await run({
      name: 'x',
      input: input({}, { totalAmount: fen(1300), totalDiscountAmount: fen(1235) }),
      expect: { exitFeeType: 1, fee: 0, codes: [] },
    });
    expect([d.shortFee, d.shortFeeMileage, d.feeRate]).toEqual([856, 20000, 1.4428]);
  });

  it('gives the min-fee fallback when an over-band online fee is refused', async () => {
    const d = await run({
      name: 'x',
      input: input({}, { totalDiscountAmount: fen(1) }),
      deps: { onlineFee: online(2000, 1900) },
      expect: { exitFeeType: 4, fee: 0, codes: [] },
    });
    expect(d.ifRefused).toEqual({ payFee: 900, fee: 856, discountFee: 44, exitFeeType: 6 });
  });

  it('returns typed errors for an unknown exit, a bad class and a missing entry', async () => {
    const deps = { tables, onlineFee: local };
    expect(await decideExitFee(input({ exitStation: 'nope' }), deps)).toMatchObject({
      ok: false,
      error: { code: 'EXIT_STATION_UNKNOWN' },
    });
    expect(await decideExitFee(input({ exitTime: new Date('nope') }), deps)).toMatchObject({
      ok: false,
      error: { code: 'INPUT_INVALID', field: 'exitTime' },
    });
    expect(await decideExitFee(input({ vehicleClass: 7 as never }), deps)).toMatchObject({
      ok: false,
      error: { code: 'CLASS_UNKNOWN' },
    });
    expect(await decideExitFee(input({ card: { userType: 0, entry: null } }), deps)).toMatchObject({
      ok: false,
      error: { code: 'ENTRY_REQUIRED', reason: '无入口信息，请选择入口站' },
    });
    expect(
      await decideExitFee(input({ card: { userType: 0, entry: null }, selectedEntryStation: 'X' }), deps),
    ).toMatchObject({
      ok: false,
      error: { code: 'ENTRY_STATION_UNKNOWN' },
    });
  });
});
