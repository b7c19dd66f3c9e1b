import { type Fen, formatYuan } from '@tollpad/domain';
import { h } from 'preact';
import type { CardSummary, Fee } from '../api/types';
import { exitAllowed } from '../exit/phase';
import { useExitTransaction } from '../exit/use-exit-transaction';
import { L } from '../i18n';
import type { AppServices } from '../services';
import { CardPanel, ReadCardButton } from '../ui/card-panel';
import { CardWriteProgress, PutBackCard } from '../ui/card-write-status';
import { ErrorBox, TopBar } from '../ui/common';
import { ExitVehicleSteps } from '../ui/exit-vehicle-steps';
import { AuthorisationStatus, FeePanel } from '../ui/fee-panel';
import { debitRows, ResultPanel } from '../ui/result-panel';

/** The ETC card's balance once this fee is debited; an account card has none. */
function balanceAfter(summary: CardSummary | null, fee: Fee): string {
  return summary?.balance === null || summary?.balance === undefined
    ? L('记账卡', 'account card')
    : `¥${formatYuan((summary.balance - fee.amount) as Fen)}`;
}

/** The card cannot pay this exit by ETC (expired, locked, …): another payment is taken. */
function NotEtcPayable(props: { fee: Fee }) {
  return h(ErrorBox, {
    testId: 'not-payable',
    error: {
      code: 'STN_ERR_EXIT_NOT_ETC_PAYABLE',
      message: props.fee.notPayableReason ?? L('该卡不能进行ETC扣费', 'This card cannot pay by ETC'),
      action: L(
        '请车主以其他方式缴费（现金/移动支付），然后返回ETC联动主页',
        'Take another payment, then go home',
      ),
    },
  });
}

/**
 * ETC联动单卡交易: one screen that fills in as the collector goes. The `etc` medium's panels (card,
 * image, vehicle, fee paid by the card, result) over the transaction the hook runs.
 */
export function ExitScreen(props: { services: AppServices; laneId: string; txnId?: string }) {
  const { laneId } = props;
  const x = useExitTransaction(props.services, laneId, props.txnId);
  const { draft, txn, phase, result } = x;
  const fee = txn?.fee ?? null;
  const allowed = exitAllowed(phase, txn, draft.imageSubmitted, result);

  return h(
    'div',
    null,
    h(TopBar, { title: 'ETC联动单卡交易', onBack: allowed.busy ? undefined : x.cancel }),
    h(
      'main',
      null,
      h('p', { style: 'margin:4px 0' }, `${L('车道', 'Lane')}: ${laneId}`),
      h(ReadCardButton, { reading: phase === 'reading', disabled: allowed.locked, onRead: x.readCard }),
      h(ErrorBox, { error: x.error }),
      draft.summary && txn ? h(CardPanel, { summary: draft.summary, checks: txn.checks }) : null,
      h(ExitVehicleSteps, { x, allowed, done: !!result }),
      fee
        ? h(
            FeePanel,
            { fee, rows: [[L('扣费后余额', 'Balance after'), balanceAfter(draft.summary, fee)]] },
            fee.etcPayable ? null : h(NotEtcPayable, { fee }),
            h(AuthorisationStatus, { waiting: phase === 'waiting-auth', auth: txn?.auth ?? null }),
            h(
              'button',
              {
                type: 'button',
                class: 'primary',
                'data-testid': 'submit-data',
                disabled: !allowed.canSubmit,
                onClick: x.submitData,
              },
              '【提交数据】',
            ),
          )
        : null,
      allowed.writing ? h(CardWriteProgress, { step: x.step, confirming: phase === 'recovering' }) : null,
      phase === 'torn'
        ? h(PutBackCard, { cardNo: draft.summary?.cardNo ?? '', onRetry: x.retryRecovery })
        : null,
      result ? h(ResultPanel, { rows: debitRows(result) }) : null,
      h(
        'button',
        {
          type: 'button',
          style: 'width:100%;margin-top:12px',
          'data-testid': 'back-home',
          disabled: allowed.busy,
          onClick: result ? x.goHome : x.cancel,
        },
        '【返回ETC联动】',
      ),
    ),
  );
}
