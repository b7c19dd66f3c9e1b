import type { Fen } from '@tollpad/domain';
import { describe, expect, it } from 'vitest';
import { buildMinFeeTables } from '../../min-fee';
import { loadTariff } from '../../network';
import { CPC_EXIT, smallTariff, stationId } from '../../test-fixtures';
import { type DecisionDeps, decideExitFee } from '../decide';
import { DEFAULT_POLICY } from '../policy';
import { DecisionState } from '../state';
import type {
  ExitFeeDecision,
  ExitFeeInput,
  NoCardFacts,
  OnlineFeePort,
  OnlineFeeRequest,
  OnlineFeeResponse,
} from '../types';
import { checkInput, inputStage } from './input';
import { mediaStage } from './media';
import { farthestReachable, type NoCardSteps, noCardStage } from './no-card';
import { resultStage } from './result';

// TEST tariff: stations 1—2—3—4 (5 isolated); exit at 3, class 1: M(1→3) = 900, M(2→3) = 450, M(4→3) = 451,
// so the farthest route to 3 is from 1 (900). Whole yuan, rounded down: 450 → 400.
const loaded = loadTariff(smallTariff());
if (!loaded.ok) throw new Error('fixture');
const tables = buildMinFeeTables(loaded.value);
const PLATE = '鲁A12345';

const answer =
  (r: OnlineFeeResponse): OnlineFeePort =>
  async () =>
    r;
/** The centre found the plate's passages: entry 1, 1000 fen. */
const byPlate = answer({
  ok: true,
  fee: 1000 as Fen,
  fee95: 950 as Fen,
  mileageM: 20_000,
  entryStation: stationId(1),
});
const centreDown: OnlineFeePort = async () => Promise.reject(new Error('省中心不可达'));
const neverSeen = answer({ ok: false, reason: '省中心无该车牌的通行记录' });

function noCardInput(nc: NoCardFacts, patch: Partial<ExitFeeInput> = {}): ExitFeeInput {
  return {
    card: { userType: 0, entry: null },
    obu: null,
    noCard: nc,
    vehicleClass: 1,
    vehicleKind: 0,
    exitStation: stationId(3),
    exitTime: CPC_EXIT,
    plate: PLATE,
    ...patch,
  };
}

