import type { Fen } from '@tollpad/domain';
import { describe, expect, it } from 'vitest';
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
import { type DecisionDeps, decideExitFee } from '../decide';
import type { ProvincePolicy } from '../policy';
import type { RuleId } from '../state';
import type { CpcFeeFacts, ExitFeeDecision, ExitFeeInput, OnlineFeePort, OnlineFeeRequest } from '../types';

// TEST tariff: stations 1—2—3—4; class 1, 1→3: M = 900, band [900, 1350]. The TEST CPC has A = 930.
const loaded = loadTariff(smallTariff());
if (!loaded.ok) throw new Error('fixture');
const tables = buildMinFeeTables(loaded.value);
const POLICY: Partial<ProvincePolicy> = { cpcBorderGantries: [CPC_NEIGHBOUR_BORDER] };
const ONLINE_FEE = 1100;
const onlineOk: OnlineFeePort = async () => ({
  ok: true,
  fee: ONLINE_FEE as Fen,
  fee95: 1045 as Fen,
  mileageM: 20_000,
});
const onlineDown: OnlineFeePort = async () => Promise.reject(new Error('省中心不可达'));

function cpcInput(cpc: CpcFeeFacts = cpcFacts(), patch: Partial<ExitFeeInput> = {}): ExitFeeInput {
  return {
    card: { userType: 0, entry: { station: stationId(1), time: CPC_ENTRY, vehicleClass: 1 } },
    obu: null,
    cpc,
    vehicleClass: 1,
    vehicleKind: 0,
    exitStation: stationId(3),
    exitTime: CPC_EXIT,
    plate: '鲁A12345',
    ...patch,
  };
}

