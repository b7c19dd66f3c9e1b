import { type Fen, formatYuan } from '@tollpad/domain';
import type { PaymentStatus } from '@tollpad/station-api';
import { h } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PayCardRead } from '../card/pay-card-desk';
import { handheldError, toUserFacing, type UserFacingError } from '../errors';
import { changeFor, type PayMethod, parseTendered, paymentView, scannedAuthCode } from '../exit/cpc-payment';
import { payCardRefusal } from '../exit/etc-card-pay';
import { L } from '../i18n';
import { ErrorBox, Panel } from './common';
import { useTrainingScan } from './training-pay-codes';

const yuan = (fen: number) => `¥${formatYuan(fen as Fen)}`;

/** The camera's 付款码 reader: ZXing is fetched when this opens, never with the first screen. */
function CameraScan(props: { onCode: (code: string) => void; onError: (e: UserFacingError) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    let stop: (() => void) | null = null;
    let done = false;
    void import('./code-scanner')
      .then(({ startCodeScanner }) => {
        const v = video.current;
        if (!v || done) return;
        return startCodeScanner(v, (text) => {
          const code = scannedAuthCode(text);
          if (!code || done) return; // not a payment code (e.g. a URL): keep looking
          done = true;
          stop?.();
          props.onCode(code);
        }).then((s) => {
          stop = s;
          if (done) s();
        });
      })
      .catch((e: unknown) => props.onError(toUserFacing(handheldError('HH_ERR_CAMERA', { cause: e }))));
    return () => {
      done = true;
      stop?.();
    };
  }, []);
  return h('video', {
    ref: video,
    muted: true,
    playsInline: true,
    'data-testid': 'pay-camera',
    style: 'width:100%;max-height:40vh;background:#000',
  });
}

/**
 * 【扫码支付】: the hardware scanner types the code into the field and ends with Enter (auto-submit); or the
 * camera reads it; or 主扫, a code the driver scans.
 */
function QrPay(props: { disabled: boolean; onCode: (code: string | undefined) => void }) {
  const [text, setText] = useState('');
  const [camera, setCamera] = useState(false);
  const [error, setError] = useState<UserFacingError | null>(null);
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => field.current?.focus(), []);
  function send(raw: string) {
    const code = scannedAuthCode(raw);
    if (!code) {
      setError(toUserFacing(handheldError('HH_ERR_PAY_CODE', { field: 'auth-code' })));
      return;
    }
    setError(null);
    setText('');
    setCamera(false);
    props.onCode(code);
  }
  // A TEST code from the training panel arrives as if the scanner had typed it.
  useTrainingScan((code) => {
    if (!props.disabled) send(code);
  });
  return h(
    'form',
    {
      'data-testid': 'qr-pay',
      onSubmit: (e: Event) => {
        e.preventDefault();
        send(text);
      },
    },
    h('label', { for: 'auth-code' }, L('付款码（扫码枪扫描或输入）', 'Payment code (scanner or typed)')),
    h('input', {
      id: 'auth-code',
      ref: field,
      inputMode: 'numeric',
      autoComplete: 'off',
      value: text,
      disabled: props.disabled,
      'data-testid': 'auth-code',
      onInput: (e: Event) => setText((e.currentTarget as HTMLInputElement).value),
    }),
    h(ErrorBox, { error, testId: 'pay-code-error' }),
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'submit', class: 'primary', disabled: props.disabled }, L('【扫码收款】', 'Pay')),
      h(
        'button',
        {
          type: 'button',
          'data-testid': 'open-camera',
          disabled: props.disabled,
          onClick: () => setCamera(!camera),
        },
        camera ? L('关闭相机', 'Close camera') : L('【相机扫码】', 'Camera'),
      ),
      h(
        'button',
        {
          type: 'button',
          'data-testid': 'pay-dynamic',
          disabled: props.disabled,
          onClick: () => props.onCode(undefined),
        },
        L('【出示收款码】', 'Show our code'),
      ),
    ),
    camera ? h(CameraScan, { onCode: send, onError: setError }) : null,
  );
}

