import { describe, expect, it } from 'vitest';
import { formatVehicleId, type PlateColour, parseVehicleId, validatePlate } from './plate';

const valid: Array<[string, PlateColour]> = [
  ['京A12345', 0],
  ['鲁B8K2L3', 0],
  ['陕A0K112', 0],
  ['使123456', 0],
  ['鲁A1234学', 1],
  ['鲁A1234挂', 1],
  ['粤Z1234港', 2],
  ['粤Z1234澳', 2],
  ['沪A1234领', 2],
  ['京A1234警', 3],
  ['WJ警00081', 3],
  ['WJ京1234J', 3],
  ['BA12345', 3],
  ['粤BD12345', 4],
  ['粤BFA1234', 4],
  ['粤B12345D', 5],
  ['苏E12345', 6],
  ['临A123', 7],
  ['鲁A12', 11],
  ['V1234', 12],
];

const invalid: Array<[string, number, RegExp]> = [
  ['京A1I345', 0, /第4位不能是字母I或O/],
  ['京AO2345', 0, /第3位不能是字母I或O/],
  ['京A1234', 0, /应为7位/],
  ['X京12345', 0, /第1位/],
  ['京112345', 0, /第2位/],
  ['', 0, /为空/],
  ['粤B12345D', 4, /第3位应为D或F/],
  ['粤BD12345', 5, /第8位应为D或F/],
  ['粤B1234', 4, /应为8位/],
  ['WJ警00081', 1, /应为7位/],
  ['鲁A12I4学', 1, /第5位不能是字母I或O/],
  ['粤Z1234X港', 2, /应为7位/],
  ['WJ警0008', 3, /第1位/],
  ['苏E1234I', 6, /格式与蓝白渐变色不符/],
  ['鲁A12_', 11, /2–9位/],
  ['V1234!', 12, /2–9位/],
  ['陕AOK112', 0, /第3位不能是字母I或O/],
  ['临', 7, /2–9位/],
  ['临A12345678', 7, /2–9位/],
  ['京A12345', 9, /颜色9/],
  ['京A12345', 8, /未知的车牌颜色/],
  ['京A12345', 10, /未知的车牌颜色/],
];

describe('validatePlate', () => {
  it.each(valid)('accepts %s with colour %i', (plate, colour) => {
    const r = validatePlate(plate, colour);
    expect(r.ok, r.ok ? '' : r.error.reason).toBe(true);
  });
  it.each(invalid)('refuses %j with colour %i', (plate, colour, reason) => {
    const r = validatePlate(plate, colour);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.reason).toMatch(reason);
  });
  it('has valid and invalid cases for every colour', () => {
    const colours = [0, 1, 2, 3, 4, 5, 6, 7, 9, 11, 12];
    expect(new Set(invalid.map(([, c]) => c))).toEqual(new Set([...colours, 8, 10]));
    expect(new Set(valid.map(([, c]) => c))).toEqual(new Set(colours.filter((c) => c !== 9)));
  });
  it('accepts the unrecognised plate only when allowed (camera plates)', () => {
    expect(validatePlate('默A00000', 9).ok).toBe(false);
    expect(validatePlate('默A00000', 9, { allowUnrecognised: true })).toMatchObject({ ok: true });
    expect(validatePlate('默A00000', 0, { allowUnrecognised: true }).ok).toBe(false);
  });
  it('normalises case and whitespace', () => {
    expect(validatePlate(' 京a12345 ', 0)).toMatchObject({ ok: true, value: { plate: '京A12345' } });
  });
});

describe('plate_colour record form', () => {
  it('formats and parses', () => {
    expect(formatVehicleId('京A12345', 1)).toBe('京A12345_1');
    expect(parseVehicleId('京A12345_0')).toEqual({ ok: true, value: { plate: '京A12345', colour: 0 } });
    expect(parseVehicleId('粤BD12345_4')).toMatchObject({ ok: true });
    expect(parseVehicleId('默A00000_9', { allowUnrecognised: true })).toMatchObject({ ok: true });
  });
  it.each(['京A12345', '京A12345_', '_1', '京A12345_8', '京A1I345_0', '默A00000_9'])('refuses %j', (s) => {
    const r = parseVehicleId(s);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.field).toMatch(/^vehicleId/);
  });
});
