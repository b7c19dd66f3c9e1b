import { bytesToHex, hexToBytes } from '@tollpad/card';
import {
  type EtcCardState,
  issueCard,
  issueTestVehicleCard,
  type TrainingVehicleSpec,
  trainingVehicleSpec,
  VirtualEtcCard,
} from '@tollpad/card/sim';
import type { TrainingVehicle } from './reader-hub-types';

/**
 * TEST training vehicles and their cards (synthetic test data, TEST keys): the panel offers a subset of
 * the shared TEST training vehicles (@tollpad/card), so a case means the same plate and card here as in
 * the demo and the trip CLI. The entry station is derived from this station's HEX so the fee can be
 * computed on the synthetic province's network: same road, a few stations away ([P] training
 * convenience, not a rule).
 */
export interface TrainingProfile extends TrainingVehicle {
  spec: TrainingVehicleSpec;
}

/** The cases the panel offers, in panel order. */
const PANEL_CASES = ['car', 'truck', 'low-balance', 'status-list', 'plate-mismatch', 'overdue'] as const;

export const TRAINING_PROFILES: readonly TrainingProfile[] = PANEL_CASES.map((id) => {
  const spec = trainingVehicleSpec(id);
  if (!spec) throw new Error(`no TEST training vehicle ${id}`);
  return {
    id,
    medium: 'etc' as const,
    label: spec.label,
    actualPlate: spec.actualPlate ?? spec.plate,
    actualColour: spec.colour,
    spec,
  };
});

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
  const { entryOffset, entryHoursAgo } = p.spec;
  const entry =
    entryOffset === null
      ? null
      : {
          stationHex: entryStationHex(exitStationHex, entryOffset),
          time: new Date(now.getTime() - entryHoursAgo * 3600_000),
        };
  return issueTestVehicleCard(p.spec, entry).card;
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
export function saveTrainingCard(profile: string, card: VirtualEtcCard, key = KEY): void {
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
    localStorage.setItem(key, JSON.stringify(stored));
  } catch {
    // Storage unavailable: the training card lives for this page only.
  }
}

export function loadTrainingCard(key = KEY): { profile: string; card: VirtualEtcCard } | null {
  try {
    const raw = localStorage.getItem(key);
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

export function clearTrainingCard(key = KEY): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // nothing stored
  }
}

/** Where the driver's TEST ETC card (payment only) is kept, apart from the vehicle's card. */
export const DRIVER_CARD_KEY = 'tollpad.training-driver-card';

/**
 * TEST ETC cards a CPC vehicle's driver can hand over to pay with (payments.md §6): stored-value, no entry
 * written (the card is not this trip's medium), one with enough balance and one with too little.
 */
export const TRAINING_DRIVER_CARDS = [
  { id: 'driver-card', label: '司机的ETC卡（储值卡，余额¥500.00）', balance: 50_000, serial: 7701 },
  { id: 'driver-card-low', label: '司机的ETC卡（储值卡，余额¥5.00，不足）', balance: 500, serial: 7702 },
] as const;

export function issueDriverCard(id: string): VirtualEtcCard | null {
  const d = TRAINING_DRIVER_CARDS.find((c) => c.id === id);
  if (!d) return null;
  return issueCard({
    plate: '鲁B54321',
    colour: 0,
    class: 1,
    cardType: 'stored-value',
    algorithm: '3des',
    balance: d.balance,
    serial: d.serial,
  }).card;
}