/** 【现金】: the tendered amount, the change shown as it is typed; the station refuses less than is due. */
function CashPay(props: { amount: number; disabled: boolean; onCash: (tendered: number) => void }) {
  const [text, setText] = useState('');
  // Left empty, the customer gave the exact amount (the usual case: one tap).
  const tendered = text.trim() === '' ? props.amount : parseTendered(text);
  const change = tendered === null ? null : changeFor(props.amount, tendered);
  return h(
    'form',
    {
      'data-testid': 'cash-confirm',
      onSubmit: (e: Event) => {
        e.preventDefault();
        if (tendered !== null) props.onCash(tendered);
      },
    },
    h('p', { class: 'big' }, `${L('应收', 'Due')} ${yuan(props.amount)}`),
    h('label', { for: 'tendered' }, L('实收金额（元）', 'Tendered (yuan)')),
    h('input', {
      id: 'tendered',
      inputMode: 'decimal',
      autoComplete: 'off',
      value: text,
      placeholder: formatYuan(props.amount as Fen),
      disabled: props.disabled,
      'data-testid': 'tendered',
      onInput: (e: Event) => setText((e.currentTarget as HTMLInputElement).value),
    }),
    h(
      'p',
      { 'data-testid': 'change', role: 'status' },
      tendered === null
        ? L('金额格式不正确，请输入元，如 100 或 100.50', 'Not an amount')
        : change === null
          ? L(`实收不足，还差 ${yuan(props.amount - tendered)}`, `Short by ${yuan(props.amount - tendered)}`)
          : `${L('找零', 'Change')} ${yuan(change)}`,
    ),
    h(
      'button',
      {
        type: 'submit',
        class: 'primary',
        'data-testid': 'confirm-cash',
        disabled: props.disabled || tendered === null,
      },
      L('【确认收款】', 'Confirm cash'),
    ),
  );
}

/** What 【ETC卡支付】 shows and does (use-cpc-exit.ts holds the state). */
export interface EtcCardPayProps {
  read: PayCardRead | null;
  busy: boolean;
  onRead: () => void;
  onPay: () => void;
}

/**
 * 【ETC卡支付】: the driver hands over their own ETC card (payment only, payments.md §6); it is read on the
 * handheld's reader, its number and balance shown, and debited the fee (no ETC discount). A stored-value
 * balance below the fee is refused here (special 27), before anything is sent.
 */
function EtcCardPay(props: EtcCardPayProps & { amount: number; disabled: boolean }) {
  const r = props.read;
  const refusal = r ? payCardRefusal(r.summary, props.amount) : null;
  return h(
    'div',
    { 'data-testid': 'etc-card-pay' },
    h(
      'p',
      null,
      L(
        '请将车主的ETC卡（不含OBU）放在手持机读卡器上，然后【读ETC卡】',
        "Put the driver's ETC card on the reader, then read it",
      ),
    ),
    h(
      'button',
      {
        type: 'button',
        'data-testid': 'read-pay-card',
        disabled: props.disabled || props.busy,
        onClick: props.onRead,
      },
      L('【读ETC卡】', 'Read ETC card'),
    ),
    r
      ? h(
          'dl',
          { class: 'kv', 'data-testid': 'pay-card' },
          h('dt', null, L('卡号', 'Card')),
          h('dd', { 'data-testid': 'pay-card-no' }, r.summary.cardNo),
          h('dt', null, L('卡类型', 'Type')),
          h('dd', null, r.summary.cardTypeName),
          h('dt', null, L('余额', 'Balance')),
          h(
            'dd',
            { 'data-testid': 'pay-card-balance' },
            r.summary.balance === null ? L('记账卡（不读余额）', 'account card') : yuan(r.summary.balance),
          ),
        )
      : null,
    refusal
      ? h(
          'p',
          { class: 'alert', role: 'alert', 'data-testid': 'pay-card-refused' },
          `${refusal.message}，${refusal.action}`,
        )
      : null,
    r && !refusal
      ? h(
          'button',
          {
            type: 'button',
            class: 'primary',
            'data-testid': 'pay-card-debit',
            disabled: props.disabled || props.busy,
            onClick: props.onPay,
          },
          `${L('【ETC卡扣款】', 'Debit')} ${yuan(props.amount)}`,
        )
      : null,
  );
}

/**
 * The payment step after 【算费】 (payments.md §2, §6): 【扫码支付】, 【现金】 or 【ETC卡支付】; also after a QR
 * payment ended not paid (another code under the same pay ID, or cash).
 */
export function PayStep(props: {
  amount: number;
  disabled: boolean;
  onQr: (authCode: string | undefined) => void;
  onCash: (tendered: number) => void;
  /** 【ETC卡支付】 (absent: not offered here). */
  etcCard?: EtcCardPayProps;
}) {
  const [method, setMethod] = useState<PayMethod | null>(null);
  const tab = (m: PayMethod, label: string) =>
    h(
      'button',
      {
        type: 'button',
        class: method === m ? 'primary' : '',
        'aria-pressed': method === m,
        'data-testid': m === 'cash' ? 'collect-cash' : m === 'qr' ? 'pay-qr' : 'pay-etc-card',
        disabled: props.disabled,
        onClick: () => setMethod(m),
      },
      label,
    );
  return h(
    Panel,
    { title: `${L('收费', 'Payment')} ${yuan(props.amount)}`, testId: 'pay-step' },
    h(
      'div',
      { class: 'row' },
      tab('qr', '【扫码支付】'),
      tab('cash', '【现金】'),
      props.etcCard ? tab('etc-card', '【ETC卡支付】') : null,
    ),
    method === 'qr' ? h(QrPay, { disabled: props.disabled, onCode: props.onQr }) : null,
    method === 'cash'
      ? h(CashPay, { amount: props.amount, disabled: props.disabled, onCash: props.onCash })
      : null,
    method === 'etc-card' && props.etcCard
      ? h(EtcCardPay, { ...props.etcCard, amount: props.amount, disabled: props.disabled })
      : null,
  );
}

