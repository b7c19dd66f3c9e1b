import { useEffect, useRef, useState } from 'preact/hooks';
import type { ExitTxn, LaneState } from '../api/types';
import { toUserFacing, type UserFacingError } from '../errors';
import { L } from '../i18n';
import { type AppServices, navigate } from '../services';
import { awaitsAuthorisation, refusalError, waitForAuthorisation } from './authorisation';
import {
  type CardVehicle,
  checkImageInput,
  type Draft,
  type DraftMedium,
  draftFromCard,
  useDraft,
} from './draft';
import { GREEN_KIND } from './green-inspection';
import type { ExitPhase } from './phase';
import { useGreenInspection } from './use-green-inspection';

const EDITABLE_STATES: readonly ExitTxn['state'][] = ['read', 'imaged', 'priced'];

/** The collector's edits of the image and vehicle panels. */
export interface ExitEdits {
  plate: (plate: string) => void;
  colour: (colour: number) => void;
  photo: (photo: Blob) => void;
  vehicleClass: (code: number) => void;
  vehicleKind: (code: number) => void;
  entryStation: (station: string) => void;
}

/**
 * The steps every exit medium shares, over one transaction resource at the station: the reopen of a
 * transaction after a reload, 【提交图片数据】, 【算费】 with the monitor's authorisation, cancel and
 * home. A medium adds its own read (it calls `opened` with the transaction it created) and payment.
 */
