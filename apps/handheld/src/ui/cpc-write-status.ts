import { type Fen, formatYuan } from '@tollpad/domain';
import { h } from 'preact';
import type { CpcExitResult } from '../exit/cpc-close';
import type { ExitPhase } from '../exit/phase';
import { L } from '../i18n';
import { navigate } from '../services';
import { KV, Panel, Progress } from './common';

const PROGRESS: Partial<Record<ExitPhase, number>> = { paying: 0.2, writing: 0.6, settling: 0.9 };

/** While the cash is recorded and the CPC written (写卡/关闭CPC): keep the handheld by the card. */
export function CpcWriteProgress(props: { phase: ExitPhase }) {
  return h(
    'div',
    { class: 'notice', role: 'status', 'aria-live': 'assertive', 'data-testid': 'cpc-writing' },
    h(
      'div',
      { class: 'big' },
      L('正在写卡/关闭CPC，请将手持机放置CPC卡旁', 'Closing the CPC: hold it by the card'),
    ),
    h(Progress, { value: PROGRESS[props.phase] ?? 0.05, label: L('交易进度', 'Progress') }),
  );
}

/** The finished CPC exit: the cash, the trade ID and the write's outcome (a failed write is said plainly). */
export function CpcResultPanel(props: { result: CpcExitResult }) {
  const r = props.result;
  const written = r.cardWrite === 'written';
  return h(
    Panel,
    { title: L('交易完成', 'Done'), testId: 'result' },
    r.cardWrite === 'none'
      ? h(
          'p',
          { class: 'success', role: 'status', 'data-testid': 'no-card-done' },
          L('无卡出口已完成（无需写卡），放行车辆', 'No-card exit done; release the vehicle'),
        )
      : written
        ? h(
            'p',
            { class: 'success', role: 'status', 'data-testid': 'cpc-written' },
            L('CPC已关闭（写卡成功）', 'CPC closed'),
          )
        : h(
            'div',
            { class: 'alert', role: 'alert', 'data-testid': 'cpc-not-written' },
            h('div', { class: 'big' }, 'CPC写卡失败，卡已收回，已记录特情'),
            h('p', null, L('已收款，交易有效，放行车辆', 'The payment stands; release the vehicle')),
            r.reason ? h('p', { class: 'code' }, r.reason) : null,
          ),
    h(KV, {
      rows: [
        [
          r.method === 'qr'
            ? L('扫码支付', 'QR payment')
            : r.method === 'etc-card'
              ? L(`ETC卡支付（卡号 ${r.etcCard?.cardNo ?? ''}）`, 'ETC card')
              : r.method === 'free'
                ? L('免费放行', 'Free passage')
                : L('收取现金', 'Cash'),
          h('span', { 'data-testid': 'result-amount' }, `¥${formatYuan(r.amount as Fen)}`),
        ],
        ...(r.payment?.cash
          ? [
              [
                L('实收/找零', 'Tendered/change'),
                h(
                  'span',
                  { 'data-testid': 'result-change' },
                  `¥${formatYuan(r.payment.cash.tendered as Fen)} / ¥${formatYuan(r.payment.cash.change as Fen)}`,
                ),
              ] as const,
            ]
          : []),
        [L('交易编号', 'Trade ID'), h('span', { 'data-testid': 'trade-id' }, r.tradeId)],
      ],
    }),
    h(
      'button',
      {
        type: 'button',
        'data-testid': 'open-receipt',
        onClick: () => navigate({ name: 'receipt', tradeId: r.tradeId, reprint: false }),
      },
      L('【打印回单】', 'Print receipt'),
    ),
  );
}
