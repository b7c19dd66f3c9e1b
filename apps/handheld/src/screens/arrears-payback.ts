import { type Fen, formatYuan } from '@tollpad/domain';
import { h } from 'preact';
import { useState } from 'preact/hooks';
import { HandoverClient } from '../api/handover-client';
import { toUserFacing, type UserFacingError } from '../errors';
import { paymentView } from '../exit/cpc-payment';
import { paybackReceiptOf } from '../exit/payback-receipt';
import { type PaybackTarget, usePayback } from '../exit/use-payback';
import { L } from '../i18n';
import type { AppServices } from '../services';
import { ArrearsEntries } from '../ui/arrears-banner';
import { ErrorBox, Panel, TopBar } from '../ui/common';
import { PayProgress, PayStep } from '../ui/cpc-pay';

const yuan = (fen: number) => `¥${formatYuan(fen as Fen)}`;

/**
 * 补缴 (issue #22 item 4; lazy, its own chunk): the plate's open entries and their total, 【开始补缴】, the CPC
 * exit's payment step (【扫码支付】/【现金】), the payment followed in the station's words, the payback's own
 * receipt (marked 补缴), and back to the exit it was found at. A reload resumes the payment (never a second one).
 */
export function ArrearsPaybackScreen(props: {
  services: AppServices;
  laneId: string;
  target: PaybackTarget;
}) {
  const x = usePayback(props.services, props.laneId, props.target);
  const { owed, payback, phase, payment } = x;
  const [printError, setPrintError] = useState<UserFacingError | null>(null);
  const entries = payback?.entries ?? owed?.entries ?? [];
  const total = payback?.amount ?? owed?.total ?? 0;
  const committed = payback?.state === 'committed';
  const pending = payback?.state === 'debit_pending';
  const busy = phase === 'pricing' || phase === 'paying' || phase === 'settling';
  const view = payment ? paymentView(payment) : null;
  const receipt = payback ? paybackReceiptOf(payback, { reprint: false }) : null;
  const plate = payback?.vehicleId ?? owed?.vehicleId ?? '';

  const print = async () => {
    if (!receipt) return;
    try {
      await new HandoverClient(props.services.client).logReceipt(receipt.tradeId, 'print');
      setPrintError(null);
      window.print();
    } catch (e) {
      setPrintError(toUserFacing(e));
    }
  };

  return h(
    'div',
    null,
    // With money announced the payback must end in its record before the collector leaves.
    h(TopBar, { title: L('补缴', 'Arrears payback'), onBack: busy || pending ? undefined : x.cancel }),
    h(
      'main',
      null,
      h(
        'p',
        { style: 'margin:4px 0' },
        `${L('车道', 'Lane')}: ${props.laneId} · ${L('车牌', 'Plate')}: ${plate}`,
      ),
      h(ErrorBox, { error: x.error }),
      h(
        Panel,
        { title: L('欠费明细', 'Entries owed'), testId: 'payback-owed' },
        entries.length > 0 ? h(ArrearsEntries, { entries }) : h('p', null, L('无未结清欠费', 'Nothing owed')),
        h('p', { class: 'big', 'data-testid': 'payback-total' }, `${L('合计', 'Total')} ${yuan(total)}`),
        owed?.note ? h('p', { 'data-testid': 'payback-note' }, owed.note) : null,
      ),
      !payback && owed
        ? h(
            'button',
            {
              type: 'button',
              class: 'primary',
              'data-testid': 'payback-start',
              disabled: busy || owed.source !== 'centre' || owed.entries.length === 0,
              onClick: () => void x.start(),
            },
            `${L('【开始补缴】', 'Start')} ${yuan(owed.total)}`,
          )
        : null,
      payment && !committed
        ? h(PayProgress, { payment, busy: phase === 'paying', onStop: x.stopPayment })
        : null,
      payback?.state === 'priced' && !busy
        ? h(PayStep, { amount: payback.amount, disabled: busy, onQr: x.payQr, onCash: x.payCash })
        : null,
      // A QR attempt ended not paid: another code under the same pay ID, or cash.
      pending && view?.canRetry && !busy
        ? h(PayStep, { amount: payback.amount, disabled: busy, onQr: x.retryQr, onCash: x.retryCash })
        : null,
      payback?.upload === 'conflict'
        ? h(
            'p',
            { class: 'alert', role: 'alert', 'data-testid': 'payback-conflict' },
            L(
              `中心拒收该补缴记录（${payback.uploadCode ?? ''}）：款项已收，记录已保留，请联系班长与中心核对，勿退款或重复收费`,
              'The centre refused the record: the money stands; see the monitor',
            ),
          )
        : null,
      committed && receipt
        ? h(
            'section',
            { class: 'receipt', 'data-testid': 'payback-receipt', 'data-trade-id': receipt.tradeId },
            h('h2', null, receipt.title),
            h(
              'dl',
              { class: 'kv' },
              receipt.rows.flatMap(([k, v]) => [
                h('dt', { key: `${k}-t` }, k),
                h('dd', { key: `${k}-d`, 'data-testid': `payback-receipt-${k}` }, v),
              ]),
            ),
            h(ErrorBox, { error: printError }),
            h(
              'button',
              { type: 'button', class: 'no-print', 'data-testid': 'payback-print', onClick: print },
              L('【打印】', 'Print'),
            ),
          )
        : null,
      h(
        'button',
        {
          type: 'button',
          class: committed ? 'primary' : '',
          style: 'width:100%;margin-top:12px',
          'data-testid': 'payback-back',
          disabled: busy || pending,
          onClick: committed ? () => void x.backToExit() : () => void x.cancel(),
        },
        committed ? L('【返回出口】', 'Back to the exit') : L('【取消补缴，返回】', 'Cancel, back'),
      ),
    ),
  );
}
