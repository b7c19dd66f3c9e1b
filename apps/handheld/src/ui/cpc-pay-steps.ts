import { Fragment, h } from 'preact';
import type { Fee } from '../api/types';
import { paymentView } from '../exit/cpc-payment';
import type { ExitAllowed } from '../exit/phase';
import type { CpcExitTransaction } from '../exit/use-cpc-exit';
import { GiveUpExit } from './cpc-give-up';
import { EtcCardAfterDebit, PayProgress, PayStep } from './cpc-pay';
import { FreePass } from './free-pass';

/** Where the payment of an exit paid like a CPC stands (the CPC exit, the no-card exit). */
export interface CpcPayState {
  /** A payment was announced: it is followed, or (paid) the card write and the record are what is left. */
  taken: boolean;
  /** The driver's ETC card paid or is being proved: its own panel leads to the write (never the cash resume). */
  cardInPlay: boolean;
  /** Paid (or cash), not yet committed: the resume button. */
  paidNotCommitted: boolean;
  /** The payment ended unpaid and may be tried again. */
  retry: boolean;
}

export function cpcPayState(x: CpcExitTransaction, allowed: ExitAllowed): CpcPayState {
  const taken = x.txn?.state === 'debit_pending' && !x.result;
  const pay = x.payment ? paymentView(x.payment) : null;
  const cardInPlay = !!x.etcCardPaid || x.etcCardPending;
  // A card debit the station holds is never "paid" on the handheld's word: without its journal entry (storage
  // cleared) nothing here can prove it, so the cash resume must not be offered for it.
  const cardDebit = x.txn?.debitPayment === 'etc-card';
  const paidNotCommitted =
    taken && !cardInPlay && !cardDebit && (!x.payment || x.payment.method === 'cash' || !!pay?.paid);
  const retry = taken && !!pay?.canRetry && !allowed.busy;
  return { taken, cardInPlay, paidNotCommitted, retry };
}

/**
 * The payment step of an exit paid like a CPC, under its fee: the payment's progress, the resume once paid,
 * the driver's ETC card after its debit, another try, 【免费放行】 for a fee of 0, else 【扫码支付】/【现金】/
 * 【ETC卡支付】. `noCpc`: nothing to write, only the commit (the no-card exit); `giveUp`: an unpaid exit may end
 * here, the CPC going back unwritten.
 */
export function CpcPaySteps(props: {
  x: CpcExitTransaction;
  allowed: ExitAllowed;
  fee: Fee;
  state: CpcPayState;
  resumeLabel: string;
  noCpc?: boolean;
  giveUp?: boolean;
}) {
  const { x, allowed, fee, state } = props;
  const { phase, result } = x;
  return h(
    Fragment,
    null,
    x.payment && !result
      ? h(PayProgress, { payment: x.payment, busy: phase === 'paying', onStop: x.stopPayment })
      : null,
    state.paidNotCommitted && phase === 'idle'
      ? h(
          'button',
          {
            type: 'button',
            class: 'primary',
            'data-testid': 'resume-write',
            disabled: allowed.busy,
            onClick: x.resumeWrite,
          },
          props.resumeLabel,
        )
      : null,
    state.taken && state.cardInPlay
      ? h(EtcCardAfterDebit, {
          paid: x.etcCardPaid
            ? {
                cardNo: x.etcCardPaid.cardNo,
                amount: x.etcCardPaid.outcome.amount,
                postBalance: x.etcCardPaid.outcome.balanceAfter,
              }
            : null,
          pending: x.etcCardPending,
          busy: allowed.busy,
          onWrite: x.finishEtcCard,
          onRecover: () => void x.recoverEtcCard(),
          noCpc: props.noCpc,
        })
      : null,
    state.retry
      ? h(PayStep, {
          amount: fee.amount,
          disabled: allowed.busy,
          onQr: x.retryQr,
          onCash: x.retryCash,
        })
      : null,
    props.giveUp && state.retry ? h(GiveUpExit, { disabled: allowed.busy, onGiveUp: x.giveUp }) : null,
    // A fee of 0 (a passed 绿通查验…): nothing to take; a CPC is closed and the exit committed.
    !state.taken && !result && fee.amount === 0
      ? h(FreePass, { disabled: !allowed.canSubmit, onPass: x.passFree })
      : null,
    !state.taken && !result && fee.amount > 0
      ? h(PayStep, {
          amount: fee.amount,
          disabled: !allowed.canSubmit,
          onQr: x.payQr,
          onCash: x.payCash,
          etcCard: {
            read: x.etcCardRead,
            busy: allowed.busy,
            onRead: x.readEtcCard,
            onPay: () => void x.payEtcCard(),
          },
        })
      : null,
  );
}
