import {
  blankEf0019,
  bytesToHex,
  type EtcCardState,
  hexToBytes,
  issueCard,
  plateColourOf,
  VirtualEtcCard,
  vehicleClassOf,
} from '@tollpad/card';
import { toBeijingSeconds } from '@tollpad/domain';
import type { TrainingVehicle } from './reader-hub-types';

/**
 * TEST training vehicles and their cards (synthetic test data, TEST keys). The entry station is derived
 * from this station's HEX so the fee can be computed on the synthetic province's network: same road,
 * a few stations away ([P] training convenience, not a rule).
 */
export interface TrainingProfile extends TrainingVehicle {
  cardPlate: string;
  cardColour: number;
  vehicleClass: number;
  cardType: 'stored-value' | 'account';
  algorithm: '3des' | 'sm4';
  balance: number;
  serial: number;
  /** Stations along the road from the exit, and hours ago. */
  entryOffset: number;
  entryHoursAgo: number;
}

export const TRAINING_PROFILES: readonly TrainingProfile[] = [
  {
    id: 'car',
    label: '训练小客车（储值卡，余额充足）',
    actualPlate: '鲁A12345',
    actualColour: 0,
    cardPlate: '鲁A12345',
    cardColour: 0,
    vehicleClass: 1,
    cardType: 'stored-value',
    algorithm: '3des',
    balance: 50_000,
    serial: 9_000_001,
    entryOffset: 1,
    entryHoursAgo: 1.5,
  },
  {
    id: 'truck',
    label: '训练货车（记账卡，SM4）',
    actualPlate: '鲁B67890',
    actualColour: 1,
    cardPlate: '鲁B67890',
    cardColour: 1,
    vehicleClass: 12,
    cardType: 'account',
    algorithm: 'sm4',
    balance: 0,
    serial: 9_000_002,
    entryOffset: 1,
    entryHoursAgo: 2,
  },
  {
    id: 'low-balance',
    label: '余额不足（储值卡 ¥0.01）',
    actualPlate: '鲁A20001',
    actualColour: 0,
    cardPlate: '鲁A20001',
    cardColour: 0,
    vehicleClass: 1,
    cardType: 'stored-value',
    algorithm: '3des',
    balance: 1,
    serial: 9_000_003,
    entryOffset: 1,
    entryHoursAgo: 1,
  },
  {
    id: 'status-list',
    label: '状态名单车辆',
    actualPlate: '鲁A44444',
    actualColour: 0,
    cardPlate: '鲁A44444',
    cardColour: 0,
    vehicleClass: 1,
    cardType: 'account',
    algorithm: '3des',
    balance: 0,
    serial: 666, // on the station's TEST card status list (99010000000000000666)
    entryOffset: 1,
    entryHoursAgo: 1,
  },
  {
    id: 'plate-mismatch',
    label: '车牌不符（卡内鲁A33333，实际鲁A33338）',
    actualPlate: '鲁A33338',
    actualColour: 0,
    cardPlate: '鲁A33333',
    cardColour: 0,
    vehicleClass: 1,
    cardType: 'stored-value',
    algorithm: '3des',
    balance: 50_000,
    serial: 9_000_005,
    entryOffset: 1,
    entryHoursAgo: 1,
  },
  {
    id: 'overdue',
    label: '超时车辆（需班长授权）',
    actualPlate: '鲁A55555',
    actualColour: 0,
    cardPlate: '鲁A55555',
    cardColour: 0,
    vehicleClass: 1,
    cardType: 'stored-value',
    algorithm: '3des',
    balance: 50_000,
    serial: 9_000_006,
    entryOffset: 1,
    entryHoursAgo: 50,
  },
];

/**
 * The entry station HEX on the same road as the exit (synthetic province layout: road in bytes 2–3,
 * station sequence in the last byte): `offset` stations back, or forward at the start of the road.
 */
