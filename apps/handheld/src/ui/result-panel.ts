import { type Fen, formatYuan } from '@tollpad/domain';
import { h } from 'preact';
import type { DebitResult } from '../api/types';
import { L } from '../i18n';
import { KV, Panel } from './common';

/** 交易成功: what was taken, the balance left, the TAC and the trade ID of the committed record. */
export function ResultPanel(props: { result: DebitResult }) {
  const r = props.result;
  return h(
    Panel,
    { title: L('交易成功', 'Done'), testId: 'result' },
    h(
      'div',
      { class: 'success', role: 'status' },
      h(KV, {
        rows: [
          [
            L('扣款金额', 'Debited'),
            h('span', { 'data-testid': 'result-amount' }, `¥${formatYuan(r.amount as Fen)}`),
          ],
          [
            L('卡内余额', 'Balance'),
            h('span', { 'data-testid': 'result-balance' }, `¥${formatYuan(r.balanceAfter as Fen)}`),
          ],
          ['TAC', h('span', { 'data-testid': 'result-tac' }, r.tac)],
          ...(r.tradeId
            ? [[L('交易编号', 'Trade ID'), h('span', { 'data-testid': 'trade-id' }, r.tradeId)] as const]
            : []),
          ...(r.recovered
            ? [[L('说明', 'Note'), L('经恢复确认，只扣款一次', 'Recovered; one debit')] as const]
            : []),
        ],
      }),
    ),
  );
}
