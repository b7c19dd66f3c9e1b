import { defaultKindForUserType, isPlateColour, type ValidPlate, validatePlate } from '@tollpad/domain';
import { useState } from 'preact/hooks';
import type { CardSummary, LaneState } from '../api/types';
import { handheldError, toUserFacing, type UserFacingError } from '../errors';

/** What the collector has entered, kept across errors and reloads (sessionStorage, per lane). */
export interface Draft {
  txnId: string | null;
  summary: CardSummary | null;
  plate: string;
  colour: number;
  photoSha: string | null;
  imageSubmitted: boolean;
  vehicleClass: number | null;
  vehicleKind: number | null;
}

export const EMPTY_DRAFT: Draft = {
  txnId: null,
  summary: null,
  plate: '',
  colour: 0,
  photoSha: null,
  imageSubmitted: false,
  vehicleClass: null,
  vehicleKind: null,
};

/** The part of Web Storage a draft needs (sessionStorage in the app, a fake in tests). */
export type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function draftKey(laneId: string): string {
  return `tollpad.exit.${laneId}`;
}

/**
 * The stored draft of a lane, or an empty one; a draft of another transaction is stale when a
 * specific one is asked for. Unreadable storage counts as no draft.
 */
export function loadDraft(storage: DraftStorage, laneId: string, txnId: string | undefined): Draft {
  try {
    const raw = storage.getItem(draftKey(laneId));
    if (!raw) return { ...EMPTY_DRAFT, txnId: txnId ?? null };
    const d = { ...EMPTY_DRAFT, ...(JSON.parse(raw) as Partial<Draft>) };
    if (txnId && d.txnId !== txnId) return { ...EMPTY_DRAFT, txnId };
    return d;
  } catch {
    return { ...EMPTY_DRAFT, txnId: txnId ?? null };
  }
}

export function saveDraft(storage: DraftStorage, laneId: string, draft: Draft): void {
  try {
    storage.setItem(draftKey(laneId), JSON.stringify(draft));
  } catch {
    // Storage full: the draft lives in memory only.
  }
}

export function clearDraft(storage: DraftStorage, laneId: string): void {
  storage.removeItem(draftKey(laneId));
}

/** Where the actual plate can be prefilled from after 【读卡】. */
export interface PlateHints {
  /** The lane's live state: its camera's capture comes first. */
  lane: Pick<LaneState, 'capturedPlate' | 'capturedPlateColour'> | null;
  /** The training vehicle's actual plate, only when the reader is simulated. */
  training: { plate: string; colour: number } | null;
}

/**
 * A fresh draft for a card just read: the actual plate from the lane's capture, else the training
 * vehicle, else empty (colour from the card); class from the card, kind from its user type.
 */
export function draftAfterRead(txnId: string, summary: CardSummary, hints: PlateHints): Draft {
  const plate = hints.lane?.capturedPlate ?? hints.training?.plate ?? '';
  const colour = hints.lane?.capturedPlateColour ?? hints.training?.colour ?? summary.plateColour;
  return {
    ...EMPTY_DRAFT,
    txnId,
    summary,
    plate,
    colour: isPlateColour(colour) ? colour : 0,
    vehicleClass: summary.vehicleClass,
    vehicleKind: defaultKindForUserType(summary.userType),
  };
}

/** The drafted image data checked before 【提交图片数据】: a valid plate, and a photo taken or already sent. */
export type ImageCheck =
  | { ok: true; plate: ValidPlate }
  | { ok: false; error: UserFacingError; plateError: string | null };

export function checkImageInput(draft: Draft, photoTaken: boolean): ImageCheck {
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
export function useDraft(
  storage: DraftStorage,
  laneId: string,
  txnId: string | undefined,
): {
  draft: Draft;
  setDraft: (patch: Partial<Draft>) => void;
  clear: () => void;
} {
  const [draft, setState] = useState<Draft>(() => loadDraft(storage, laneId, txnId));
  const setDraft = (patch: Partial<Draft>) =>
    setState((d) => {
      const next = { ...d, ...patch };
      saveDraft(storage, laneId, next);
      return next;
    });
  return { draft, setDraft, clear: () => clearDraft(storage, laneId) };
}