export function useExitSteps<S>(
  services: AppServices,
  laneId: string,
  txnId: string | undefined,
  medium: DraftMedium,
  hooks: { onReopen?: (id: string) => void; onClose?: () => void } = {},
) {
  const { client, hub } = services;
  const { draft, setDraft, clear } = useDraft<S>(sessionStorage, laneId, txnId, medium);
  const [txn, setTxn] = useState<ExitTxn | null>(null);
  const [phase, setPhase] = useState<ExitPhase>('idle');
  const [photo, setPhoto] = useState<Blob | null>(null);
  const [upload, setUpload] = useState(0);
  const [plateError, setPlateError] = useState<string | null>(null);
  const [error, setError] = useState<UserFacingError | null>(null);
  const [laneState, setLaneState] = useState<LaneState | null>(null);
  // The station asked for the entry the driver states (STN_ERR_EXIT_ENTRY_REQUIRED), or one was given.
  const [entryAsked, setEntryAsked] = useState(false);
  const alive = useRef(true);

  // --- 【算费】's authorisation --------------------------------------------------------------------
  const waitAuth = async (first: ExitTxn) => {
    setPhase('waiting-auth');
    const t = await waitForAuthorisation(client, first, {
      alive: () => alive.current,
      onTxn: setTxn,
      onRetry: setError,
    });
    if (!alive.current) return;
    setError(refusalError(t.auth));
    setPhase('idle');
  };

  useEffect(() => {
    alive.current = true;
    const id = txnId ?? draft.txnId;
    if (id) {
      client
        .getExit(id)
        .then((t) => {
          if (!alive.current) return;
          setTxn(t);
          // Reopened while the monitor was deciding: keep waiting (a new 【算费】 would ask again).
          if (awaitsAuthorisation(t)) void waitAuth(t).catch(() => undefined);
        })
        .catch((e) => alive.current && setError(toUserFacing(e)));
      hooks.onReopen?.(id);
    }
    client
      .laneStates()
      .then((all) => {
        const st = all.find((s) => s.laneId === laneId) ?? null;
        if (alive.current) setLaneState(st);
      })
      .catch(() => undefined);
    return () => {
      alive.current = false;
      hooks.onClose?.();
    };
  }, []);

  /** After the medium's read: the transaction it opened and a fresh draft from what its card says. */
  const opened = (t: ExitTxn, summary: S, card: CardVehicle) => {
    setTxn(t);
    const reader = hub.status();
    const vehicle = reader.choice === 'simulated' ? reader.vehicle : null;
    setDraft(
      draftFromCard(t.id, summary, card, {
        lane: laneState,
        training: vehicle ? { plate: vehicle.actualPlate, colour: vehicle.actualColour } : null,
      }),
    );
    setPhoto(null);
    const route = medium === 'etc' ? 'exit' : medium;
    history.replaceState(null, '', `#/${route}/${encodeURIComponent(laneId)}/${encodeURIComponent(t.id)}`);
  };

  /** Runs the medium's 【读卡】: errors end in the error box, the phase goes back to idle. */
  const reading = async (read: () => Promise<void>) => {
    setError(null);
    setPhase('reading');
    try {
      await read();
      if (alive.current) setPhase('idle');
    } catch (e) {
      if (!alive.current) return;
      setError(toUserFacing(e));
      setPhase('idle');
    }
  };

  // --- 【提交图片数据】 ----------------------------------------------------------------------------
  const submitImage = async () => {
    if (!txn) return;
    setError(null);
    const checked = checkImageInput(draft, photo !== null);
    setPlateError(checked.ok ? null : checked.plateError);
    if (!checked.ok) {
      setError(checked.error);
      return;
    }
    setPhase('uploading');
    setUpload(0);
    try {
      let sha = draft.photoSha;
      if (photo) {
        sha = (await client.uploadImage(photo, (f) => alive.current && setUpload(f))).sha256;
        setDraft({ photoSha: sha });
      }
      if (!sha) throw new Error('no photo');
      const t = await client.submitImage(txn.id, {
        plate: checked.plate.plate,
        plateColour: checked.plate.colour,
        photoSha256: sha,
      });
      if (!alive.current) return;
      setTxn(t);
      setDraft({ plate: checked.plate.plate, imageSubmitted: true });
      setPhase('idle');
    } catch (e) {
      if (!alive.current) return;
      const u = toUserFacing(e);
      if (u.field === 'plate' || u.code === 'STN_ERR_EXIT_PLATE_INVALID') setPlateError(u.message);
      setError(u);
      setPhase('idle');
    }
  };

  // --- 【算费】 -----------------------------------------------------------------------------------
  const computeFee = async () => {
    if (!txn || draft.vehicleClass === null || draft.vehicleKind === null) return;
    setError(null);
    setPhase('pricing');
    try {
      const t = await client.computeFee(txn.id, {
        vehicleClass: draft.vehicleClass,
        vehicleKind: draft.vehicleKind,
        ...(draft.entryStation ? { entryStation: draft.entryStation } : {}),
      });
      if (!alive.current) return;
      setTxn(t);
      if (t.auth.status === 'required') await waitAuth(t);
      else setPhase('idle');
    } catch (e) {
      if (!alive.current) return;
      const u = toUserFacing(e);
      if (u.code === 'STN_ERR_EXIT_ENTRY_REQUIRED') setEntryAsked(true);
      setError(u);
      setPhase('idle');
    }
  };

  // --- 【绿通查验】: after a pass the kind is 21 (free), after a fail or a mixed load the ordinary kind -------
  const green = useGreenInspection({
    client,
    txn,
    setTxn,
    alive: () => alive.current,
    onResult: (passed) =>
      setDraft({
        vehicleKind: passed ? GREEN_KIND : draft.vehicleKind === GREEN_KIND ? 0 : draft.vehicleKind,
      }),
  });

  const goHome = () => {
    clear();
    navigate({ name: 'home' });
  };

  const cancel = async () => {
    if (txn && EDITABLE_STATES.includes(txn.state)) {
      await client.cancel(txn.id, L('收费员取消', 'cancelled by collector')).catch(() => undefined);
    }
    goHome();
  };

  const edit: ExitEdits = {
    plate: (plate) => {
      setPlateError(null);
      setDraft({ plate, imageSubmitted: false });
    },
    colour: (colour) => setDraft({ colour, imageSubmitted: false }),
    photo: (b) => {
      setPhoto(b);
      setDraft({ photoSha: null, imageSubmitted: false });
    },
    vehicleClass: (code) => setDraft({ vehicleClass: code }),
    vehicleKind: (code) => setDraft({ vehicleKind: code }),
    entryStation: (station) => setDraft({ entryStation: station || null }),
  };

  return {
    draft: draft as Draft<S>,
    txn,
    setTxn,
    phase,
    setPhase,
    photo,
    upload,
    plateError,
    error,
    setError,
    alive,
    /** The station, for 【通行路径】. */
    client,
    training: hub.status().choice === 'simulated',
    /** Show the stated-entry input: the station asked for it, or one was typed. */
    entryNeeded: entryAsked || draft.entryStation !== null,
    edit,
    green,
    opened,
    reading,
    submitImage,
    computeFee,
    cancel,
    goHome,
  };
}

export type ExitSteps<S> = ReturnType<typeof useExitSteps<S>>;
