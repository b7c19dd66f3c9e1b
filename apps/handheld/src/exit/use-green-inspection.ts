import type { GreenChannelView, GreenInspection, GreenResult } from '@tollpad/station-api';
import { useEffect, useState } from 'preact/hooks';
import type { StationClient } from '../api/station-client';
import type { ExitTxn } from '../api/types';
import { handheldError, toUserFacing, type UserFacingError } from '../errors';
import { greenInputError } from './green-inspection';

/** One photo of the load: taken, then uploaded (its SHA-256) when the inspection is sent. */
export interface LoadPhoto {
  blob: Blob;
  sha256: string | null;
}

/**
 * 【绿通查验】 over one exit: the plate's appointment and ban (asked once the photo step is done), the photos of the
 * load, the cargo from the catalogue and the verdict, sent to the station; a priced exit comes back re-priced and
 * `onResult` lets the screen follow (kind 21 after a pass, the ordinary kind otherwise).
 */
export function useGreenInspection(deps: {
  client: Pick<StationClient, 'greenChannel' | 'greenInspect' | 'uploadImage'>;
  txn: ExitTxn | null;
  setTxn: (t: ExitTxn) => void;
  alive: () => boolean;
  onResult: (passed: boolean) => void;
}) {
  const { client, txn } = deps;
  const [view, setView] = useState<GreenChannelView | null>(null);
  const [opened, setOpened] = useState(false);
  const [photos, setPhotos] = useState<LoadPhoto[]>([]);
  const [cargo, setCargo] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UserFacingError | null>(null);
  const inspectable = txn?.state === 'imaged' || txn?.state === 'priced';

  useEffect(() => {
    if (!txn || !inspectable || view) return;
    client
      .greenChannel(txn.id)
      .then((v) => deps.alive() && setView(v))
      .catch(() => undefined); // the step still opens; the station answers again on 【绿通查验】
  }, [txn?.id, inspectable]);

  const submit = async (result: GreenResult) => {
    if (!txn) return;
    const missing = greenInputError(photos.length, view?.minPhotos ?? 1, cargo.length);
    if (missing) {
      setError({ ...toUserFacing(handheldError('HH_ERR_GREEN_INPUT')), message: missing });
      return;
    }
    setError(null);
    setBusy(true);
    try {
      const shas: string[] = [];
      const kept: LoadPhoto[] = [];
      for (const p of photos) {
        const sha = p.sha256 ?? (await client.uploadImage(p.blob)).sha256;
        shas.push(sha);
        kept.push({ blob: p.blob, sha256: sha });
      }
      if (deps.alive()) setPhotos(kept);
      const r = await client.greenInspect(txn.id, { cargo, result, photos: [...new Set(shas)] });
      if (!deps.alive()) return;
      deps.setTxn(r.txn);
      setView((v) => (v ? { ...v, inspection: r.inspection } : v));
      deps.onResult(r.inspection.passed);
    } catch (e) {
      if (deps.alive()) setError(toUserFacing(e));
    } finally {
      if (deps.alive()) setBusy(false);
    }
  };

  return {
    view,
    opened,
    open: () => setOpened(true),
    photos,
    addPhoto: (blob: Blob) => setPhotos((ps) => [...ps, { blob, sha256: null }]),
    removePhoto: (i: number) => setPhotos((ps) => ps.filter((_, k) => k !== i)),
    cargo,
    toggleCargo: (code: string) =>
      setCargo((cs) => (cs.includes(code) ? cs.filter((c) => c !== code) : [...cs, code])),
    busy,
    error,
    inspectable,
    inspection: (view?.inspection ?? null) as GreenInspection | null,
    submit,
  };
}

export type GreenInspectionStep = ReturnType<typeof useGreenInspection>;
