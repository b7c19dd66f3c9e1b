import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { DebitResult, ExitTxn, LaneState } from '../api/types';
import type { PurchaseStep } from '../card/card-desk';
import { toUserFacing, type UserFacingError } from '../errors';
import { L } from '../i18n';
import { type AppServices, navigate } from '../services';
import { awaitsAuthorisation, refusalError, waitForAuthorisation } from './authorisation';
import { checkImageInput, type Draft, draftAfterRead, useDraft } from './draft';
import { etcDebit } from './etc-debit';
import type { ExitPhase } from './phase';

const EDITABLE_STATES: readonly ExitTxn['state'][] = ['read', 'imaged', 'priced'];

/** Everything the exit screen shows, and the collector's actions on it. */
export interface ExitTransaction {
  draft: Draft;
  txn: ExitTxn | null;
  phase: ExitPhase;
  photo: Blob | null;
  /** Upload progress of the photo, 0..1. */
  upload: number;
  step: PurchaseStep | null;
  plateError: string | null;
  error: UserFacingError | null;
  result: DebitResult | null;
  /** The reader is the training simulator (the camera may draw a training photo). */
  training: boolean;
  edit: {
    plate: (plate: string) => void;
    colour: (colour: number) => void;
    photo: (photo: Blob) => void;
    vehicleClass: (code: number) => void;
    vehicleKind: (code: number) => void;
  };
  readCard: () => Promise<void>;
  submitImage: () => Promise<void>;
  computeFee: () => Promise<void>;
  submitData: () => Promise<void>;
  retryRecovery: () => Promise<void>;
  cancel: () => Promise<void>;
  goHome: () => void;
}

/**
 * Runs one ETC exit on the handheld: 【读卡】, 【提交图片数据】, 【算费】 (and the monitor's
 * authorisation), then 【提交数据】 through the ETC debit (etc-debit.ts), which also recovers a torn
 * or unsettled debit found in the journal when the screen opens.
 */
export function useExitTransaction(services: AppServices, laneId: string, txnId?: string): ExitTransaction {
  const { client, hub, desk, journal } = services;
  const { draft, setDraft, clear } = useDraft(sessionStorage, laneId, txnId);
  const [txn, setTxn] = useState<ExitTxn | null>(null);
  const [phase, setPhase] = useState<ExitPhase>('idle');
  const [photo, setPhoto] = useState<Blob | null>(null);
  const [upload, setUpload] = useState(0);
  const [step, setStep] = useState<PurchaseStep | null>(null);
  const [plateError, setPlateError] = useState<string | null>(null);
  const [error, setError] = useState<UserFacingError | null>(null);
  const [result, setResult] = useState<DebitResult | null>(null);
  const [laneState, setLaneState] = useState<LaneState | null>(null);
  const alive = useRef(true);

  const debit = useMemo(
    () =>
      etcDebit(
        { client, journal, desk, hub },
        {
          alive: () => alive.current,
          phase: setPhase,
          step: setStep,
          txn: setTxn,
          error: setError,
          result: setResult,
        },
      ),
    [],
  );

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
      journal
        .get(id)
        .then((p) => {
          if (p && alive.current) void debit.recover(p);
        })
        .catch(() => undefined);
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
      debit.stop();
    };
  }, []);

  // --- 【读卡】 -----------------------------------------------------------------------------------
  const readCard = async () => {
    setError(null);
    setPhase('reading');
    try {
      const read = await desk.read();
      const t = await client.createExit(laneId, read.payload);
      if (!alive.current) return;
      setTxn(t);
      const reader = hub.status();
      const vehicle = reader.choice === 'simulated' ? reader.vehicle : null;
      setDraft(
        draftAfterRead(t.id, read.summary, {
          lane: laneState,
          training: vehicle ? { plate: vehicle.actualPlate, colour: vehicle.actualColour } : null,
        }),
      );
      setPhoto(null);
      setResult(null);
      history.replaceState(null, '', `#/exit/${encodeURIComponent(laneId)}/${encodeURIComponent(t.id)}`);
      setPhase('idle');
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
      const t = await client.submitImage(txn.id, {
        plate: checked.plate.plate,
        plateColour: checked.plate.colour,
        photoSha256: sha!,
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
      });
      if (!alive.current) return;
      setTxn(t);
      if (t.auth.status === 'required') await waitAuth(t);
      else setPhase('idle');
    } catch (e) {
      if (!alive.current) return;
      setError(toUserFacing(e));
      setPhase('idle');
    }
  };

  // --- 【提交数据】 -------------------------------------------------------------------------------
  const submitData = async () => {
    if (!txn?.fee || !draft.summary || draft.vehicleClass === null) return;
    await debit.submit({
      txnId: txn.id,
      laneId,
      cardNo: draft.summary.cardNo,
      amount: txn.fee.amount,
      vehicleClass: draft.vehicleClass,
      plate: draft.plate,
      plateColour: draft.colour,
    });
  };

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

  const edit: ExitTransaction['edit'] = {
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
  };

  return {
    draft,
    txn,
    phase,
    photo,
    upload,
    step,
    plateError,
    error,
    result,
    training: hub.status().choice === 'simulated',
    edit,
    readCard,
    submitImage,
    computeFee,
    submitData,
    retryRecovery: () => debit.retry(txn?.id ?? draft.txnId),
    cancel,
    goHome,
  };
}
