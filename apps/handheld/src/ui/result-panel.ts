import { type Fen, formatYuan } from '@tollpad/domain';
import { type ComponentChildren, h } from 'preact';
import type { DebitResult } from '../api/types';
import { L } from '../i18n';
import { KV, Panel } from './common';

type Row = readonly [string, ComponentChildren];

/** 交易成功: the finished exit, in the lines its payment gives (e.g. debitRows for the ETC debit). */
export function ResultPanel(props: { rows: readonly Row[] }) {
  return h(
    Panel,
    { title: L('交易成功', 'Done'), testId: 'result' },
    h('div', { class: 'success', role: 'status' }, h(KV, { rows: props.rows })),
  );
}

/** The ETC debit's result: what was taken, the balance left, the TAC and the record's trade ID. */
export function debitRows(r: DebitResult): Row[] {
  return [
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
  ];
}
