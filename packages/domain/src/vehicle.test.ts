import { describe, expect, it } from 'vitest';
import {
  cardUserTypeName,
  defaultKindForUserType,
  isFreeKind,
  isVehicleClass,
  isVehicleKind,
  VEHICLE_CLASSES,
  vehicleClassInfo,
} from './vehicle';

describe('vehicle classes (JT/T 489-2019)', () => {
  it('has exactly 1–4, 11–16, 21–26', () => {
    expect(VEHICLE_CLASSES.map((c) => c.code)).toEqual([
      1, 2, 3, 4, 11, 12, 13, 14, 15, 16, 21, 22, 23, 24, 25, 26,
    ]);
    for (const n of [0, 5, 6, 10, 17, 20, 27, 1.5, Number.NaN]) expect(isVehicleClass(n)).toBe(false);
  });
  it('derives axles as class % 10 with a minimum of 2', () => {
    for (const c of VEHICLE_CLASSES) {
      if (c.category !== 'passenger') expect(c.axles).toBe(Math.max(2, c.code % 10));
    }
    expect(vehicleClassInfo(16).name).toBe('六类货车');
  });
});

describe('vehicle kinds and user types', () => {
  it('free kinds', () => {
    expect(isFreeKind(0)).toBe(false);
    expect(isFreeKind(21)).toBe(true);
    expect(isFreeKind(8)).toBe(true);
    expect(isVehicleKind(7)).toBe(false);
  });
  it('defaults the kind from the card user type', () => {
    expect(defaultKindForUserType(0)).toBe(0);
    expect(defaultKindForUserType(8)).toBe(8);
    expect(defaultKindForUserType(0x18)).toBe(24);
    expect(defaultKindForUserType(17)).toBe(0);
    expect(cardUserTypeName(17)).toBe('自定义(17)');
    expect(cardUserTypeName(0x1b)).toBe('其他牵引车');
  });
});
