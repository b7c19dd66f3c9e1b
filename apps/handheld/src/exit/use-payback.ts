import type { ArrearsLookup, ArrearsPayback, PaymentStatus } from '@tollpad/station-api';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ArrearsClient } from '../api/arrears-client';
import { toUserFacing, type UserFacingError } from '../errors';
import { L } from '../i18n';
import { paybackJournal } from '../journal/pending-paybacks';
import { type AppServices, navigate, type Route } from '../services';
import { type CpcExitResult, type CpcPaid, cpcClose } from './cpc-close';
import type { PayMethod } from './cpc-payment';
import type { ExitPhase } from './phase';

/** What opened the payback screen: a payback already opened, or a plate (and the exit it was found at). */
export type PaybackTarget = { paybackId: string } | { plate: string; colour: number; exitTxnId?: string };

/** The methods this screen starts and so resumes (the driver's ETC card is not offered here: its proof needs the card). */
const METHODS: readonly string[] = ['qr', 'cash'];

/**
 * 补缴 on the handheld (payments.md §9, issue #22 item 4): the plate's open entries and total from the station,
 * 【开始补缴】 opening the payback (its own transaction), then the CPC exit's payment step and close with no card
 * (cpc-close.ts, pointed at the payback's routes): the payment followed, the commit, the receipt. From before
 * the intent the payback is in the durable journal (its own store): reopened (a reload, or from home) it follows
 * the station's payment and commits, never a second payment.
 */
export function usePayback(services: AppServices, laneId: string, target: PaybackTarget) {
  const arrears = useMemo(() => new ArrearsClient(services.client), [services.client]);
  const [owed, setOwed] = useState<ArrearsLookup | null>(null);
  const [payback, setPayback] = useState<ArrearsPayback | null>(null);
  const [phase, setPhase] = useState<ExitPhase>('idle');
  const [payment, setPayment] = useState<PaymentStatus | null>(null);
  const [result, setResult] = useState<CpcExitResult | null>(null);
  const [error, setError] = useState<UserFacingError | null>(null);
  const alive = useRef(true);
  // The payback's ID for the close's callbacks (made once, before the payback may exist).
  const current = useRef<string | null>('paybackId' in target ? target.paybackId : null);

  const refresh = async (id: string) => {
    const p = await arrears.get(id);
    if (alive.current) setPayback(p);
    return p;
  };

  const close = useMemo(
    () =>
      cpcClose(
        { client: arrears.closeClient(), cpc: null, journal: paybackJournal(), laneId },
        {
          alive: () => alive.current,
          phase: setPhase,
          // The payback is followed by its own view (refresh), not an exit's.
          txn: () => undefined,
          error: setError,
          payment: setPayment,
          result: (r) => {
            setResult(r);
            if (current.current) void refresh(current.current).catch(() => undefined);
          },
        },
      ),
    [],
  );

  /** The payment the payback waits on, as the close follows it. */
  const paid = (p: ArrearsPayback): CpcPaid | null => {
    const method = typeof p.debit?.payment === 'string' ? p.debit.payment : null;
    if (!p.tradeId || !method || !METHODS.includes(method)) return null;
    return {
      txnId: p.id,
      cpcId: p.vehicleId,
      amount: p.amount,
      tradeId: p.tradeId,
      method: method as PayMethod,
    };
  };

  useEffect(() => {
    alive.current = true;
    const load = async () => {
      if ('paybackId' in target) {
        const p = await refresh(target.paybackId);
        if (!alive.current) return;
        // Reopened with its payment announced: follow it to the commit (a failed QR leaves the retry step).
        const req = p.state === 'debit_pending' ? paid(p) : null;
        if (req) {
          await close.resume(req);
          if (alive.current) await refresh(p.id);
        }
      } else {
        const o = await arrears.lookup(target.plate, target.colour);
        if (alive.current) setOwed(o);
      }
    };
    load().catch((e) => alive.current && setError(toUserFacing(e)));
    return () => {
      alive.current = false;
    };
  }, []);

  /** 【开始补缴】: the payback of every open entry the station listed, at their total. */
  const start = async () => {
    if (!owed || owed.entries.length === 0 || 'paybackId' in target) return;
    setError(null);
    setPhase('pricing');
    try {
      const p = await arrears.open({
        laneId,
        plate: target.plate,
        colour: target.colour,
        entryIds: owed.entries.map((e) => e.id),
        amount: owed.total,
        ...(target.exitTxnId ? { exitTxnId: target.exitTxnId } : {}),
      });
      if (!alive.current) return;
      current.current = p.id;
      setPayback(p);
      // A reload from here on reopens this payback, not a new one.
      history.replaceState(null, '', `#/arrears/${encodeURIComponent(laneId)}/${encodeURIComponent(p.id)}`);
      setPhase('idle');
    } catch (e) {
      if (!alive.current) return;
      setError(toUserFacing(e));
      setPhase('idle');
    }
  };

  const req = () =>
    payback ? { txnId: payback.id, cpcId: payback.vehicleId, amount: payback.amount } : null;
  const payQr = (authCode: string | undefined) => {
    const r = req();
    if (r)
      void close.submit({
        ...r,
        pay: authCode === undefined ? { method: 'qr' } : { method: 'qr', authCode },
      });
  };
  const payCash = (tendered: number) => {
    const r = req();
    if (r) void close.submit({ ...r, pay: { method: 'cash', tendered } });
  };
  /** After a QR attempt ended not paid: another code under the same pay ID, or cash. */
  const withPaid = async (f: (p: CpcPaid) => Promise<void>) => {
    if (!payback) return;
    const p = paid(await refresh(payback.id));
    if (p) await f(p);
  };
  const retryQr = (code: string | undefined) => void withPaid((p) => close.retry(p, code));
  const retryCash = (tendered: number) => void withPaid((p) => close.toCash(p, tendered));
  const stopPayment = () => void withPaid((p) => close.stop(p));

  /** Before any payment: the payback is cancelled at the station (nothing was taken). */
  const cancel = async () => {
    if (payback && payback.state === 'priced')
      await arrears.cancel(payback.id, L('收费员取消补缴', 'payback cancelled')).catch(() => undefined);
    void backToExit();
  };

  /** Back to the exit the payback was found at (its medium's screen), or home. */
  const backToExit = async () => {
    const exitId = payback?.exitTxnId ?? ('exitTxnId' in target ? target.exitTxnId : undefined);
    if (!exitId) {
      navigate({ name: 'home' });
      return;
    }
    const t = await services.client.getExit(exitId).catch(() => null);
    const name: Route['name'] = t?.medium === 'cpc' ? 'cpc' : t?.medium === 'none' ? 'none' : 'exit';
    navigate({ name, laneId, txnId: exitId } as Route);
  };

  return {
    owed,
    payback,
    phase,
    payment,
    result,
    error,
    start,
    payQr,
    payCash,
    retryQr,
    retryCash,
    stopPayment,
    cancel,
    backToExit,
  };
}
