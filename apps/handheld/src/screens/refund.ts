import type { PaymentRefunds, Refund } from '@tollpad/station-api';
import { h } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { RefundClient } from '../api/refund-client';
import type { ExitRecordSummary } from '../api/views';
import { toUserFacing, type UserFacingError } from '../errors';
import { L } from '../i18n';
import { type AppServices, navigate } from '../services';
import { ErrorBox, Panel, Table, TopBar } from '../ui/common';
import {
  channelName,
  newRefundRequestId,
  reasonProblem,
  refundAmount,
  refundOutcome,
  yuan,
} from './refund-form';

const STATE_TEXT: Record<Refund['state'], string> = {
  requested: '已提交',
  unknown: '待确认',
  refunded: '已退款',
  refused: '被拒绝',
  conflict: '需人工核实',
};

/** The payment chosen: what was captured and refunded, and each refund. */
function PaymentPanel(props: { p: PaymentRefunds }) {
  const { p } = props;
  return h(
    Panel,
    { title: L('支付详情', 'Payment'), testId: 'refund-payment' },
    h(Table, {
      head: [L('项目', 'Item'), L('内容', 'Value')],
      rows: [
        ['交易编号', p.tradeId ?? '（未提交流水）'],
        ['支付单号', p.payId],
        ['支付渠道', `${channelName(p.channel)} · ${p.platformOrderNo}`],
        ['车牌', p.plate ?? '—'],
        ['实收', yuan(p.capturedFen)],
        ['已退款', yuan(p.refundedFen)],
        ['退款待确认', yuan(p.pendingFen)],
        ['可退金额', yuan(p.refundableFen)],
        ['退款期限', new Date(p.refundUntil).toLocaleDateString('zh-CN')],
      ].map(([k, v]) => ({
        key: k as string,
        cells: [k as string, { text: v as string, style: 'word-break:break-all' }],
      })),
      empty: '',
    }),
    h('h3', null, L('退款记录', 'Refunds')),
    h(
      'div',
      { 'data-testid': 'refund-list' },
      h(Table, {
        head: [L('金额', 'Amount'), L('原因', 'Reason'), L('状态', 'State')],
        rows: p.refunds.map((r) => ({
          key: r.refundNo,
          cells: [yuan(r.amountFen), r.reason, STATE_TEXT[r.state]],
        })),
        empty: L('暂无退款', 'No refunds'),
      }),
    ),
  );
}

/**
 * 退款 (monitor, admin): find a paid exit — by trade ID, pay ID or plate, or from the recent records — see
 * what was captured and refunded, and refund part or all of a QR payment with a reason, after a confirmation.
 * Cash is not refunded here (the station says so: STN_ERR_REFUND_CASH). One request ID per form, so a tap
 * retried after a lost answer is the same refund.
 */
