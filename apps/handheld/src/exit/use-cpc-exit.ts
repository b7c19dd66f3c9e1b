import type { CpcStock, NoCardRead, PaymentStatus } from '@tollpad/station-api';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { CpcSummary } from '../card/cpc-summary';
import type { PayCardRead } from '../card/pay-card-desk';
import { toUserFacing } from '../errors';
import type { AppServices } from '../services';
import { type CpcExitResult, type CpcPaid, cpcClose } from './cpc-close';
import { giveUpCpcExit } from './cpc-give-up';
import type { PayMethod } from './cpc-payment';
import { type EtcCardPaid, etcCardProof, payByEtcCard, recoverEtcCard } from './etc-card-pay';
import { type NoneSummary, noneSummary } from './none-summary';
import { useExitSteps } from './use-exit-steps';

/**
 * Runs one CPC exit on the handheld (封闭式出口：CPC卡交易): 【读卡】 of the CPC, the steps every medium
 * shares (use-exit-steps.ts), then the payment step (【扫码支付】 or 【现金】 with change, followed to its end),
 * the card write (写卡/关闭CPC) and the commit (cpc-close.ts), and at the end 「收回CPC卡」 with the shift's stock.
 * Reopened with a payment announced, it follows the station's payment and never starts a second one.
 *
 * `medium` 'none' (【无卡交易】): the same steps and payments with no card — 【无卡登记】 opens the exit (openNone)
 * and the commit writes nothing (cardWrite 'none').
 */