async function decide(input: ExitFeeInput, deps: Partial<DecisionDeps> = {}): Promise<ExitFeeDecision> {
  const r = await decideExitFee(input, { tables, onlineFee: byPlate, ...deps });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** The decision as decideExitFee makes it, with one fallback of the no-card stage switched off. */
async function decideWithout(
  off: keyof NoCardSteps,
  input: ExitFeeInput,
  onlineFee: OnlineFeePort = byPlate,
): Promise<ExitFeeDecision> {
  const exitIdx = checkInput(input, tables);
  if (!exitIdx.ok || !input.noCard) throw new Error('fixture');
  const s = new DecisionState(input, tables, DEFAULT_POLICY, onlineFee, exitIdx.value);
  inputStage(s);
  const media = mediaStage(s);
  const steps: NoCardSteps = { plate: true, stated: true, farthest: true, [off]: false };
  const nc = await noCardStage(s, input.noCard, steps);
  return resultStage(s, media, nc.entry, nc.minFee, nc.charge, nc.discountType, nc.outcome);
}

const rules = (d: ExitFeeDecision) => d.trace.map((t) => t.rule);
const auth = (d: ExitFeeDecision) => d.authorisation.reasons.map((r) => r.code).sort();

describe('no card, a: the online fee by the actual plate', () => {
  const input = noCardInput({ reason: 'no-card', statedEntry: stationId(2) });

  it('asks the centre by plate with no entry, charges its fee as exitFeeType 4, entry as inferred', async () => {
    const asked: OnlineFeeRequest[] = [];
    const port: OnlineFeePort = async (req, signal) => {
      asked.push(req);
      return byPlate(req, signal);
    };
    const d = await decide(input, { onlineFee: port });
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ plate: PLATE, exitStation: stationId(3), level: 'province' });
    expect(asked[0]?.entryStation).toBeUndefined();
    expect([d.exitFeeType, d.fee, d.payFee, d.discountFee]).toEqual([4, 1000, 1000, 0]);
    expect(d.noCard).toEqual({
      reason: 'no-card',
      rule: 'NOCARD.PLATE',
      toll: 1000,
      cardCost: 0,
      inferredEntry: stationId(1),
    });
    expect(d.entryStation).toBe(stationId(1));
    expect(d.specialCodes).toEqual([36]);
    expect(rules(d)).toEqual(expect.arrayContaining(['MEDIA.NO_CARD', 'NOCARD.REASON', 'NOCARD.PLATE']));
    expect(rules(d)).not.toContain('NOCARD.STATED');
    expect(d.authorisation.required).toBe(false);
    expect(d.etcDiscountApplied).toBe(false);
  });

  it('switched off: the stated entry is charged instead (6), so the plate step is what set 4', async () => {
    const d = await decideWithout('plate', input);
    expect(rules(d)).not.toContain('NOCARD.PLATE');
    expect([d.exitFeeType, d.fee, d.noCard?.rule]).toEqual([6, 400, 'NOCARD.STATED']);
  });

  it('an online fee over 1.5 × M of the inferred entry needs the monitor; refused → that M', async () => {
    const high = answer({
      ok: true,
      fee: 2000 as Fen,
      fee95: 1900 as Fen,
      mileageM: 1,
      entryStation: stationId(1),
    });
    const d = await decide(noCardInput({ reason: 'lost' }), { onlineFee: high });
    expect([d.exitFeeType, d.fee, d.noCard?.toll, d.noCard?.cardCost]).toEqual([4, 6000, 2000, 4000]);
    expect(auth(d)).toEqual(['OVER_BAND']);
    expect(d.specialCodes).toEqual([36, 65]);
    expect(d.ifRefused).toEqual({ payFee: 4900, fee: 4900, discountFee: 0, exitFeeType: 6 });
  });

  it('an online fee below M of the inferred entry is not taken: the next fallback, with 64', async () => {
    const low = answer({
      ok: true,
      fee: 500 as Fen,
      fee95: 475 as Fen,
      mileageM: 1,
      entryStation: stationId(1),
    });
    const d = await decide(input, { onlineFee: low });
    expect(rules(d)).toEqual(expect.arrayContaining(['NOCARD.PLATE_FAILED', 'NOCARD.STATED']));
    expect(d.specialCodes).toEqual([36, 64]);
    expect(d.exitFeeType).toBe(6);
  });

  it('an inferred entry the tariff does not know: the online fee stands unbounded', async () => {
    const far = answer({
      ok: true,
      fee: 3333 as Fen,
      fee95: 3200 as Fen,
      mileageM: 1,
      entryStation: 'G0000110010010',
    });
    const d = await decide(input, { onlineFee: far });
    expect([d.exitFeeType, d.fee, d.noCard?.inferredEntry]).toEqual([4, 3300, 'G0000110010010']);
    expect(d.entryStation).toBeUndefined();
  });

  it('no plate confirmed, no online service: named in the trace, the next fallback', async () => {
    const noPlate = await decide(noCardInput({ reason: 'no-card', refused: true }, { plate: undefined }));
    expect(noPlate.trace.find((t) => t.rule === 'NOCARD.PLATE_FAILED')?.text).toContain('未确认实际车牌');
    const r = await decideExitFee(noCardInput({ reason: 'no-card', refused: true }), { tables });
    expect(r.ok && r.value.trace.find((t) => t.rule === 'NOCARD.PLATE_FAILED')?.text).toContain('未配置');
  });
});

