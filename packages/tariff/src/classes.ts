import { VEHICLE_CLASSES, type VehicleClass } from '@tollpad/domain';

/** The 16 JT/T 489-2019 classes in table order; a class's position is its index in every fee array. */
export const CLASS_CODES: readonly VehicleClass[] = VEHICLE_CLASSES.map((c) => c.code);
export const CLASS_COUNT = CLASS_CODES.length;

const INDEX = new Map<number, number>(CLASS_CODES.map((c, i) => [c, i]));

/** Index 0..15 of a class code, or -1 when the code is not a vehicle class. */
export function classIndex(code: number): number {
  return INDEX.get(code) ?? -1;
}
