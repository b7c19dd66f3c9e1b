import { type Fen, formatYuan } from '@tollpad/domain';
import type { PaybackTotals } from '@tollpad/station-api';
import { h } from 'preact';
import { L } from '../i18n';
import { Panel, Table } from './common';

const yuan = (fen: number) => `¥${formatYuan(fen as Fen)}`;

/**
 * 补缴 apart from the tolls (shift report and hand-over): how many paybacks, their fen, per payment. Blind
 * (the hand-over before the count) the amount and the cash line are not given.
 */
export function PaybackTotalsPanel(props: { p: PaybackTotals; testId: string }) {
  const { p } = props;
  return h(
    Panel,
    { title: L('补缴（追缴欠费，不计入通行费）', 'Arrears paybacks'), testId: props.testId },
    h(
      'p',
      { 'data-testid': `${props.testId}-sum` },
      `${p.count} ${L('笔', '')} · ${p.amount === null ? '—' : yuan(p.amount)}`,
    ),
    p.byPayType.length > 0
      ? h(Table, {
          head: [L('支付方式', 'Payment'), L('笔数', 'Count'), L('金额', 'Amount')],
          rows: p.byPayType.map((g) => ({
            key: g.payType,
            cells: [`${g.payType} ${g.name}`, String(g.count), yuan(g.amount)],
          })),
          empty: L('无', 'none'),
        })
      : null,
  );
}