/**
 * After the driver's ETC card paid: the card goes back to the driver and the CPC onto the reader for
 * 写卡/关闭CPC (the record is committed with both); or, with the debit unclear, the card proves it.
 */
export function EtcCardAfterDebit(props: {
  paid: { cardNo: string; amount: number; postBalance: number } | null;
  pending: boolean;
  busy: boolean;
  onWrite: () => void;
  onRecover: () => void;
  /** A no-card exit (【无卡交易】): no CPC to write, only the commit. */
  noCpc?: boolean;
}) {
  if (props.paid)
    return h(
      'div',
      { class: 'notice', role: 'status', 'data-testid': 'pay-card-paid' },
      h(
        'p',
        { class: 'big' },
        L(
          `ETC卡扣款成功 ${yuan(props.paid.amount)}，卡内余额 ${yuan(props.paid.postBalance)}`,
          `Debited ${yuan(props.paid.amount)}`,
        ),
      ),
      h(
        'p',
        null,
        props.noCpc
          ? L('请将ETC卡交还车主，然后【提交数据】', 'Return the card, then commit')
          : L(
              '请将ETC卡交还车主，把CPC卡放回读卡器，然后【写CPC卡并提交】',
              'Return the card; put the CPC on the reader',
            ),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          'data-testid': 'pay-card-write',
          disabled: props.busy,
          onClick: props.onWrite,
        },
        props.noCpc ? L('【提交数据】', 'Commit') : L('【写CPC卡并提交】', 'Close the CPC and commit'),
      ),
    );
  if (props.pending)
    return h(
      'div',
      { class: 'alert', role: 'alert', 'data-testid': 'pay-card-pending' },
      h('p', null, L('ETC卡扣款结果未确认，请勿重复收费', 'The card debit is unclear: do not charge again')),
      h('p', null, L('请将车主的同一张ETC卡放回读卡器，然后【确认扣款结果】', 'Put the same card back')),
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          'data-testid': 'pay-card-recover',
          disabled: props.busy,
          onClick: props.onRecover,
        },
        L('【确认扣款结果】', 'Confirm the debit'),
      ),
    );
  return null;
}

/** 主扫: the station's code drawn as a QR for the driver to scan (the encoder is loaded only now). */
function DynamicCode(props: { url: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let alive = true;
    void import('./qr-image')
      .then(({ qrSvg }) => {
        const el = box.current;
        if (alive && el) el.replaceChildren(qrSvg(props.url, 240));
      })
      .catch(() => undefined); // the URL below is still there to read out
    return () => {
      alive = false;
    };
  }, [props.url]);
  return h(
    'div',
    { 'data-testid': 'pay-dynamic-code' },
    h('p', null, L('请顾客用手机扫描下方收款码', 'Driver: scan this code')),
    h('div', {
      ref: box,
      role: 'img',
      'aria-label': L('收款码', 'Payment code'),
      style: 'background:#fff;width:240px;height:240px',
    }),
    h('p', { class: 'code', 'data-testid': 'pay-code-url' }, props.url),
  );
}

/** The payment in flight or its outcome, in the station's plain Chinese (请顾客在手机上输入支付密码 …). */
export function PayProgress(props: { payment: PaymentStatus; busy: boolean; onStop: () => void }) {
  const s = props.payment;
  const v = paymentView(s);
  return h(
    'div',
    {
      class: v.tone === 'fail' ? 'alert' : 'notice',
      role: 'status',
      'aria-live': 'polite',
      'data-testid': 'pay-progress',
      'data-phase': s.phase,
    },
    h('div', { class: 'big' }, v.text),
    s.codeUrl && v.tone === 'wait' ? h(DynamicCode, { url: s.codeUrl }) : null,
    h('p', { class: 'code' }, `${L('支付号', 'Pay ID')} ${s.payId} · ${yuan(s.amount)}`),
    v.canStop
      ? h(
          'button',
          { type: 'button', 'data-testid': 'pay-stop', disabled: !props.busy, onClick: props.onStop },
          L('停止等待（先查询再撤销）', 'Stop waiting'),
        )
      : null,
  );
}
