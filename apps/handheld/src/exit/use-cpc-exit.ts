import type { CpcStock } from '@tollpad/station-api';
import { useMemo, useState } from 'preact/hooks';
import type { CpcSummary } from '../card/cpc-summary';
import type { AppServices } from '../services';
import { type CpcExitResult, cpcClose } from './cpc-close';
import { useExitSteps } from './use-exit-steps';

/**
 * Runs one CPC exit on the handheld (封闭式出口：CPC卡交易): 【读卡】 of the CPC, the steps every medium
 * shares (use-exit-steps.ts), then the interim payment (收取现金: the collector confirms the cash), the card
 * write (写卡/关闭CPC) and the commit (cpc-close.ts), and at the end 「收回CPC卡」 with the shift's stock.
 */
export function useCpcExit(services: AppServices, laneId: string, txnId?: string) {
  const { client, cpc, cpcJournal } = services;
  const [result, setResult] = useState<CpcExitResult | null>(null);
  const [confirmingCash, setConfirmingCash] = useState(false);
  const [stock, setStock] = useState<CpcStock | null>(null);
  const x = useExitSteps<CpcSummary>(services, laneId, txnId, 'cpc');

  const close = useMemo(
    () =>
      cpcClose(
        { client, cpc, journal: cpcJournal, laneId },
        {
          alive: () => x.alive.current,
          phase: x.setPhase,
          txn: x.setTxn,
          error: x.setError,
          result: (r) => {
            setResult(r);
            void loadStock();
          },
        },
      ),
    [],
  );

  /** The shift's CPC stock, shown with 「收回CPC卡」 (the card just collected is in it). */
  const loadStock = async () => {
    try {
      const shift = await client.currentShift();
      if (!shift) return;
      const report = await client.shiftReport(shift.id);
      if (x.alive.current) setStock(report.cpcStock);
    } catch {
      // The count is a help, not a step: the exit is done either way.
    }
  };

  // --- 【读卡】 -----------------------------------------------------------------------------------
  const readCard = () =>
    x.reading(async () => {
      const read = await cpc.read();
      const t = await client.createCpcExit(laneId, read.payload);
      if (!x.alive.current) return;
      const e = read.summary.entry;
      x.opened(t, read.summary, {
        plateColour: e?.plateColour ?? 0,
        vehicleClass: e?.vehicleClass || null,
        vehicleKind: e?.vehicleKind ?? 0,
      });
      setResult(null);
      setConfirmingCash(false);
    });

  // --- 收取现金 ¥x → 确认 → 写卡/关闭CPC → 提交 ----------------------------------------------------
  const cpcId = () => x.draft.summary?.cpcId ?? x.txn?.cardNo ?? '';

  const confirmCash = async () => {
    const { txn } = x;
    if (!txn?.fee) return;
    setConfirmingCash(false);
    await close.submit({ txnId: txn.id, cpcId: cpcId(), amount: txn.fee.amount });
  };

  /** Reopened after the cash was confirmed (debit_pending): finish the write and the record. */
  const resumeWrite = async () => {
    const { txn } = x;
    if (!txn?.fee || !txn.tradeId) return;
    await close.resume({ txnId: txn.id, cpcId: cpcId(), amount: txn.fee.amount, tradeId: txn.tradeId });
  };

  return {
    ...x,
    result,
    stock,
    confirmingCash,
    readCard,
    askCash: () => setConfirmingCash(true),
    cancelCash: () => setConfirmingCash(false),
    confirmCash,
    resumeWrite,
  };
}

export type CpcExitTransaction = ReturnType<typeof useCpcExit>;