export function entryStationHex(exitHex: string, offset: number): string {
  const road = exitHex.slice(0, 6);
  const seq = Number.parseInt(exitHex.slice(6, 8), 16) || 1;
  const next = seq - offset >= 1 ? seq - offset : seq + offset;
  return `${road}${next.toString(16).toUpperCase().padStart(2, '0')}`;
}

export function issueTrainingCard(p: TrainingProfile, exitStationHex: string, now: Date): VirtualEtcCard {
  const entryHex = entryStationHex(exitStationHex, p.entryOffset);
  const entryTime = new Date(now.getTime() - p.entryHoursAgo * 3600_000);
  const blank = blankEf0019('2019');
  const ef0019 = {
    ...blank,
    network: entryHex.slice(0, 4),
    station: entryHex.slice(4, 8),
    lane: 1,
    time: toBeijingSeconds(entryTime),
    vehicleClass: vehicleClassOf(p.vehicleClass),
    status: 0x03,
    plate: p.cardPlate,
    ...(blank.layout === '2019' ? { plateColour: plateColourOf(p.cardColour), axles: 2 } : {}),
  };
  return issueCard({
    plate: p.cardPlate,
    colour: p.cardColour,
    class: p.vehicleClass,
    cardType: p.cardType,
    algorithm: p.algorithm,
    balance: p.balance,
    serial: p.serial,
    ef0019,
  }).card;
}

/** A card image that survives a reload: the state plus the committed debits (for GET TRANSACTION PROVE). */
interface StoredCard {
  profile: string;
  state: Omit<EtcCardState, 'ef0015' | 'ef0016' | 'ef0019' | 'keys'> & {
    ef0015: string;
    ef0016: string;
    ef0019: string;
    keys: Omit<EtcCardState['keys'], 'dpk' | 'dtk'> & { dpk: string; dtk: string };
  };
  debits: VirtualEtcCard['debits'];
}

const KEY = 'tollpad.training-card';

/** Synchronous on purpose (localStorage): the image is saved after every APDU, before a reload can land. */
export function saveTrainingCard(profile: string, card: VirtualEtcCard): void {
  const s = card.state;
  const stored: StoredCard = {
    profile,
    state: {
      ...s,
      ef0015: bytesToHex(s.ef0015),
      ef0016: bytesToHex(s.ef0016),
      ef0019: bytesToHex(s.ef0019),
      keys: { ...s.keys, dpk: bytesToHex(s.keys.dpk), dtk: bytesToHex(s.keys.dtk) },
    },
    debits: [...card.debits],
  };
  try {
    localStorage.setItem(KEY, JSON.stringify(stored));
  } catch {
    // Storage unavailable: the training card lives for this page only.
  }
}

export function loadTrainingCard(): { profile: string; card: VirtualEtcCard } | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const st = JSON.parse(raw) as StoredCard;
    const state: EtcCardState = {
      ...st.state,
      ef0015: hexToBytes(st.state.ef0015),
      ef0016: hexToBytes(st.state.ef0016),
      ef0019: hexToBytes(st.state.ef0019),
      keys: { ...st.state.keys, dpk: hexToBytes(st.state.keys.dpk), dtk: hexToBytes(st.state.keys.dtk) },
    };
    const card = new VirtualEtcCard(state);
    // GAP(@tollpad/card): VirtualEtcCard has no restore API for its proofs; they are rebuilt from the
    // public debit log so GET TRANSACTION PROVE still answers after a reload.
    const inner = card as unknown as {
      proofs: Map<number, { type: number; mac2: Uint8Array; tac: Uint8Array }>;
      debits: VirtualEtcCard['debits'][number][];
    };
    for (const d of st.debits) {
      inner.debits.push(d);
      inner.proofs.set(d.atc, { type: 0x09, mac2: hexToBytes(d.mac2), tac: hexToBytes(d.tac) });
    }
    return { profile: st.profile, card };
  } catch {
    return null;
  }
}

export function clearTrainingCard(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
}
