import { h } from 'preact';
import type { Fee } from '../api/types';
import { paymentView } from '../exit/cpc-payment';
import { exitAllowed } from '../exit/phase';
import { useCpcExit } from '../exit/use-cpc-exit';
import { L } from '../i18n';
import type { AppServices } from '../services';
import { ReadCardButton } from '../ui/card-panel';
import { ErrorBox, TopBar } from '../ui/common';
import { CpcCardPanel } from '../ui/cpc-card-panel';
import { CollectCpc } from '../ui/cpc-collect';
import { GiveUpExit } from '../ui/cpc-give-up';
import { EtcCardAfterDebit, PayProgress, PayStep } from '../ui/cpc-pay';
import { CpcResultPanel, CpcWriteProgress } from '../ui/cpc-write-status';
import { ExitVehicleSteps } from '../ui/exit-vehicle-steps';
import { AuthorisationStatus, FeePanel } from '../ui/fee-panel';
import { FreePass } from '../ui/free-pass';

/** The decision's rules as the fee panel lists them: the CPC stage's steps, else the last step. */
function ruleText(fee: Fee): string {
  const cpc = fee.trace.filter((t) => t.rule.startsWith('CPC.'));
  const shown = cpc.length > 0 ? cpc : fee.trace.slice(-1);
  return shown.length > 0 ? shown.map((t) => `${t.rule} ${t.text}`).join('；') : '—';
}

/**
 * 封闭式出口：CPC卡交易: the same screen as the ETC exit — card (the CPC's), image, vehicle, fee — then the
 * payment step (【扫码支付】/【现金】, its progress in the station's words), 写卡/关闭CPC with its outcome, and
 * 「收回CPC卡」 with the shift's stock. Reopened with a payment announced, it follows that payment only.
 */
export function CpcExitScreen(props: { services: AppServices; laneId: string; txnId?: string }) {
  const { laneId } = props;
  const x = useCpcExit(props.services, laneId, props.txnId);
  const { draft, txn, phase, result } = x;
  const fee = txn?.fee ?? null;
  const allowed = exitAllowed(phase, txn, draft.imageSubmitted, result);
  // A payment was announced: it is followed, or (paid) the card write and the record are what is left.
  const cashTaken = txn?.state === 'debit_pending' && !result;
  const pay = x.payment ? paymentView(x.payment) : null;
  // The driver's ETC card paid or is being proved: its own panel leads to the write (never the cash resume).
  const cardInPlay = !!x.etcCardPaid || x.etcCardPending;
  // A card debit the station holds is never "paid" on the handheld's word: without its journal entry (storage
  // cleared) nothing here can prove it, so the cash resume must not be offered for it.
  const cardDebit = txn?.debitPayment === 'etc-card';
  const paidNotWritten =
    cashTaken && !cardInPlay && !cardDebit && (!x.payment || x.payment.method === 'cash' || !!pay?.paid);
  const retry = cashTaken && !!pay?.canRetry && !allowed.busy;

  return h(
    'div',
    null,
    // With the cash taken the card must be written and the record made before the collector leaves.
    h(TopBar, { title: 'CPC卡交易', onBack: allowed.busy || cashTaken ? undefined : x.cancel }),
    h(
      'main',
      null,
      h('p', { style: 'margin:4px 0' }, `${L('车道', 'Lane')}: ${laneId}`),
      h(ReadCardButton, { reading: phase === 'reading', disabled: allowed.locked, onRead: x.readCard }),
      h(ErrorBox, { error: x.error }),
      draft.summary && 'issuerArea' in draft.summary && txn
        ? h(CpcCardPanel, { summary: draft.summary, checks: txn.checks })
        : null,
      h(ExitVehicleSteps, { x, allowed, done: !!result }),
      fee
        ? h(
            FeePanel,
            { fee, rows: [[L('计费规则', 'Rule'), h('span', { 'data-testid': 'fee-rule' }, ruleText(fee))]] },
            h(AuthorisationStatus, { waiting: phase === 'waiting-auth', auth: txn?.auth ?? null }),
            x.payment && !result
              ? h(PayProgress, { payment: x.payment, busy: phase === 'paying', onStop: x.stopPayment })
              : null,
            paidNotWritten && phase === 'idle'
              ? h(
                  'button',
                  {
                    type: 'button',
                    class: 'primary',
                    'data-testid': 'resume-write',
                    disabled: allowed.busy,
                    onClick: x.resumeWrite,
                  },
                  L('已收款：继续写卡/关闭CPC', 'Paid: close the CPC'),
                )
              : null,
            cashTaken && cardInPlay
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
                })
              : null,
            retry
              ? h(PayStep, {
                  amount: fee.amount,
                  disabled: allowed.busy,
                  onQr: x.retryQr,
                  onCash: x.retryCash,
                })
              : null,
            // Unpaid and no attempt left to take money: the exit may end here, the CPC goes back unwritten.
            retry ? h(GiveUpExit, { disabled: allowed.busy, onGiveUp: x.giveUp }) : null,
            // A fee of 0 (a passed 绿通查验…): nothing to take, the CPC is closed and the exit committed.
            !cashTaken && !result && fee.amount === 0
              ? h(FreePass, { disabled: !allowed.canSubmit, onPass: x.passFree })
              : null,
            !cashTaken && !result && fee.amount > 0
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
          )
        : null,
      phase === 'writing' || phase === 'settling' ? h(CpcWriteProgress, { phase }) : null,
      result ? h(CpcResultPanel, { result }) : null,
      result ? h(CollectCpc, { stock: x.stock, onCollect: x.goHome }) : null,
      result
        ? null
        : h(
            'button',
            {
              type: 'button',
              style: 'width:100%;margin-top:12px',
              'data-testid': 'back-home',
              disabled: allowed.busy || (cashTaken && !retry),
              onClick: x.cancel,
            },
            '【返回主页】',
          ),
    ),
  );
}