export function useCpcExit(
  services: AppServices,
  laneId: string,
  txnId?: string,
  medium: 'cpc' | 'none' = 'cpc',
) {
  const { client, cpc, cpcJournal, payCard } = services;
  const [result, setResult] = useState<CpcExitResult | null>(null);
  /** 【ETC卡支付】: the driver's card as read, then its debit (waiting for the CPC to go back on the reader). */
  const [etcCardRead, setEtcCardRead] = useState<PayCardRead | null>(null);
  const [etcCardPaid, setEtcCardPaid] = useState<EtcCardPaid | null>(null);
  const [payment, setPayment] = useState<PaymentStatus | null>(null);
  const [stock, setStock] = useState<CpcStock | null>(null);
  const x = useExitSteps<CpcSummary | NoneSummary>(services, laneId, txnId, medium);

  const close = useMemo(
    () =>
      cpcClose(
        { client, cpc: medium === 'none' ? null : cpc, journal: cpcJournal, laneId },
        {
          alive: () => x.alive.current,
          phase: x.setPhase,
          txn: x.setTxn,
          error: x.setError,
          payment: setPayment,
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
      setPayment(null);
    });

  /** 【无卡登记】: the reason, a damaged CPC's label ID, the stated entry or the refusal. */
  const openNone = (body: NoCardRead) =>
    x.reading(async () => {
      const t = await client.createNoneExit(laneId, body);
      if (!x.alive.current) return;
      x.opened(t, noneSummary(body), { plateColour: 0, vehicleClass: null, vehicleKind: 0 });
      setResult(null);
      setPayment(null);
    });

  // --- 【扫码支付】/【现金】 → (支付中…) → 写卡/关闭CPC → 提交 ------------------------------------------
  const cpcId = () => x.draft.summary?.cpcId ?? x.txn?.cardNo ?? '';
  /** The payment the exit waits on, once the station minted its trade ID. */
  const paid = (method: PayMethod): CpcPaid | null => {
    const { txn } = x;
    if (!txn?.fee || !txn.tradeId) return null;
    return { txnId: txn.id, cpcId: cpcId(), amount: txn.fee.amount, tradeId: txn.tradeId, method };
  };
  const start = (
    pay: { method: 'cash'; tendered: number } | { method: 'qr'; authCode?: string } | { method: 'free' },
  ) => {
    const { txn } = x;
    if (!txn?.fee) return;
    void close.submit({ txnId: txn.id, cpcId: cpcId(), amount: txn.fee.amount, pay });
  };

  // Reopened with a payment announced (debit_pending): show what the station has; a QR payment in flight is
  // followed at once (the journal's entry brought the collector here).
  const probed = useRef(false);
  useEffect(() => {
    const t = x.txn;
    if (t?.state !== 'debit_pending' || result || probed.current) return;
    probed.current = true;
    void client
      .payment(t.id, -1, 0)
      .then((s) => {
        if (!x.alive.current) return;
        setPayment(s);
        const p = paid(s.method);
        if (s.method === 'qr' && !s.final && p) void close.resume(p);
      })
      .catch(() => undefined); // a station without payments: the cash resume below, as before
  }, [x.txn?.id, x.txn?.state]);

  /** Reopened after the payment succeeded (debit_pending): finish the write and the record. */
  const resumeWrite = async () => {
    const p = paid(payment?.method ?? 'cash');
    if (p) await close.resume(p);
  };

  // --- 【ETC卡支付】: read the driver's card → debit → the CPC back on the reader → 写卡/关闭CPC → 提交 --------
  const cardDeps = { client, payCard, journal: cpcJournal, laneId };
  const readEtcCard = () =>
    x.reading(async () => {
      setEtcCardRead(null);
      const r = await payCard.read();
      if (x.alive.current) setEtcCardRead(r);
    });
  const payEtcCard = async () => {
    const { txn } = x;
    const read = etcCardRead;
    if (!txn?.fee || !read) return;
    x.setError(null);
    x.setPhase('debiting');
    try {
      const paid = await payByEtcCard(
        cardDeps,
        { txnId: txn.id, cpcId: cpcId(), amount: txn.fee.amount },
        read,
        (t) => x.alive.current && x.setTxn(t),
      );
      if (!x.alive.current) return;
      setEtcCardPaid(paid);
      x.setTxn((t) => (t ? { ...t, state: 'debit_pending', tradeId: paid.tradeId } : t));
      x.setPhase('idle');
    } catch (e) {
      if (!x.alive.current) return;
      x.setError(toUserFacing(e));
      // A pending card debit (torn, or no answer) is in the journal: the screen offers to confirm it.
      const p = await cpcJournal.get(txn.id).catch(() => undefined);
      if (p?.etcCard) setEtcCardPending(true);
      x.setPhase('idle');
    }
  };
  /** The CPC is back on the reader: write it and commit with the card's proof. */
  const finishEtcCard = () => {
    const p = paid('etc-card');
    const c = etcCardPaid;
    if (p && c)
      void close.finishCard(
        { ...p, tradeId: c.tradeId },
        { cardNo: c.cardNo, proof: etcCardProof(c.outcome) },
      );
  };
  /** A card debit left unclear (tear, reload): the same card on the reader proves it debited or not. */
  const [etcCardPending, setEtcCardPending] = useState(false);
  const recoverCard = async () => {
    const { txn } = x;
    if (!txn) return;
    const p = await cpcJournal.get(txn.id);
    if (!p?.etcCard) return;
    x.setError(null);
    x.setPhase('recovering');
    try {
      // The trade ID's journal update may have been lost in a crash; the station has it with the exit.
      const r = await recoverEtcCard(cardDeps, { ...p, tradeId: p.tradeId ?? txn.tradeId });
      if (!x.alive.current) return;
      setEtcCardPending(false);
      if (r.status === 'debited') {
        setEtcCardPaid(r.paid);
      } else {
        // Not debited: the trade ID is void; another method (or the card again) may pay.
        x.setTxn(r.txn);
        setEtcCardRead(null);
      }
      x.setPhase('idle');
    } catch (e) {
      if (!x.alive.current) return;
      x.setError(toUserFacing(e));
      x.setPhase('idle');
    }
  };
  // Reopened with a card payment in the journal: a resolved debit goes straight to the CPC write; an unclear
  // one waits for the driver's card to prove it.
  const cardProbed = useRef(false);
  useEffect(() => {
    const t = x.txn;
    if (t?.state !== 'debit_pending' || result || cardProbed.current) return;
    cardProbed.current = true;
    void cpcJournal
      .get(t.id)
      .then((p) => {
        if (!p?.etcCard || !x.alive.current) return;
        const o = p.etcCard.outcome;
        const tradeId = p.tradeId ?? t.tradeId;
        if (p.etcCard.phase === 'resolved' && o?.debited && tradeId)
          setEtcCardPaid({ tradeId, cardNo: p.etcCard.cardNo, outcome: o.result });
        else setEtcCardPending(true);
      })
      .catch(() => undefined);
  }, [x.txn?.id, x.txn?.state]);

  return {
    ...x,
    etcCardRead,
    etcCardPaid,
    etcCardPending,
    readEtcCard,
    payEtcCard,
    finishEtcCard,
    recoverEtcCard: recoverCard,
    result,
    stock,
    payment,
    readCard,
    openNone,
    payQr: (authCode: string | undefined) =>
      start(authCode === undefined ? { method: 'qr' } : { method: 'qr', authCode }),
    payCash: (tendered: number) => start({ method: 'cash', tendered }),
    /** 【免费放行】: a fee of 0 (a passed 绿通查验…) takes no payment. */
    passFree: () => start({ method: 'free' }),
    /** 停止等待: the station queries, then cancels. */
    stopPayment: () => {
      const p = paid('qr');
      if (p) void close.stop(p);
    },
    /** After a QR payment ended not paid: another code, same pay ID and amount. */
    retryQr: (authCode: string | undefined) => {
      const p = paid('qr');
      if (p) void close.retry(p, authCode);
    },
    /** After a QR payment ended not paid: cash instead. */
    retryCash: (tendered: number) => {
      const p = paid('qr');
      if (p) void close.toCash(p, tendered);
    },
    resumeWrite,
    /**
     * 【放弃本次交易】 after a QR payment ended unpaid: the station voids and cancels the exit (refused while an
     * attempt may still take money), the journal entry goes, home is free; the CPC is not written.
     */
    giveUp: async () => {
      const { txn } = x;
      if (!txn) return;
      x.setError(null);
      try {
        await giveUpCpcExit({ client, journal: cpcJournal }, txn.id);
        if (x.alive.current) x.goHome();
      } catch (e) {
        if (x.alive.current) x.setError(toUserFacing(e));
      }
    },
  };
}

export type CpcExitTransaction = ReturnType<typeof useCpcExit>;