export function RefundScreen(props: { services: AppServices; ref?: string }) {
  const { client } = props.services;
  const refunds = useMemo(() => new RefundClient(client), [client]);
  const [q, setQ] = useState(props.ref ?? '');
  const [found, setFound] = useState<PaymentRefunds[] | null>(null);
  const [records, setRecords] = useState<ExitRecordSummary[]>([]);
  const [payment, setPayment] = useState<PaymentRefunds | null>(null);
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [requestId, setRequestId] = useState(() => newRefundRequestId());
  const [confirming, setConfirming] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Refund | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UserFacingError | null>(null);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(toUserFacing(e));
    } finally {
      setBusy(false);
    }
  };

  const choose = (ref: string) =>
    run(async () => {
      setOutcome(null);
      setConfirming(null);
      setPayment(null);
      setPayment(await refunds.payment(ref));
    });

  useEffect(() => {
    void client
      .records(20)
      .then(setRecords)
      .catch(() => undefined);
    if (props.ref) void choose(props.ref);
  }, []);

  const search = () =>
    run(async () => {
      setPayment(null);
      const list = await refunds.find(q.trim());
      setFound(list);
      if (list.length === 1) setPayment(list[0]!);
      // Nothing captured by QR under that name: the station says why (a cash trade, another station's, unknown).
      if (list.length === 0) setPayment(await refunds.payment(q.trim()));
    });

  const ask = () => {
    if (!payment) return;
    const a = refundAmount(amount, payment.refundableFen);
    const why = reasonProblem(reason);
    setProblem(a.ok ? why : a.message);
    if (a.ok && !why) setConfirming(a.fen);
  };

  const confirm = () =>
    run(async () => {
      if (!payment || confirming === null) return;
      const r = await refunds.refund(payment.payId, {
        amountFen: confirming,
        reason: reason.trim(),
        refundRequestId: requestId,
      });
      // Only an answered request frees the form: a lost answer is retried under the same request ID.
      setOutcome(r.refund);
      setPayment(r.payment);
      setConfirming(null);
      setAmount('');
      setReason('');
      setRequestId(newRefundRequestId());
    });

  const shown = outcome ? refundOutcome(outcome) : null;
  return h(
    'div',
    null,
    h(TopBar, { title: L('退款', 'Refund'), onBack: () => navigate({ name: 'monitor' }) }),
    h(
      'main',
      null,
      h(ErrorBox, { error }),
      h(
        Panel,
        { title: L('查找支付', 'Find a payment'), testId: 'refund-find' },
        h('label', { for: 'refund-q' }, L('交易编号 / 支付单号 / 车牌', 'Trade ID / pay ID / plate')),
        h('input', {
          id: 'refund-q',
          'data-testid': 'refund-q',
          value: q,
          onInput: (e: Event) => setQ((e.target as HTMLInputElement).value),
        }),
        h(
          'button',
          {
            type: 'button',
            class: 'primary',
            'data-testid': 'refund-search',
            disabled: busy || q.trim().length < 2,
            onClick: search,
          },
          L('【查询】', '【查询】 Search'),
        ),
        found && found.length !== 1
          ? found.length === 0
            ? h('p', { 'data-testid': 'refund-none' }, L('没有找到扫码支付', 'No QR payment found'))
            : found.map((p) =>
                h(
                  'button',
                  {
                    key: p.outTradeNo,
                    type: 'button',
                    'data-testid': 'refund-pick',
                    style: 'display:block;width:100%;margin-top:6px',
                    onClick: () => setPayment(p),
                  },
                  `${p.plate ?? ''} · ${yuan(p.capturedFen)} · ${p.tradeId ?? p.payId}`,
                ),
              )
          : null,
      ),
      payment ? h(PaymentPanel, { p: payment }) : null,
      shown
        ? h(
            'div',
            {
              class: shown.tone === 'fail' ? 'alert' : 'notice',
              role: 'status',
              'data-testid': 'refund-outcome',
              'data-state': outcome?.state,
            },
            shown.text,
          )
        : null,
      payment && shown?.tone === 'wait'
        ? h(
            'button',
            { type: 'button', 'data-testid': 'refund-reload', onClick: () => choose(payment.payId) },
            L('【刷新结果】', '【刷新结果】 Reload'),
          )
        : null,
      payment && payment.refundableFen > 0
        ? h(
            Panel,
            { title: L('退款', 'Refund'), testId: 'refund-form' },
            h('label', { for: 'refund-amount' }, L('退款金额（元）', 'Amount (yuan)')),
            h('input', {
              id: 'refund-amount',
              'data-testid': 'refund-amount',
              inputMode: 'decimal',
              value: amount,
              disabled: confirming !== null,
              onInput: (e: Event) => setAmount((e.target as HTMLInputElement).value),
            }),
            h('label', { for: 'refund-reason' }, L('退款原因', 'Reason')),
            h('input', {
              id: 'refund-reason',
              'data-testid': 'refund-reason',
              value: reason,
              disabled: confirming !== null,
              onInput: (e: Event) => setReason((e.target as HTMLInputElement).value),
            }),
            problem ? h('p', { class: 'alert', 'data-testid': 'refund-problem' }, problem) : null,
            confirming === null
              ? h(
                  'button',
                  {
                    type: 'button',
                    class: 'danger',
                    'data-testid': 'refund-submit',
                    disabled: busy,
                    onClick: ask,
                  },
                  L('【退款】', '【退款】 Refund'),
                )
              : h(
                  'div',
                  {
                    class: 'notice',
                    role: 'alertdialog',
                    'aria-label': L('确认退款', 'Confirm the refund'),
                    'data-testid': 'refund-confirm-box',
                  },
                  h('p', null, `确认退款 ${yuan(confirming)} 给顾客？原因：${reason.trim()}`),
                  h(
                    'div',
                    { class: 'row' },
                    h(
                      'button',
                      {
                        type: 'button',
                        class: 'danger',
                        'data-testid': 'refund-confirm',
                        disabled: busy,
                        onClick: confirm,
                      },
                      L('【确认退款】', '【确认退款】 Confirm'),
                    ),
                    h(
                      'button',
                      { type: 'button', disabled: busy, onClick: () => setConfirming(null) },
                      L('【取消】', '【取消】 Cancel'),
                    ),
                  ),
                ),
          )
        : null,
      h(
        Panel,
        { title: L('最近流水', 'Recent records'), testId: 'refund-records' },
        records.length === 0
          ? h('p', null, L('暂无流水', 'No records'))
          : records.map((r) =>
              h(
                'button',
                {
                  key: r.tradeId,
                  type: 'button',
                  'data-testid': 'refund-record',
                  'data-trade': r.tradeId,
                  style: 'display:block;width:100%;margin-top:6px;text-align:left;word-break:break-all',
                  disabled: busy,
                  onClick: () => choose(r.tradeId),
                },
                `${r.vehicleId} · ${yuan(r.fee)} · ${r.tradeId}`,
              ),
            ),
      ),
    ),
  );
}
