import { type Fen, formatYuan } from '@tollpad/domain';
import { h } from 'preact';
import { L } from '../i18n';

/**
 * The interim payment of a CPC exit (until the payments issue): 【收取现金 ¥x】, then the collector confirms
 * the cash is in hand before the station hears of it. Nothing is told to the station before the confirmation.
 */
export function CashConfirm(props: {
  amount: number;
  confirming: boolean;
  disabled: boolean;
  onAsk: () => void;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const yuan = `¥${formatYuan(props.amount as Fen)}`;
  if (!props.confirming) {
    return h(
      'button',
      {
        type: 'button',
        class: 'primary',
        'data-testid': 'collect-cash',
        disabled: props.disabled,
        onClick: props.onAsk,
      },
      `【收取现金 ${yuan}】`,
    );
  }
  return h(
    'div',
    { class: 'notice', role: 'alertdialog', 'aria-labelledby': 'cash-q', 'data-testid': 'cash-confirm' },
    h('p', { id: 'cash-q', class: 'big' }, L(`已收到现金 ${yuan}？`, `Cash ${yuan} received?`)),
    h(
      'div',
      { class: 'row' },
      h(
        'button',
        { type: 'button', class: 'primary', 'data-testid': 'confirm-cash', onClick: props.onConfirm },
        L('确认已收现金', 'Confirm cash received'),
      ),
      h('button', { type: 'button', onClick: props.onCancel }, L('还没有', 'Not yet')),
    ),
  );
}
