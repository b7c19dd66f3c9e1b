import { bytesToHex, hexToBytes } from '@tollpad/card';
import {
  type CpcDamage,
  type CpcFileName,
  issueTrainingCpcImages,
  TRAINING_CPC_LOCAL_PROVINCE,
  TRAINING_CPC_VEHICLES,
  type TrainingCpcSpec,
  VirtualCpc,
} from '@tollpad/card/sim';
import type { TrainingVehicle } from './reader-hub-types';

/**
 * TEST training CPC vehicles (synthetic test data, TEST keys): the shared TEST training CPCs (@tollpad/card),
 * so a case means the same plate and card here as in the trip CLI and the demo. Each card is written through
 * the synthetic entry and gantry writers along a trip planned on the synthetic province (training-cpc-trip.ts,
 * loaded on first use: the tariff is not part of the first screen).
 */
export interface TrainingCpcProfile extends TrainingVehicle {
  medium: 'cpc';
  spec: TrainingCpcSpec;
}

export const TRAINING_CPC_PROFILES: readonly TrainingCpcProfile[] = TRAINING_CPC_VEHICLES.map((spec) => ({
  id: spec.id,
  medium: 'cpc',
  label: spec.label,
  actualPlate: spec.plate,
  actualColour: spec.colour,
  spec,
}));

const FILES: readonly CpcFileName[] = ['sysInfo', 'baseInfo', 'entry', 'pass', 'feeBlocks'];

/** A new training CPC for this vehicle at this exit, its trip ending now. */
export async function issueTrainingCpc(
  p: TrainingCpcProfile,
  exitStationHex: string,
  now: Date,
): Promise<VirtualCpc> {
  const { planCpcTrip } = await import('./training-cpc-trip');
  const s = p.spec;
  const trip = planCpcTrip({
    exitStationHex,
    offset: s.entryOffset,
    ...(s.otherProvince ? { foreignEntryHex: s.otherProvince.entryStationHex } : {}),
    vehicleClass: s.vehicleClass,
    province: TRAINING_CPC_LOCAL_PROVINCE,
    entryTime: new Date(now.getTime() - s.entryHoursAgo * 3600_000),
    exitTime: now,
  });
  // An exit outside the synthetic province: an entry at the exit itself and no gantries (the fee falls back).
  const path = trip ?? {
    entryStationHex: exitStationHex,
    entryTime: new Date(now.getTime() - s.entryHoursAgo * 3600_000),
    passes: [],
  };
  const images = issueTrainingCpcImages(s, path);
  return new VirtualCpc(images, s.faults?.damaged ? { damaged: s.faults.damaged } : {});
}

/** A CPC image that survives a reload: its five files and whether it is damaged. */
interface StoredCpc {
  profile: string;
  files: Record<CpcFileName, string>;
  damaged: CpcDamage | false;
}

const KEY = 'tollpad.training-cpc';

/** Synchronous on purpose (localStorage): the image is saved after every APDU, before a reload can land. */
export function saveTrainingCpc(profile: string, card: VirtualCpc): void {
  const files = {} as Record<CpcFileName, string>;
  for (const f of FILES) files[f] = bytesToHex(card.file(f));
  const stored: StoredCpc = { profile, files, damaged: card.damaged };
  try {
    localStorage.setItem(KEY, JSON.stringify(stored));
  } catch {
    // Storage unavailable: the training card lives for this page only.
  }
}

export function loadTrainingCpc(): { profile: string; card: VirtualCpc } | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const st = JSON.parse(raw) as StoredCpc;
    const images = {} as Record<CpcFileName, Uint8Array>;
    for (const f of FILES) images[f] = hexToBytes(st.files[f]);
    // [P] the try counter and a pending radio state are not kept: a reload is a fresh power-up.
    return { profile: st.profile, card: new VirtualCpc(images, st.damaged ? { damaged: st.damaged } : {}) };
  } catch {
    return null;
  }
}

export function clearTrainingCpc(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
}
