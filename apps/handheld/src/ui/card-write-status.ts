import { h } from 'preact';
import type { PurchaseStep } from '../card/card-desk';
import { L } from '../i18n';
import { Progress } from './common';

const STEP_PROGRESS: Record<PurchaseStep, number> = {
  connect: 0.2,
  debit: 0.6,
  'waiting-for-card': 0.6,
  recovering: 0.8,
  done: 1,
};

/** While the card is written: keep the handheld by the card, and how far the purchase is. */
export function CardWriteProgress(props: { step: PurchaseStep | null; confirming: boolean }) {
  return h(
    'div',
    { class: 'notice', role: 'status', 'aria-live': 'assertive', 'data-testid': 'debiting' },
    h('div', { class: 'big' }, '请将手持机放置ETC卡签旁'),
    h(Progress, { value: props.step ? STEP_PROGRESS[props.step] : 0.05, label: L('交易进度', 'Progress') }),
    props.confirming ? h('p', null, L('正在确认扣款结果…', 'Confirming the debit…')) : null,
  );
}

/** The card left during the write (or its outcome is not yet told to the station): put it back. */
export function PutBackCard(props: { cardNo: string; onRetry: () => void }) {
  return h(
    'div',
    { class: 'alert', role: 'alert', 'data-testid': 'put-back' },
    h('div', { class: 'big' }, '请放回原卡'),
    h('p', null, `${L('卡号', 'Card')}: ${props.cardNo}`),
    h(
      'p',
      null,
      L('放回后将自动确认扣款结果，不会重复扣款', 'Once back, the outcome is confirmed; never debited twice'),
    ),
    h('button', { type: 'button', onClick: props.onRetry }, L('重试确认', 'Retry')),
  );
}
