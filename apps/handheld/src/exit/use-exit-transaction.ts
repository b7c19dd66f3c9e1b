import { defaultKindForUserType } from '@tollpad/domain';
import { useMemo, useState } from 'preact/hooks';
import type { StationClient } from '../api/station-client';
import type { CardSummary, DebitResult, ExitTxn } from '../api/types';
import type { PurchaseStep } from '../card/card-desk';
import type { UserFacingError } from '../errors';
import type { AppServices } from '../services';
import type { Draft } from './draft';
import { etcDebit } from './etc-debit';
import type { ExitPhase } from './phase';
import { type ExitEdits, useExitSteps } from './use-exit-steps';
import type { GreenInspectionStep } from './use-green-inspection';

/** Everything the exit screen shows, and the collector's actions on it. */
export interface ExitTransaction {
  draft: Draft<CardSummary>;
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
  /** The station asked for the entry the driver states. */
  entryNeeded: boolean;
  edit: ExitEdits;
  /** The station, for 【通行路径】 (exit-vehicle-steps.ts). */
  client: StationClient;
  green: GreenInspectionStep;
  readCard: () => Promise<void>;
  submitImage: () => Promise<void>;
  computeFee: () => Promise<void>;
  submitData: () => Promise<void>;
  retryRecovery: () => Promise<void>;
  cancel: () => Promise<void>;
  goHome: () => void;
}

/**
 * Runs one ETC exit on the handheld: 【读卡】, then the steps every medium shares (use-exit-steps.ts),
 * then 【提交数据】 through the ETC debit (etc-debit.ts), which also recovers a torn or unsettled debit
 * found in the journal when the screen opens.
 */
export function useExitTransaction(services: AppServices, laneId: string, txnId?: string): ExitTransaction {
  const { client, hub, desk, journal } = services;
  const [step, setStep] = useState<PurchaseStep | null>(null);
  const [result, setResult] = useState<DebitResult | null>(null);
  const x = useExitSteps<CardSummary>(services, laneId, txnId, 'etc', {
    onReopen: (id) => {
      journal
        .get(id)
        .then((p) => {
          if (p && x.alive.current) void debit.recover(p);
        })
        .catch(() => undefined);
    },
    onClose: () => debit.stop(),
  });

  const debit = useMemo(
    () =>
      etcDebit(
        { client, journal, desk, hub },
        {
          alive: () => x.alive.current,
          phase: x.setPhase,
          step: setStep,
          txn: x.setTxn,
          error: x.setError,
          result: setResult,
        },
      ),
    [],
  );

  // --- 【读卡】 -----------------------------------------------------------------------------------
  const readCard = () =>
    x.reading(async () => {
      const read = await desk.read();
      const t = await client.createExit(laneId, read.payload);
      if (!x.alive.current) return;
      const s = read.summary;
      x.opened(t, s, {
        plateColour: s.plateColour,
        vehicleClass: s.vehicleClass,
        vehicleKind: defaultKindForUserType(s.userType),
      });
      setResult(null);
    });

  // --- 【提交数据】 -------------------------------------------------------------------------------
  const submitData = async () => {
    const { txn, draft } = x;
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

  return {
    draft: x.draft,
    txn: x.txn,
    phase: x.phase,
    photo: x.photo,
    upload: x.upload,
    step,
    plateError: x.plateError,
    error: x.error,
    result,
    training: x.training,
    entryNeeded: x.entryNeeded,
    edit: x.edit,
    client: x.client,
    green: x.green,
    readCard,
    submitImage: x.submitImage,
    computeFee: x.computeFee,
    submitData,
    retryRecovery: () => debit.retry(x.txn?.id ?? x.draft.txnId),
    cancel: x.cancel,
    goHome: x.goHome,
  };
}
