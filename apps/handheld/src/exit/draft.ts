import { defaultKindForUserType, isPlateColour, type ValidPlate, validatePlate } from '@tollpad/domain';
import { useState } from 'preact/hooks';
import type { CardSummary, LaneState } from '../api/types';
import { handheldError, toUserFacing, type UserFacingError } from '../errors';

/**
 * What the collector has entered, kept across errors and reloads (sessionStorage, per lane and medium).
 * `summary` is the medium's own card summary (the ETC card's by default, a CPC's for a CPC exit).
 */
export interface Draft<S = CardSummary> {
  txnId: string | null;
  summary: S | null;
  plate: string;
  colour: number;
  photoSha: string | null;
  imageSubmitted: boolean;
  vehicleClass: number | null;
  vehicleKind: number | null;
  /** The entry station the driver stated, when the station asked for one (else null). */
  entryStation: string | null;
}

export const EMPTY_DRAFT: Draft<never> = {
  txnId: null,
  summary: null,
  plate: '',
  colour: 0,
  photoSha: null,
  imageSubmitted: false,
  vehicleClass: null,
  vehicleKind: null,
  entryStation: null,
};

/** The part of Web Storage a draft needs (sessionStorage in the app, a fake in tests). */
export type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The exit medium a draft belongs to: an ETC and a CPC exit on one lane keep separate drafts. */
export type DraftMedium = 'etc' | 'cpc' | 'none';

export function draftKey(laneId: string, medium: DraftMedium = 'etc'): string {
  return medium === 'etc' ? `tollpad.exit.${laneId}` : `tollpad.${medium}.${laneId}`;
}

/**
 * The stored draft of a lane, or an empty one; a draft of another transaction is stale when a
 * specific one is asked for. Unreadable storage counts as no draft.
 */
export function loadDraft<S = CardSummary>(
  storage: DraftStorage,
  laneId: string,
  txnId: string | undefined,
  medium: DraftMedium = 'etc',
): Draft<S> {
  try {
    const raw = storage.getItem(draftKey(laneId, medium));
    if (!raw) return { ...EMPTY_DRAFT, txnId: txnId ?? null };
    const d: Draft<S> = { ...EMPTY_DRAFT, ...(JSON.parse(raw) as Partial<Draft<S>>) };
    if (txnId && d.txnId !== txnId) return { ...EMPTY_DRAFT, txnId };
    return d;
  } catch {
    return { ...EMPTY_DRAFT, txnId: txnId ?? null };
  }
}

export function saveDraft<S>(
  storage: DraftStorage,
  laneId: string,
  draft: Draft<S>,
  medium: DraftMedium = 'etc',
): void {
  try {
    storage.setItem(draftKey(laneId, medium), JSON.stringify(draft));
  } catch {
    // Storage full: the draft lives in memory only.
  }
}

export function clearDraft(storage: DraftStorage, laneId: string, medium: DraftMedium = 'etc'): void {
  storage.removeItem(draftKey(laneId, medium));
}

/** Where the actual plate can be prefilled from after 【读卡】. */
export interface PlateHints {
  /** The lane's live state: its camera's capture comes first. */
  lane: Pick<LaneState, 'capturedPlate' | 'capturedPlateColour'> | null;
  /** The training vehicle's actual plate, only when the reader is simulated. */
  training: { plate: string; colour: number } | null;
}

/** What the card says of the vehicle, the draft's defaults until the collector changes them. */
export interface CardVehicle {
  plateColour: number;
  vehicleClass: number | null;
  vehicleKind: number | null;
}

/**
 * A fresh draft for a card of any medium just read: the actual plate from the lane's capture, else the
 * training vehicle, else empty (colour from the card); class and kind from the card.
 */
export function draftFromCard<S>(txnId: string, summary: S, card: CardVehicle, hints: PlateHints): Draft<S> {
  const plate = hints.lane?.capturedPlate ?? hints.training?.plate ?? '';
  const colour = hints.lane?.capturedPlateColour ?? hints.training?.colour ?? card.plateColour;
  return {
    ...EMPTY_DRAFT,
    txnId,
    summary,
    plate,
    colour: isPlateColour(colour) ? colour : 0,
    vehicleClass: card.vehicleClass,
    vehicleKind: card.vehicleKind,
  };
}

/** A fresh draft for an ETC card just read: its class, and the kind from its user type. */
export function draftAfterRead(txnId: string, summary: CardSummary, hints: PlateHints): Draft {
  return draftFromCard(
    txnId,
    summary,
    {
      plateColour: summary.plateColour,
      vehicleClass: summary.vehicleClass,
      vehicleKind: defaultKindForUserType(summary.userType),
    },
    hints,
  );
}

/** The drafted image data checked before 【提交图片数据】: a valid plate, and a photo taken or already sent. */
export type ImageCheck =
  | { ok: true; plate: ValidPlate }
  | { ok: false; error: UserFacingError; plateError: string | null };

export function checkImageInput<S>(draft: Draft<S>, photoTaken: boolean): ImageCheck {
  const v = validatePlate(draft.plate, draft.colour);
  if (!v.ok) {
    return {
      ok: false,
      error: toUserFacing(handheldError('HH_ERR_PLATE', { field: 'plate' })),
      plateError: v.error.reason || v.error.message,
    };
  }
  if (!photoTaken && !draft.photoSha) {
    return {
      ok: false,
      error: toUserFacing(handheldError('HH_ERR_PHOTO', { field: 'photo' })),
      plateError: null,
    };
  }
  return { ok: true, plate: v.value };
}

/** The lane's draft as state: every patch is written through to storage. */
export function useDraft<S = CardSummary>(
  storage: DraftStorage,
  laneId: string,
  txnId: string | undefined,
  medium: DraftMedium = 'etc',
): {
  draft: Draft<S>;
  setDraft: (patch: Partial<Draft<S>>) => void;
  clear: () => void;
} {
  const [draft, setState] = useState<Draft<S>>(() => loadDraft<S>(storage, laneId, txnId, medium));
  const setDraft = (patch: Partial<Draft<S>>) =>
    setState((d) => {
      const next = { ...d, ...patch };
      saveDraft(storage, laneId, next, medium);
      return next;
    });
  return { draft, setDraft, clear: () => clearDraft(storage, laneId, medium) };
}
