import { describeSpecial, EXIT_FEE_TYPES, type Fen, formatYuan } from '@tollpad/domain';
import { type ComponentChildren, h } from 'preact';
import type { ExitTxn, Fee } from '../api/types';
import { L } from '../i18n';
import { KV, Panel } from './common';

type Row = readonly [string, ComponentChildren];

/**
 * 收费信息: the fee decision (amount, pay fee, discount, method, specials) for any medium. `rows` are
 * the medium's own lines (e.g. the card balance after the debit), shown before the specials;
 * `children` come after: notices and the payment's button.
 */
export function FeePanel(props: { fee: Fee; rows?: readonly Row[]; children?: ComponentChildren }) {
  const { fee } = props;
  return h(
    Panel,
    { title: L('收费信息', 'Fee'), testId: 'fee-info' },
    h(KV, {
      rows: [
        [
          L('应收金额', 'Amount'),
          h('span', { class: 'big', 'data-testid': 'fee-amount' }, `¥${formatYuan(fee.amount as Fen)}`),
        ],
        [L('应付金额', 'Pay fee'), `¥${formatYuan(fee.payFee as Fen)}`],
        [L('优惠', 'Discount'), `¥${formatYuan(fee.discount as Fen)}`],
        [L('计费方式', 'Method'), EXIT_FEE_TYPES.get(fee.exitFeeType) ?? String(fee.exitFeeType)],
        ...(props.rows ?? []),
        [
          L('特情', 'Special'),
          fee.specialTypes.length === 0
            ? L('无', 'none')
            : fee.specialTypes.map((c) => `${c} ${describeSpecial(c)}`).join('；'),
        ],
      ],
    }),
    props.children,
  );
}

/** The monitor's authorisation of the fee: waiting for it (continues by itself), or who approved. */
export function AuthorisationStatus(props: { waiting: boolean; auth: ExitTxn['auth'] | null }) {
  const { auth } = props;
  return [
    props.waiting
      ? h(
          'div',
          { class: 'notice', role: 'status', 'aria-live': 'polite', 'data-testid': 'waiting-auth' },
          L('等待班长授权…授权后自动继续', 'Waiting for the monitor… continues by itself'),
        )
      : null,
    auth?.status === 'approved'
      ? h(
          'p',
          { class: 'success', role: 'status', 'data-testid': 'auth-approved' },
          `${L('班长已授权', 'Approved by monitor')}${auth.by ? `（${auth.by}）` : ''}`,
        )
      : null,
  ];
}