describe('no card, b: the entry the driver states, at the shortest reachable path', () => {
  const input = noCardInput({ reason: 'no-card', statedEntry: stationId(2) });

  it('the centre never saw the plate: M(2→3) = 450 → 400 (6), with the monitor', async () => {
    const d = await decide(input, { onlineFee: neverSeen });
    expect(rules(d)).toEqual(expect.arrayContaining(['NOCARD.PLATE_FAILED', 'NOCARD.STATED', 'ROUND.YUAN']));
    expect([d.exitFeeType, d.fee, d.payFee, d.shortFee]).toEqual([6, 400, 400, 450]);
    expect(d.specialCodes).toEqual([36, 61]);
    expect(auth(d)).toEqual(['MIN_FEE', 'NO_ENTRY']);
    expect(d.noCard).toMatchObject({ rule: 'NOCARD.STATED', statedEntry: stationId(2), toll: 400 });
    expect(d.entryStation).toBe(stationId(2));
  });

  it('the stated entry by its HEX is the same station', async () => {
    const hex = tables.network.stations[1]?.hex;
    if (!hex) throw new Error('fixture');
    const d = await decide(noCardInput({ reason: 'no-card', statedEntry: hex }), { onlineFee: centreDown });
    expect(d.noCard?.statedEntry).toBe(stationId(2));
  });

  it('switched off: the farthest route is charged instead (900), so the stated step is what set 400', async () => {
    const d = await decideWithout('stated', input, neverSeen);
    expect(rules(d)).not.toContain('NOCARD.STATED');
    expect([d.exitFeeType, d.fee, d.noCard?.rule]).toEqual([6, 900, 'NOCARD.FARTHEST']);
  });

  it('a stated entry that is not a station of the network: a clear reason, then the farthest route', async () => {
    const d = await decide(noCardInput({ reason: 'no-card', statedEntry: 'G9999370019990' }), {
      onlineFee: centreDown,
    });
    expect(d.trace.find((t) => t.rule === 'NOCARD.STATED_UNKNOWN')?.text).toContain('不是本路网的收费站');
    expect([d.fee, d.noCard?.rule]).toEqual([900, 'NOCARD.FARTHEST']);
  });

  it('a stated entry that cannot reach this exit (station 5, isolated): 59, then the farthest route', async () => {
    const d = await decide(noCardInput({ reason: 'no-card', statedEntry: stationId(5) }), {
      onlineFee: centreDown,
    });
    expect(rules(d)).toContain('NOCARD.STATED_UNREACHABLE');
    expect(d.specialCodes).toEqual([36, 59, 61]);
    expect([d.fee, d.noCard?.rule]).toEqual([900, 'NOCARD.FARTHEST']);
  });

  it('the exit station itself stated as the entry: not a path, the farthest route', async () => {
    const d = await decide(noCardInput({ reason: 'no-card', statedEntry: stationId(3) }), {
      onlineFee: centreDown,
    });
    expect(rules(d)).toContain('NOCARD.STATED_UNREACHABLE');
    expect(d.noCard?.rule).toBe('NOCARD.FARTHEST');
  });
});

describe('no card, c: the farthest route', () => {
  const input = noCardInput({ reason: 'no-card', refused: true });

  it('the driver refuses: the largest M to this exit over all reachable entries (1 → 3: 900), 6', async () => {
    const d = await decide(input, { onlineFee: neverSeen });
    expect(rules(d)).toEqual(expect.arrayContaining(['NOCARD.REFUSED', 'NOCARD.FARTHEST']));
    expect([d.exitFeeType, d.fee, d.entryStation]).toEqual([6, 900, stationId(1)]);
    expect(auth(d)).toEqual(['MIN_FEE', 'NO_ENTRY']);
  });

  it('a refusal wins over a stated entry sent with it', async () => {
    const d = await decide(noCardInput({ reason: 'no-card', refused: true, statedEntry: stationId(2) }), {
      onlineFee: neverSeen,
    });
    expect(d.noCard?.rule).toBe('NOCARD.FARTHEST');
  });

  it('switched off: nothing is left but zero (NOCARD.NO_FEE), so the farthest step is what set 900', async () => {
    const d = await decideWithout('farthest', input, neverSeen);
    expect(rules(d)).not.toContain('NOCARD.FARTHEST');
    expect([d.fee, d.noCard?.rule]).toEqual([0, 'NOCARD.NO_FEE']);
  });

  it('is computed once per exit station and class (the same answer object from the cache)', () => {
    const a = farthestReachable(tables, 2, 0);
    expect(a?.entryIdx).toBe(0);
    expect(farthestReachable(tables, 2, 0)).toBe(a);
    // Station 5 is isolated: nothing reaches it.
    expect(farthestReachable(tables, 4, 0)).toBeNull();
  });

  it('an exit nothing reaches: zero with the monitor, never a throw', async () => {
    const d = await decide(noCardInput({ reason: 'lost', refused: true }, { exitStation: stationId(5) }), {
      onlineFee: neverSeen,
    });
    expect([d.noCard?.rule, d.noCard?.toll, d.fee]).toEqual(['NOCARD.NO_FEE', 0, 4000]);
    expect(d.authorisation.required).toBe(true);
  });
});

