import { describe, expect, it } from 'vitest';
import { smallTariff, stationId } from '../test-fixtures';
import { cmdBuild, cmdExplain, cmdFee, cmdFit, cmdGenerate, cmdValidate } from './commands';

const tariff = smallTariff();
const input = {
  card: { userType: 0, entry: { station: stationId(1), time: '2024-01-17T12:00:00+08:00', vehicleClass: 1 } },
  obu: { ef04: 'ok', removed: false, totalAmount: 900, totalDiscountAmount: 856, provinceCount: 1 },
  vehicleClass: 1,
  vehicleKind: 0,
  exitStation: stationId(3),
  exitTime: '2024-01-17T15:00:00+08:00',
};

describe('tollpad-tariff commands', () => {
  it('generates a SYNTHETIC TEST province that validates', () => {
    const text = cmdGenerate({ seed: 3, roads: 4, stations: 6 });
    expect(text.startsWith('# SYNTHETIC TEST DATA')).toBe(true);
    const v = cmdValidate(text);
    expect(v.ok).toBe(true);
    expect(v.lines[1]).toContain('收费站 24');
  });

  it('builds tables and reports unreachable combinations', () => {
    const r = cmdBuild(tariff);
    expect(r.ok).toBe(true);
    // Station 5 is isolated: 4 × 2 directions × 16 classes unreachable pairs.
    expect(r.lines.at(-1)).toBe('不可达（入口, 出口, 车型）组合：128');
  });

  it('looks up a fee and fits a path', () => {
    expect(cmdFee(tariff, stationId(1), stationId(4), 1).lines[1]).toContain('13.51 元');
    const fit = cmdFit(tariff, stationId(1), stationId(4), 1, ['A00041']);
    expect(fit.lines[0]).toContain('20.00 元');
    expect(cmdFit(tariff, stationId(1), stationId(5), 1, []).lines[0]).toContain('特情 66');
  });

  it('explains a decision with inputs, rules, codes and authorisation', async () => {
    const r = await cmdExplain(
      tariff,
      { ...input, obu: { ...input.obu, totalDiscountAmount: 1 } },
      undefined,
      'fail',
    );
    expect(r.ok).toBe(true);
    const text = r.lines.join('\n');
    expect(text).toContain('2024-01-17T15:00:00+08:00');
    expect(text).toContain('BAND.BELOW');
    expect(text).toContain('ONLINE.FAILED');
    expect(text).toContain('exitFeeType 6');
    expect(text).toContain('15 OBU累计金额小于最小费额');
    expect(text).toContain('使用最小费额需要监控确认');
  });

  it('explains a CPC exit from JSON: the card amount, whole yuan; a bad block names its field', async () => {
    const block = (fee: number, first: string, last: string, from: string, to: string) => ({
      province: 0x37,
      gantryCount: 2,
      fee,
      mileageM: 10000,
      entryGantry: first,
      entryTime: from,
      latestGantry: last,
      latestTime: to,
      fitFailed: false,
      empty: false,
    });
    const cpc = {
      provinceCount: 1,
      blocks: [block(930, 'A00011', 'A00021', '2024-01-17T12:10:00+08:00', '2024-01-17T12:40:00+08:00')],
      pathGantries: ['A00011', 'A00021'],
      entryTime: '2024-01-17T12:00:00+08:00',
    };
    const cpcInput = { ...input, obu: null, cpc, plate: '鲁A12345' };
    const r = await cmdExplain(tariff, cpcInput, undefined, 'fail');
    const text = r.lines.join('\n');
    expect(text).toContain('CPC.CARD_AMOUNT');
    expect(text).toContain('exitFeeType 3');
    expect(text).toContain('ROUND.YUAN');
    const bad = { ...cpcInput, cpc: { ...cpc, blocks: [{ ...cpc.blocks[0], latestTime: 'x' }] } };
    expect((await cmdExplain(tariff, bad, undefined, 'fail')).lines[0]).toContain('cpc.blocks[0].latestTime');
  });

  it('refuses bad input, bad policies and bad tariffs with messages', async () => {
    expect((await cmdExplain(tariff, { ...input, vehicleClass: 7 }, undefined, 'local')).lines[0]).toContain(
      'vehicleClass',
    );
    expect((await cmdExplain(tariff, input, { timeoutHour: 1 }, 'local')).lines[0]).toContain(
      'policy.timeoutHour',
    );
    expect(cmdValidate('{"type":"header"}').ok).toBe(false);
  });
});