async function decide(input: ExitFeeInput, deps: Partial<DecisionDeps> = {}): Promise<ExitFeeDecision> {
  const r = await decideExitFee(input, {
    tables,
    onlineFee: onlineOk,
    ...deps,
    policy: { ...POLICY, ...deps.policy },
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const rules = (d: ExitFeeDecision) => d.trace.map((t) => t.rule);
const two = (a: Partial<CpcFeeFacts['blocks'][number]>, b: Partial<CpcFeeFacts['blocks'][number]> = {}) =>
  cpcFacts({ blocks: [cpcBlock(a), cpcBlock(b, true)] });
const at = (day: string, hm: string) => new Date(`${day}T${hm}:00+08:00`);

describe('CPC fee: the plausible card', () => {
  it('charges Σ blocks as exitFeeType 3, rounded down to the yuan, without the ETC discount', async () => {
    const d = await decide(cpcInput());
    expect([d.exitFeeType, d.fee, d.payFee, d.discountFee, d.shortFee]).toEqual([3, 900, 900, 0, 900]);
    expect(d.etcDiscountApplied).toBe(false);
    expect(d.specialCodes).toEqual([]);
    expect(rules(d)).toEqual(
      expect.arrayContaining(['MEDIA.CPC', 'CPC.PLAUSIBLE', 'CPC.CARD_AMOUNT', 'ROUND.YUAN']),
    );
    expect(d.authorisation.required).toBe(false);
  });
});

interface RuleCase {
  readonly rule: RuleId;
  readonly name: string;
  readonly input: ExitFeeInput;
  readonly policy?: Partial<ProvincePolicy>;
  readonly codes: number[];
}

// One case per plausibility rule; each card is plausible but for that one rule, so without the rule the
// decision would charge the card (exitFeeType 3, 900) instead of the online fee (1100).
const ruleCases: RuleCase[] = [
  {
    rule: 'CPC.PROVINCE_COUNT',
    name: 'EF02 says 3 provinces, 2 blocks read',
    input: cpcInput(cpcFacts({ provinceCount: 3 })),
    codes: [18],
  },
  {
    rule: 'CPC.BLOCK_EMPTY',
    name: 'an empty block (all 00): path incomplete',
    input: cpcInput(cpcFacts({ blocks: [cpcBlock({ fee: 930 }), cpcBlock({ empty: true, fee: 0 }, true)] })),
    codes: [18],
  },
  {
    rule: 'CPC.FIT_FAILED',
    name: 'a block whose fitting flag is 01',
    input: cpcInput(two({}, { fitFailed: true })),
    codes: [68],
  },
  {
    rule: 'CPC.NOT_BORDER',
    name: 'block 1 ends at a gantry that is not a border gantry',
    input: cpcInput(two({ latestGantry: '6C0130' })),
    codes: [18],
  },
  {
    rule: 'CPC.NOT_BORDER',
    name: 'the neighbour border gantry without the policy list',
    input: cpcInput(),
    policy: { cpcBorderGantries: [] },
    codes: [18],
  },
  {
    rule: 'CPC.TIME_ORDER',
    name: 'block 1 latest time before its entry time',
    input: cpcInput(two({ latestTime: new Date(CPC_ENTRY.getTime() + 5 * 60_000) })),
    codes: [18],
  },
  {
    rule: 'CPC.TIME_ORDER',
    name: 'block 2 starts before block 1 ended',
    input: cpcInput(two({}, { entryTime: new Date(CPC_ENTRY.getTime() + 30 * 60_000) })),
    codes: [18],
  },
  {
    rule: 'CPC.AMOUNT_ABOVE',
    name: 'A = 1351 > 1.5 × 900',
    input: cpcInput(two({ fee: 821 })),
    codes: [29],
  },
  {
    rule: 'CPC.AMOUNT_BELOW',
    name: 'A = 899 < M',
    input: cpcInput(two({ fee: 369 })),
    codes: [30],
  },
  {
    rule: 'CPC.AMOUNT_ABOVE',
    name: 'a band factor of 1.0 from the policy: 930 > 900',
    input: cpcInput(),
    policy: { cpcBandUpper: [1, 1] },
    codes: [29],
  },
];

describe('CPC fee: each plausibility rule sends the exit to the online fee', () => {
  for (const c of ruleCases) {
    it(`${c.rule}: ${c.name}`, async () => {
      const d = await decide(c.input, { policy: c.policy ?? {} });
      expect(rules(d)).toContain(c.rule);
      expect(rules(d)).not.toContain('CPC.PLAUSIBLE');
      expect(d.specialCodes).toEqual(c.codes);
      expect(rules(d)).toContain('CPC.ONLINE');
      // 2 provinces → 部中心 (5); the online fee, already whole yuan.
      expect([d.exitFeeType, d.fee]).toEqual([5, ONLINE_FEE]);
    });
  }

  it('the band is inclusive: A = M and A = 1.5 × M are charged from the card', async () => {
    for (const fee of [370, 820]) {
      const d = await decide(cpcInput(two({ fee })), { policy: { nonEtcRounding: 'nearest' } });
      expect([d.exitFeeType, d.fee]).toEqual([3, Math.round((fee + 530) / 100) * 100]);
    }
  });

  it('accepts a block ending at a gantry the tariff itself marks as border (A00012)', async () => {
    const d = await decide(cpcInput(two({ latestGantry: 'A00012' })), { policy: { cpcBorderGantries: [] } });
    expect([d.exitFeeType, d.fee]).toEqual([3, 900]);
  });
});

describe('CPC fee: entry age (7 days, Beijing calendar dates or 168 hours)', () => {
  // Blocks in the middle of the trip, so only the age can fail.
  const trip = (entry: Date, exit: Date): ExitFeeInput => {
    const mid = (k: number) => new Date(exit.getTime() - (100 - k) * 60_000);
    const facts = cpcFacts({
      entryTime: entry,
      blocks: [
        cpcBlock({ entryTime: mid(10), latestTime: mid(20) }),
        cpcBlock({ entryTime: mid(30), latestTime: mid(40) }, true),
      ],
    });
    return cpcInput(facts, {
      exitTime: exit,
      card: { userType: 0, entry: { station: stationId(1), time: entry, vehicleClass: 1 } },
    });
  };
  const late = trip(at('2024-05-10', '23:50'), at('2024-05-17', '23:59')); // 7 calendar days, 168 h 9 min
  const eight = trip(at('2024-05-10', '00:10'), at('2024-05-18', '00:05')); // 8 calendar days, < 192 h

  it('10 May → 17 May is within 7 calendar days; 168 h 9 min is over 168 hours', async () => {
    const calendar = await decide(late);
    expect(rules(calendar)).not.toContain('CPC.ENTRY_AGE');
    expect(calendar.exitFeeType).toBe(3);
    const hours = await decide(late, { policy: { cpcEntryAgeMethod: 'elapsed-hours' } });
    expect(rules(hours)).toContain('CPC.ENTRY_AGE');
    expect([hours.exitFeeType, hours.fee]).toEqual([5, ONLINE_FEE]);
  });

  it('10 May → 18 May is 8 calendar days: not plausible (58), though under 192 hours', async () => {
    const d = await decide(eight);
    expect(rules(d)).toContain('CPC.ENTRY_AGE');
    expect(d.specialCodes).toContain(58);
    expect([d.exitFeeType, d.fee]).toEqual([5, ONLINE_FEE]);
    const longer = await decide(eight, { policy: { cpcEntryMaxDays: 8 } });
    expect(rules(longer)).not.toContain('CPC.ENTRY_AGE');
    expect(longer.exitFeeType).toBe(3);
  });

  it('an entry after the exit is not plausible', async () => {
    const d = await decide(cpcInput(cpcFacts({ entryTime: new Date(CPC_EXIT.getTime() + 60_000) })));
    expect(rules(d)).toContain('CPC.ENTRY_AGE');
    expect(d.exitFeeType).toBe(5);
  });
});

describe('CPC fee: fallbacks (cpc-card.md §5.3)', () => {
  it('online fee by the actual plate, with the card path, when the card is not plausible', async () => {
    const asked: OnlineFeeRequest[] = [];
    const port: OnlineFeePort = async (req, signal) => {
      asked.push(req);
      return onlineOk(req, signal);
    };
    const d = await decide(cpcInput(two({ fee: 100 })), { onlineFee: port });
    expect([d.exitFeeType, d.fee]).toEqual([5, ONLINE_FEE]);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ level: 'ministry', plate: '鲁A12345' });
    expect(asked[0]?.gantries.map((g) => g.gantry)).toEqual(['A00011', 'A00021']);
    expect(rules(d)).toContain('ONLINE.OK');
  });

  it('a single-province card goes to the 省中心 (4)', async () => {
    const d = await decide(cpcInput(cpcFacts({ provinceCount: 1, blocks: [cpcBlock({ fee: 100 }, true)] })));
    expect([d.exitFeeType, d.fee]).toEqual([4, ONLINE_FEE]);
  });

  it('online fails → the card amount when the record is whole (over the band: monitor, refusal = M)', async () => {
    const d = await decide(cpcInput(two({ fee: 1500 })), { onlineFee: onlineDown });
    expect(rules(d)).toEqual(
      expect.arrayContaining(['CPC.AMOUNT_ABOVE', 'ONLINE.FAILED', 'CPC.FALLBACK_CARD']),
    );
    expect([d.exitFeeType, d.fee]).toEqual([3, 2000]);
    expect(d.specialCodes).toEqual([29, 62]);
    expect(d.authorisation.reasons.map((r) => r.code)).toEqual(['OVER_BAND']);
    expect(d.ifRefused).toEqual({ payFee: 900, fee: 900, discountFee: 0, exitFeeType: 6 });
  });

  it('online fails → the card amount for a whole record whose entry is too old', async () => {
    const d = await decide(cpcInput(), { onlineFee: onlineDown, policy: { cpcEntryMaxDays: -1 } });
    expect(rules(d)).toEqual(expect.arrayContaining(['CPC.ENTRY_AGE', 'CPC.FALLBACK_CARD']));
    expect([d.exitFeeType, d.fee]).toEqual([3, 900]);
  });

  it('no online service at all → the card amount too', async () => {
    const r = await decideExitFee(
      cpcInput(cpcFacts({ provinceCount: 1, blocks: [cpcBlock({ fee: 2000 }, true)] })),
      {
        tables,
        policy: POLICY,
      },
    );
    expect(r.ok && [r.value.exitFeeType, r.value.fee, rules(r.value).includes('CPC.FALLBACK_CARD')]).toEqual([
      3,
      2000,
      true,
    ]);
  });

  it('online fails and the record is broken → the shortest reachable path (6), with authorisation', async () => {
    const d = await decide(cpcInput(two({ fitFailed: true })), { onlineFee: onlineDown });
    expect(rules(d)).toEqual(expect.arrayContaining(['CPC.FIT_FAILED', 'CPC.FALLBACK_SHORTEST']));
    expect(rules(d)).not.toContain('CPC.FALLBACK_CARD');
    expect([d.exitFeeType, d.fee]).toEqual([6, 900]);
    expect(d.authorisation.reasons.map((r) => r.code)).toContain('MIN_FEE');
  });

  it('online fails and the card undercuts M → the shortest reachable path, never less than M', async () => {
    const d = await decide(cpcInput(two({ fee: 100 })), { onlineFee: onlineDown });
    expect(rules(d)).toEqual(expect.arrayContaining(['CPC.AMOUNT_BELOW', 'CPC.FALLBACK_SHORTEST']));
    expect([d.exitFeeType, d.fee]).toEqual([6, 900]);
  });

  it('online fee below M → not taken; the whole card above M is charged', async () => {
    const low: OnlineFeePort = async () => ({ ok: true, fee: 500 as Fen, fee95: 475 as Fen, mileageM: 1 });
    const d = await decide(cpcInput(two({ fee: 1500 })), { onlineFee: low });
    expect(rules(d)).toEqual(expect.arrayContaining(['ONLINE.BELOW_MIN', 'CPC.FALLBACK_CARD']));
    expect([d.exitFeeType, d.fee]).toEqual([3, 2000]);
  });
});

describe('CPC fee: exit segment and rounding', () => {
  // Card 400 + 130 = 530 < M; the segment after A00011 (1→2) to exit 3 is M(2→3) = 450 → 980 in band.
  const short = cpcInput(two({ fee: 400 }, { fee: 130, latestGantry: 'A00011' }));

  it('off by default: Σ blocks alone', async () => {
    const d = await decide(short);
    expect(rules(d)).not.toContain('CPC.EXIT_SEGMENT');
    expect(rules(d)).toContain('CPC.AMOUNT_BELOW');
  });

  it('on: the exit segment is added before the band check', async () => {
    const d = await decide(short, { policy: { cpcAddExitSegment: true, nonEtcRounding: 'nearest' } });
    expect(rules(d)).toEqual(expect.arrayContaining(['CPC.EXIT_SEGMENT', 'CPC.CARD_AMOUNT']));
    expect([d.exitFeeType, d.fee]).toEqual([3, 1000]);
  });

  it('rounds to the yuan down or to the nearest by province policy', async () => {
    const a1050 = cpcInput(two({ fee: 520 }));
    expect((await decide(a1050)).fee).toBe(1000);
    expect((await decide(a1050, { policy: { nonEtcRounding: 'nearest' } })).fee).toBe(1100);
    const a1049 = cpcInput(two({ fee: 519 }));
    expect((await decide(a1049, { policy: { nonEtcRounding: 'nearest' } })).fee).toBe(1000);
  });

  it('rounds a CPC minimum fee too, and leaves an ETC exit in fen', async () => {
    const text = smallTariff().replace(/"1":450,/g, '"1":455,');
    const t = loadTariff(text);
    if (!t.ok) throw new Error('fixture');
    const odd = buildMinFeeTables(t.value);
    const r = await decideExitFee(cpcInput(two({ fitFailed: true })), {
      tables: odd,
      onlineFee: onlineDown,
      policy: POLICY,
    });
    expect(r.ok && [r.value.exitFeeType, r.value.fee, r.value.payFee]).toEqual([6, 900, 900]);
  });
});

describe('CPC fee: bad input', () => {
  const bad = async (cpc: unknown, patch: Partial<ExitFeeInput> = {}) =>
    decideExitFee(cpcInput(cpc as CpcFeeFacts, patch), { tables, onlineFee: onlineOk });
  it.each([
    ['more than 22 blocks', cpcFacts({ blocks: Array.from({ length: 23 }, () => cpcBlock()) }), 'cpc.blocks'],
    ['a fee over 3 bytes', two({ fee: 0x1000000 }), 'cpc.blocks[0].fee'],
    ['a negative fee', two({ fee: -1 }), 'cpc.blocks[0].fee'],
    ['a fractional mileage', two({ mileageM: 1.5 }), 'cpc.blocks[0].mileageM'],
    ['a bad gantry HEX', two({ latestGantry: 'XYZ' }), 'cpc.blocks[0].latestGantry'],
    ['an invalid time', two({ entryTime: new Date('nope') }), 'cpc.blocks[0].entryTime'],
    ['a province count over a byte', cpcFacts({ provinceCount: 256 }), 'cpc.provinceCount'],
    [
      '25 path gantries',
      cpcFacts({ pathGantries: Array.from({ length: 25 }, () => 'A00011') }),
      'cpc.pathGantries',
    ],
  ])('refuses %s with INPUT_INVALID naming the field', async (_n, cpc, field) => {
    expect(await bad(cpc)).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID', field } });
  });

  it('refuses an exit carrying both OBU and CPC facts', async () => {
    const obu = {
      ef04: 'ok',
      removed: false,
      totalAmount: 1 as Fen,
      totalDiscountAmount: 1 as Fen,
      provinceCount: 1,
    } as const;
    expect(await bad(cpcFacts(), { obu })).toMatchObject({ ok: false, error: { field: 'cpc' } });
  });
});

describe('CPC fee: the worked example (cpc-card.md §9)', () => {
  // TEST tariff with two stations carrying §9's HEX codes and M = 6800 between them (class 1).
  const text = [
    JSON.stringify({
      type: 'header',
      format: 'tollpad-tariff',
      formatVersion: 1,
      version: '99000009',
      province: '62',
      etcDiscount: [95, 100],
      label: 'TEST DATA (cpc-card.md §9)',
    }),
    JSON.stringify({ type: 'station', id: 'G9999620010010', hex: '61010203', name: '测试入口' }),
    JSON.stringify({ type: 'station', id: 'G9999620010020', hex: '62010A1B', name: '测试出口' }),
    JSON.stringify({
      type: 'interval',
      id: 'G999962001000110',
      from: 'G9999620010010',
      to: 'G9999620010020',
      lengthM: 70_400,
      fees: Object.fromEntries(
        [1, 2, 3, 4, 11, 12, 13, 14, 15, 16, 21, 22, 23, 24, 25, 26].map((c) => [String(c), 6800]),
      ),
    }),
  ].join('\n');
  const t = loadTariff(text);
  if (!t.ok) throw new Error(JSON.stringify(t.error));
  const example = buildMinFeeTables(t.value);
  const unix = (hex: string) => new Date(Number.parseInt(hex, 16) * 1000);

  it('A = 4500 + 2530 = 7030, M = 6800 → exitFeeType 3, fee 7000 (both rounding modes)', async () => {
    const cpc: CpcFeeFacts = {
      provinceCount: 2,
      blocks: [
        {
          province: 0x61,
          gantryCount: 2,
          fee: 0x001194,
          mileageM: 0x00afc8,
          entryGantry: '6C0110',
          entryTime: unix('663D64B8'),
          latestGantry: '6C012F',
          latestTime: unix('663D6858'),
          fitFailed: false,
          empty: false,
        },
        {
          province: 0x62,
          gantryCount: 3,
          fee: 0x0009e2,
          mileageM: 0x006338,
          entryGantry: '700021',
          entryTime: unix('663D6AC9'),
          latestGantry: '700045',
          latestTime: unix('663D7136'),
          fitFailed: false,
          empty: false,
        },
      ],
      pathGantries: ['700021', '700033', '700045'],
      entryTime: unix('663D5C78'),
    };
    const input: ExitFeeInput = {
      card: { userType: 0, entry: { station: '61010203', time: unix('663D5C78'), vehicleClass: 1 } },
      obu: null,
      cpc,
      vehicleClass: 1,
      vehicleKind: 0,
      exitStation: '62010A1B',
      exitTime: unix('663D72F8'),
      plate: '甘A12345',
    };
    for (const nonEtcRounding of ['down', 'nearest'] as const) {
      const r = await decideExitFee(input, {
        tables: example,
        policy: { cpcBorderGantries: ['6C012F'], nonEtcRounding },
      });
      if (!r.ok) throw new Error(r.error.message);
      const d = r.value;
      expect([d.exitFeeType, d.fee, d.payFee, d.discountFee, d.shortFee]).toEqual([3, 7000, 7000, 0, 6800]);
      expect(d.specialCodes).toEqual([]);
      expect(d.feeRate).toBe(1.0294);
      expect(rules(d)).toContain('CPC.CARD_AMOUNT');
    }
  });
});