describe('no card, d: the card cost of a lost or damaged CPC', () => {
  it('lost: 36, the toll and ¥40 apart, fee = toll + cost', async () => {
    const d = await decide(noCardInput({ reason: 'lost', refused: true }), { onlineFee: neverSeen });
    expect([d.fee, d.payFee, d.discountFee]).toEqual([4900, 4900, 0]);
    expect(d.noCard).toMatchObject({ reason: 'lost', toll: 900, cardCost: 4000 });
    expect(d.specialCodes).toContain(36);
    expect(d.trace.find((t) => t.rule === 'NOCARD.CARD_COST')?.text).toContain('4000');
  });

  it('damaged: 35, and the province sets the cost', async () => {
    const d = await decide(noCardInput({ reason: 'damaged' }), { policy: { cardCost: 2500 } });
    expect(d.specialCodes).toEqual([35]);
    expect([d.fee, d.noCard?.toll, d.noCard?.cardCost]).toEqual([3500, 1000, 2500]);
  });

  it('no card taken at entry: no card cost, no cost line', async () => {
    const d = await decide(noCardInput({ reason: 'no-card' }));
    expect(d.noCard?.cardCost).toBe(0);
    expect(rules(d)).not.toContain('NOCARD.CARD_COST');
  });

  it('rounds the toll to the yuan before the cost is added', async () => {
    const d = await decide(noCardInput({ reason: 'lost', statedEntry: stationId(4) }), {
      onlineFee: centreDown,
      policy: { nonEtcRounding: 'nearest' },
    });
    // M(4→3) = 451 → 500 to the nearest yuan; + 4000.
    expect([d.noCard?.toll, d.fee]).toEqual([500, 4500]);
  });
});

describe('no card: free kinds and bad input', () => {
  it('a free kind is not asked online; its fee is 0 but a lost card still costs', async () => {
    let asked = 0;
    const port: OnlineFeePort = async (req, signal) => {
      asked++;
      return byPlate(req, signal);
    };
    const d = await decide(noCardInput({ reason: 'lost', statedEntry: stationId(1) }, { vehicleKind: 8 }), {
      onlineFee: port,
    });
    expect(asked).toBe(0);
    expect([d.fee, d.payFee, d.discountFee]).toEqual([4000, 4900, 900]);
    expect(d.noCard?.toll).toBe(0);
  });

  it.each([
    [
      'an entry on the card',
      { card: { userType: 0, entry: { station: stationId(1), time: CPC_EXIT, vehicleClass: 1 } } },
      'noCard',
    ],
    [
      'an OBU',
      {
        obu: {
          ef04: 'ok',
          removed: false,
          totalAmount: 1 as Fen,
          totalDiscountAmount: 1 as Fen,
          provinceCount: 1,
        } as const,
      },
      'noCard',
    ],
    ['an unknown reason', { noCard: { reason: 'stolen' } as unknown as NoCardFacts }, 'noCard.reason'],
    [
      'a stated entry of 33 characters',
      { noCard: { reason: 'no-card', statedEntry: 'X'.repeat(33) } as const },
      'noCard.statedEntry',
    ],
  ] as const)('refuses %s with INPUT_INVALID', async (_n, patch, field) => {
    const r = await decideExitFee(noCardInput({ reason: 'no-card' }, patch as Partial<ExitFeeInput>), {
      tables,
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID', field } });
  });
});
