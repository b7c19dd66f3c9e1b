import { decodeCpcFiles } from '@tollpad/card';
import { buildMinFeeTables, compileNetwork, generateProvince, lookupMinFee } from '@tollpad/tariff';
import { describe, expect, it } from 'vitest';
import { cpcSummaryOf } from './cpc-summary';
import { issueTrainingCpc, TRAINING_CPC_PROFILES } from './training-cpcs';

const EXIT_HEX = '37000102'; // the synthetic province's second station, the seed's demo exit (TEST)
const NOW = new Date('2026-12-06T12:00:00Z');

const profile = (id: string) => {
  const p = TRAINING_CPC_PROFILES.find((x) => x.id === id);
  if (!p) throw new Error(`no training CPC ${id}`);
  return p;
};

let tables: ReturnType<typeof buildMinFeeTables> | null = null;

/** The synthetic province's minimum fee (class 1) from this entry to the exit, fen. */
function minFee(entryHex: string): number {
  if (!tables) {
    const net = compileNetwork(generateProvince({}));
    if (!net.ok) throw new Error('synthetic');
    tables = buildMinFeeTables(net.value);
  }
  const m = lookupMinFee(tables, entryHex, EXIT_HEX, 1);
  if (!m.ok || !m.value.reachable) throw new Error(`no min fee from ${entryHex}`);
  return m.value.fee;
}

async function summary(id: string) {
  const cpc = await issueTrainingCpc(profile(id), EXIT_HEX, NOW);
  const files = {
    sysInfo: cpc.file('sysInfo'),
    baseInfo: cpc.file('baseInfo').subarray(0, 32),
    entry: cpc.file('entry').subarray(0, 39),
    pass: cpc.file('pass').subarray(0, 101),
    feeBlocks: cpc.file('feeBlocks').subarray(0, 23 * (cpc.file('pass')[0] ?? 0)),
  };
  return { cpc, s: cpcSummaryOf(decodeCpcFiles(files)) };
}

describe('training CPCs on the synthetic province (TEST data)', () => {
  it('offers every CPC training case in the panel', () => {
    expect(TRAINING_CPC_PROFILES.map((p) => p.id)).toEqual([
      'cpc-car',
      'cpc-incomplete-path',
      'cpc-implausible-fee',
      'cpc-over-7-days',
      'cpc-low-battery',
      'cpc-damaged',
      'cpc-other-province',
      'green-appointed',
      'green-unlisted',
      'green-banned',
      'arrears-black',
      'arrears-grey',
      'arrears-other-province',
    ]);
  });

  it('the normal CPC carries the trip the tariff prices: entry two stations back, Σ fees = the minimum fee', async () => {
    const { s } = await summary('cpc-car');
    expect(s.entry).toMatchObject({ station: '37000104', plate: '鲁A70001' });
    expect(s.provinceCount).toBe(1);
    expect(s.gantries.length).toBeGreaterThan(0);
    expect(s.feeSum).toBe(minFee('37000104'));
    expect(new Date(s.entry?.time ?? 0).getTime()).toBe(NOW.getTime() - 1.5 * 3600_000);
  });

  it('the faults show on the card: implausible fee doubled, low battery flagged, a lost block, a damaged card', async () => {
    const normal = (await summary('cpc-car')).s.feeSum;
    const implausible = (await summary('cpc-implausible-fee')).s;
    expect(implausible.feeSum).toBeGreaterThan(normal);
    expect((await summary('cpc-low-battery')).s).toMatchObject({ batteryLow: true, batteryPercent: 8 });
    const incomplete = (await summary('cpc-incomplete-path')).s;
    expect(incomplete.blocks.map((b) => b.empty)).toEqual([true, false]);
    const other = (await summary('cpc-other-province')).s;
    expect(other.entry?.station).toBe('61010203');
    expect(other.blocks.map((b) => b.province)).toEqual([0x61, 0x37]);
    // Planned from the neighbour province's station across its border gantry: Σ blocks = the minimum fee.
    expect(other.feeSum).toBe(minFee('61010203'));
    const damaged = await issueTrainingCpc(profile('cpc-damaged'), EXIT_HEX, NOW);
    expect(damaged.damaged).toBe('error');
  });
});
