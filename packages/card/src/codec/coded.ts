/** A code read from a card: the domain code when valid, the raw value always (so nothing is lost). */
import { isPlateColour, isVehicleClass, type PlateColour, type VehicleClass } from '@tollpad/domain';

export interface Coded<T extends number> {
  readonly raw: number;
  /** The domain code, or null when the card holds a value the domain does not know. */
  readonly code: T | null;
}

export function vehicleClassOf(raw: number): Coded<VehicleClass> {
  return { raw, code: isVehicleClass(raw) ? raw : null };
}

export function plateColourOf(raw: number): Coded<PlateColour> {
  return { raw, code: isPlateColour(raw) ? raw : null };
}

/** Card type byte of 0015 (S4, S15). */
export const CARD_TYPES: ReadonlyMap<number, string> = new Map([
  [0x15, '年/月票卡'],
  [0x16, '储值卡'],
  [0x17, '记账卡'],
  [0x33, '测试卡'],
  [0x34, '测试卡'],
  [0x35, '测试卡'],
]);

export type CardKind = 'stored-value' | 'account' | 'other';

export function cardKindOf(cardType: number): CardKind {
  if (cardType === 0x16) return 'stored-value';
  if (cardType === 0x17) return 'account';
  return 'other';
}
