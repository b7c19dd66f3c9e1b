import { type Fen, formatYuan } from '@tollpad/domain';
import { h } from 'preact';
import type { Fee } from '../api/types';
import { exitAllowed } from '../exit/phase';
import { useCpcExit } from '../exit/use-cpc-exit';
import { L } from '../i18n';
import type { AppServices } from '../services';
import { ErrorBox, TopBar } from '../ui/common';
import { CpcPaySteps, cpcPayState } from '../ui/cpc-pay-steps';
import { CpcResultPanel } from '../ui/cpc-write-status';
import { ExitVehicleSteps } from '../ui/exit-vehicle-steps';
import { AuthorisationStatus, FeePanel } from '../ui/fee-panel';
import { NoCardForm } from '../ui/no-card-form';

/** The rule that set the toll (and why the fallbacks before it did not), from the no-card stage's trace. */
function ruleText(fee: Fee): string {
  const shown = fee.trace.filter((t) => t.rule.startsWith('NOCARD.') && t.rule !== 'NOCARD.CARD_COST');
  return shown.length > 0 ? shown.map((t) => `${t.rule} ${t.text}`).join('；') : '—';
}

/**
 * 【无卡交易】 (cpc-card.md §5.4): 【无卡登记】 (无卡 / 丢卡 / 坏卡 with the label ID, the stated entry or 司机拒绝告知),
 * the plate with its colour and photo, 车型/车种, 【算费】 with the rule used and the card cost on its own line,
 * the payment (【扫码支付】/【现金】/【ETC卡支付】, the CPC's), and the receipt. Nothing is written to any card. Kept in
 * the durable journal from before the payment until the commit, resumed from the home screen like a CPC exit.
 */
export function NoneExitScreen(props: { services: AppServices; laneId: string; txnId?: string }) {
  const { laneId } = props;
  const x = useCpcExit(props.services, laneId, props.txnId, 'none');
  const { draft, txn, phase, result } = x;
  const fee = txn?.fee ?? null;
  const allowed = exitAllowed(phase, txn, draft.imageSubmitted, result);
  const pay = cpcPayState(x, allowed);
  const { taken, retry } = pay;
  const noCard = fee?.noCard;

  return h(
    'div',
    null,
    h(TopBar, { title: L('无卡交易', 'No-card exit'), onBack: allowed.busy || taken ? undefined : x.cancel }),
    h(
      'main',
      null,
      h('p', { style: 'margin:4px 0' }, `${L('车道', 'Lane')}: ${laneId}`),
      txn ? null : h(NoCardForm, { disabled: allowed.locked || phase === 'reading', onSubmit: x.openNone }),
      h(ErrorBox, { error: x.error }),
      txn
        ? h(
            'ul',
            { 'data-testid': 'no-card-actions' },
            txn.actions.map((a) => h('li', { key: a }, a)),
          )
        : null,
      h(ExitVehicleSteps, { x, allowed, done: !!result }),
      fee
        ? h(
            FeePanel,
            {
              fee,
              rows: [
                [L('计费规则', 'Rule'), h('span', { 'data-testid': 'fee-rule' }, ruleText(fee))],
                ...(noCard
                  ? ([
                      [
                        L('通行费', 'Toll'),
                        h('span', { 'data-testid': 'fee-toll' }, `¥${formatYuan(noCard.toll as Fen)}`),
                      ],
                      [
                        L('卡成本', 'Card cost'),
                        h(
                          'span',
                          { 'data-testid': 'fee-card-cost' },
                          `¥${formatYuan(noCard.cardCost as Fen)}`,
                        ),
                      ],
                    ] as const)
                  : []),
              ],
            },
            h(AuthorisationStatus, { waiting: phase === 'waiting-auth', auth: txn?.auth ?? null }),
            h(CpcPaySteps, {
              x,
              allowed,
              fee,
              state: pay,
              resumeLabel: L('已收款：继续提交数据', 'Paid: commit'),
              noCpc: true,
            }),
          )
        : null,
      result ? h(CpcResultPanel, { result }) : null,
      h(
        'button',
        {
          type: 'button',
          style: 'width:100%;margin-top:12px',
          'data-testid': 'back-home',
          disabled: allowed.busy || (taken && !retry),
          onClick: result ? x.goHome : x.cancel,
        },
        '【返回主页】',
      ),
    ),
  );
}
