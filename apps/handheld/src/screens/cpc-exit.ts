import { h } from 'preact';
import type { Fee } from '../api/types';
import { exitAllowed } from '../exit/phase';
import { useCpcExit } from '../exit/use-cpc-exit';
import { L } from '../i18n';
import type { AppServices } from '../services';
import { ReadCardButton } from '../ui/card-panel';
import { ErrorBox, TopBar } from '../ui/common';
import { CpcCardPanel } from '../ui/cpc-card-panel';
import { CollectCpc } from '../ui/cpc-collect';
import { CpcPaySteps, cpcPayState } from '../ui/cpc-pay-steps';
import { CpcResultPanel, CpcWriteProgress } from '../ui/cpc-write-status';
import { ExitVehicleSteps } from '../ui/exit-vehicle-steps';
import { AuthorisationStatus, FeePanel } from '../ui/fee-panel';

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
  const pay = cpcPayState(x, allowed);
  const { taken: cashTaken, retry } = pay;

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
            h(CpcPaySteps, {
              x,
              allowed,
              fee,
              state: pay,
              resumeLabel: L('已收款：继续写卡/关闭CPC', 'Paid: close the CPC'),
              giveUp: true,
            }),
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
