import {
  defaultKindForUserType,
  describeSpecial,
  EXIT_FEE_TYPES,
  type Fen,
  formatYuan,
  isPlateColour,
  VEHICLE_CLASSES,
  VEHICLE_KINDS,
  validatePlate,
} from '@tollpad/domain';
import { h } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CardSummary, DebitResult, ExitTxn, LaneState } from '../api/types';
import { type PurchaseStep, TornDebitError } from '../card/card-desk';
import { handheldError, toUserFacing, type UserFacingError } from '../errors';
import { settle } from '../exit/settle';
import { L } from '../i18n';
import type { PendingDebit } from '../journal/idb-journal';
import { type AppServices, navigate } from '../services';
import { CameraCapture } from '../ui/camera';
import { CardPanel } from '../ui/card-panel';
import { ErrorBox, KV, Panel, Progress, TopBar } from '../ui/common';
import { ColourChips, PlateInput } from '../ui/plate-input';

type Phase =
  | 'idle'
  | 'reading'
  | 'uploading'
  | 'pricing'
  | 'waiting-auth'
  | 'debiting'
  | 'torn'
  | 'recovering'
  | 'settling'
  | 'done';

/** What the collector has entered, kept across errors and reloads (sessionStorage, per lane). */
interface Draft {
  txnId: string | null;
  summary: CardSummary | null;
  plate: string;
  colour: number;
  photoSha: string | null;
  imageSubmitted: boolean;
  vehicleClass: number | null;
  vehicleKind: number | null;
}

const EMPTY: Draft = {
  txnId: null,
  summary: null,
  plate: '',
  colour: 0,
  photoSha: null,
  imageSubmitted: false,
  vehicleClass: null,
  vehicleKind: null,
};

function draftKey(laneId: string): string {
  return `tollpad.exit.${laneId}`;
}

function loadDraft(laneId: string, txnId: string | undefined): Draft {
  try {
    const raw = sessionStorage.getItem(draftKey(laneId));
    if (!raw) return { ...EMPTY, txnId: txnId ?? null };
    const d = { ...EMPTY, ...(JSON.parse(raw) as Partial<Draft>) };
    // A draft of another transaction is stale when a specific one is asked for.
    if (txnId && d.txnId !== txnId) return { ...EMPTY, txnId };
    return d;
  } catch {
    return { ...EMPTY, txnId: txnId ?? null };
  }
}

const STEP_PROGRESS: Record<PurchaseStep, number> = {
  connect: 0.2,
  debit: 0.6,
  'waiting-for-card': 0.6,
  recovering: 0.8,
  done: 1,
};

/** ETC联动单卡交易: one screen that fills in as the collector goes. */
export function ExitScreen(props: { services: AppServices; laneId: string; txnId?: string }) {
  const { services, laneId } = props;
  const { client, hub, desk, journal } = services;
  const [draft, setDraftState] = useState<Draft>(() => loadDraft(laneId, props.txnId));
  const [txn, setTxn] = useState<ExitTxn | null>(null);
  const [phase, setPhase] = useState<Phase>('idle');
  const [photo, setPhoto] = useState<Blob | null>(null);
  const [upload, setUpload] = useState(0);
  const [step, setStep] = useState<PurchaseStep | null>(null);
  const [plateError, setPlateError] = useState<string | null>(null);
  const [error, setError] = useState<UserFacingError | null>(null);
  const [result, setResult] = useState<DebitResult | null>(null);
  const [laneState, setLaneState] = useState<LaneState | null>(null);
  const alive = useRef(true);
  const abort = useRef<AbortController | null>(null);

  const setDraft = (patch: Partial<Draft>) =>
    setDraftState((d) => {
      const next = { ...d, ...patch };
      try {
        sessionStorage.setItem(draftKey(laneId), JSON.stringify(next));
      } catch {
        // Storage full: the draft lives in memory only.
      }
      return next;
    });

  // --- recovery ---------------------------------------------------------------------------------
  const finish = async (p: PendingDebit) => {
    setPhase('settling');
    const settled = await settle(client, journal, p);
    if (!alive.current) return;
    if (settled.txn) setTxn(settled.txn);
    else setTxn((t) => (t ? { ...t, state: 'committed', tradeId: settled.tradeId } : t));
    if (p.outcome?.debited) {
      const r = p.outcome.result;
      setResult({
        tac: r.tac,
        amount: r.amount,
        balanceAfter: r.balanceAfter,
        tradeId: settled.tradeId,
        recovered: r.recovered,
      });
      setError(null);
      setPhase('done');
    } else {
      // Proved not debited: the collector may 【提交数据】 again.
      setPhase('idle');
      setError({
        code: 'HH_ERR_DEBIT_FAILED',
        message: L('卡片未扣款', 'The card was not debited'),
        action: L(
          '请将手持机放置ETC卡签旁，重新【提交数据】',
          'Hold the handheld by the card and press 【提交数据】 again',
        ),
      });
    }
  };

  const recover = async (p: PendingDebit) => {
    try {
      if (p.phase === 'resolved' && p.outcome) {
        await finish(p);
        return;
      }
      setPhase('torn');
      abort.current?.abort();
      abort.current = new AbortController();
      await hub.waitForCard(abort.current.signal);
      if (!alive.current) return;
      setPhase('recovering');
      const after = await desk.recover(p, (s) => alive.current && setStep(s));
      await finish(after);
    } catch (e) {
      if (!alive.current || (e instanceof DOMException && e.name === 'AbortError')) return;
      setError(toUserFacing(e));
      setPhase('torn');
    }
  };

  const retryRecovery = async () => {
    const txnId = txn?.id ?? draft.txnId;
    const p = txnId ? await journal.get(txnId) : undefined;
    if (p) void recover(p);
  };

  useEffect(() => {
    alive.current = true;
    const txnId = props.txnId ?? draft.txnId;
    if (txnId) {
      client
        .getExit(txnId)
        .then((t) => {
          if (!alive.current) return;
          setTxn(t);
          // Reopened while the monitor was deciding: keep waiting (a new 【算费】 would ask again).
          if (t.state === 'priced' && t.auth.status === 'required') void waitAuth(t).catch(() => undefined);
        })
        .catch((e) => alive.current && setError(toUserFacing(e)));
      journal
        .get(txnId)
        .then((p) => {
          if (p && alive.current) void recover(p);
        })
        .catch(() => undefined);
    }
    client
      .laneStates()
      .then((all) => {
        const st = all.find((s) => s.laneId === laneId) ?? null;
        if (alive.current) setLaneState(st);
      })
      .catch(() => undefined);
    return () => {
      alive.current = false;
      abort.current?.abort();
    };
  }, []);

  // --- 【读卡】 -----------------------------------------------------------------------------------
  const readCard = async () => {
    setError(null);
    setPhase('reading');
    try {
      const read = await desk.read();
      const t = await client.createExit(laneId, read.payload);
      if (!alive.current) return;
      setTxn(t);
      const s = read.summary;
      const vehicle = hub.status().vehicle;
      // Prefill the actual plate: the lane's capture first, else (training) the training vehicle's plate.
      const prefill =
        laneState?.capturedPlate ??
        (hub.status().choice === 'simulated' ? vehicle?.actualPlate : undefined) ??
        '';
      const prefillColour =
        laneState?.capturedPlateColour ??
        (hub.status().choice === 'simulated' ? vehicle?.actualColour : undefined) ??
        s.plateColour;
      setDraft({
        ...EMPTY,
        txnId: t.id,
        summary: s,
        plate: prefill,
        colour: isPlateColour(prefillColour) ? prefillColour : 0,
        vehicleClass: s.vehicleClass,
        vehicleKind: defaultKindForUserType(s.userType),
      });
      setPhoto(null);
      setResult(null);
      history.replaceState(null, '', `#/exit/${encodeURIComponent(laneId)}/${encodeURIComponent(t.id)}`);
      setPhase('idle');
    } catch (e) {
      if (!alive.current) return;
      setError(toUserFacing(e));
      setPhase('idle');
    }
  };

  // --- 【提交图片数据】 ----------------------------------------------------------------------------
  const submitImage = async () => {
    if (!txn) return;
    setError(null);
    const v = validatePlate(draft.plate, draft.colour as Parameters<typeof validatePlate>[1]);
    if (!v.ok) {
      setPlateError(v.error.reason || v.error.message);
      setError(toUserFacing(handheldError('HH_ERR_PLATE', { field: 'plate' })));
      return;
    }
    setPlateError(null);
    if (!photo && !draft.photoSha) {
      setError(toUserFacing(handheldError('HH_ERR_PHOTO', { field: 'photo' })));
      return;
    }
    setPhase('uploading');
    setUpload(0);
    try {
      let sha = draft.photoSha;
      if (photo) {
        sha = (await client.uploadImage(photo, (f) => alive.current && setUpload(f))).sha256;
        setDraft({ photoSha: sha });
      }
      const t = await client.submitImage(txn.id, {
        plate: v.value.plate,
        plateColour: v.value.colour,
        photoSha256: sha!,
      });
      if (!alive.current) return;
      setTxn(t);
      setDraft({ plate: v.value.plate, imageSubmitted: true });
      setPhase('idle');
    } catch (e) {
      if (!alive.current) return;
      const u = toUserFacing(e);
      if (u.field === 'plate' || u.code === 'STN_ERR_EXIT_PLATE_INVALID') setPlateError(u.message);
      setError(u);
      setPhase('idle');
    }
  };

  // --- 【算费】 -----------------------------------------------------------------------------------
  const waitAuth = async (t0: ExitTxn) => {
    let t = t0;
    setPhase('waiting-auth');
    while (alive.current && t.state === 'priced' && t.auth.status === 'required') {
      try {
        t = await client.waitAuthorisation(t.id);
      } catch (e) {
        const u = toUserFacing(e);
        if (u.code !== 'HH_ERR_TIMEOUT' && u.code !== 'HH_ERR_NETWORK') throw e;
        // Patchy Wi-Fi: keep waiting, say so.
        setError(u);
        await new Promise((r) => setTimeout(r, 1000));
      }
      if (alive.current) setTxn(t);
    }
    if (!alive.current) return;
    setError(null);
    if (t.auth.status === 'refused') {
      setError({
        code: 'STN_ERR_EXIT_AUTH_REFUSED',
        message: `${L('班长未授权', 'Monitor refused')}${t.auth.reason ? `：${t.auth.reason}` : ''}`,
        action: L(
          '请按班长意见处理（改用其他方式收费），或返回主页',
          'Follow the monitor; use another payment or go home',
        ),
      });
    }
    setPhase('idle');
  };

  const computeFee = async () => {
    if (!txn || draft.vehicleClass === null || draft.vehicleKind === null) return;
    setError(null);
    setPhase('pricing');
    try {
      const t = await client.computeFee(txn.id, {
        vehicleClass: draft.vehicleClass,
        vehicleKind: draft.vehicleKind,
      });
      if (!alive.current) return;
      setTxn(t);
      if (t.auth.status === 'required') await waitAuth(t);
      else setPhase('idle');
    } catch (e) {
      if (!alive.current) return;
      setError(toUserFacing(e));
      setPhase('idle');
    }
  };

  // --- 【提交数据】 -------------------------------------------------------------------------------
  const submitData = async () => {
    if (!txn?.fee || !draft.summary || draft.vehicleClass === null) return;
    setError(null);
    setPhase('debiting');
    setStep('connect');
    try {
      const p = await desk.purchase(
        {
          txnId: txn.id,
          laneId,
          cardNo: draft.summary.cardNo,
          amount: txn.fee.amount,
          vehicleClass: draft.vehicleClass,
          plate: draft.plate,
          plateColour: draft.colour,
        },
        {
          announce: async (intent) => {
            const r = await client.debitIntent(txn.id, intent);
            if (alive.current) setTxn(r.txn);
            return r.tradeId;
          },
          onStep: (s) => {
            if (!alive.current) return;
            setStep(s);
            if (s === 'waiting-for-card') setPhase('torn');
            else if (s === 'recovering') setPhase('recovering');
          },
        },
      );
      await finish(p);
    } catch (e) {
      if (!alive.current) return;
      if (e instanceof TornDebitError) {
        setError(toUserFacing(handheldError('HH_ERR_TORN')));
        await recover(e.pending);
        return;
      }
      setError(toUserFacing(e));
      const pending = await journal.get(txn.id).catch(() => undefined);
      // The card's outcome is known but the station was not told (network): keep it, retry on demand.
      setPhase(pending ? 'torn' : 'idle');
    }
  };

  const cancel = async () => {
    if (txn && ['read', 'imaged', 'priced'].includes(txn.state)) {
      await client.cancel(txn.id, L('收费员取消', 'cancelled by collector')).catch(() => undefined);
    }
    goHome();
  };

  const goHome = () => {
    sessionStorage.removeItem(draftKey(laneId));
    navigate({ name: 'home' });
  };

  // --- view -------------------------------------------------------------------------------------
  const busy = phase !== 'idle' && phase !== 'done';
  const fee = txn?.fee ?? null;
  const authOk = txn?.auth.status !== 'required' && txn?.auth.status !== 'refused';
  const canPrice = !!txn && draft.imageSubmitted && phase === 'idle' && !result;
  const canSubmit = !!fee && fee.etcPayable && authOk && phase === 'idle' && !result;

  return h(
    'div',
    null,
    h(TopBar, { title: 'ETC联动单卡交易', onBack: busy ? undefined : cancel }),
    h(
      'main',
      null,
      h('p', { style: 'margin:4px 0' }, `${L('车道', 'Lane')}: ${laneId}`),
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          'data-testid': 'read-card',
          disabled: busy || !!result,
          onClick: readCard,
        },
        phase === 'reading' ? L('正在读卡…', 'Reading…') : '【读卡】',
      ),
      h(ErrorBox, { error }),
      draft.summary && txn ? h(CardPanel, { summary: draft.summary, checks: txn.checks }) : null,
      txn
        ? h(
            Panel,
            { title: L('图像识别', 'Image'), testId: 'image-area' },
            h(PlateInput, {
              value: draft.plate,
              onChange: (v) => {
                setPlateError(null);
                setDraft({ plate: v, imageSubmitted: false });
              },
              error: plateError,
              disabled: busy || !!result,
            }),
            h(ColourChips, {
              value: draft.colour,
              onChange: (c) => setDraft({ colour: c, imageSubmitted: false }),
              disabled: busy || !!result,
            }),
            h('div', { style: 'margin-top:8px' }),
            h(CameraCapture, {
              photo,
              onPhoto: (b) => {
                setPhoto(b);
                setDraft({ photoSha: null, imageSubmitted: false });
              },
              training: hub.status().choice === 'simulated',
              plate: draft.plate,
              disabled: busy || !!result,
            }),
            phase === 'uploading'
              ? h(Progress, { value: upload, label: L('上传进度', 'Upload progress') })
              : null,
            h(
              'button',
              {
                type: 'button',
                class: 'primary',
                style: 'margin-top:8px',
                'data-testid': 'submit-image',
                disabled: busy || !!result,
                onClick: submitImage,
              },
              phase === 'uploading' ? L('正在上传…', 'Uploading…') : '【提交图片数据】',
            ),
            draft.imageSubmitted
              ? h('p', { class: 'success', role: 'status' }, L('图片数据已提交', 'Image data submitted'))
              : null,
          )
        : null,
      txn
        ? h(
            Panel,
            { title: L('出口信息', 'Exit information'), testId: 'exit-info' },
            h('label', { for: 'vclass' }, L('车型', 'Vehicle class')),
            h(
              'select',
              {
                id: 'vclass',
                value: String(draft.vehicleClass ?? ''),
                disabled: busy || !!result,
                onChange: (e: Event) =>
                  setDraft({ vehicleClass: Number((e.target as HTMLSelectElement).value) }),
              },
              VEHICLE_CLASSES.map((c) =>
                h('option', { key: c.code, value: String(c.code) }, `${c.code} ${c.name}`),
              ),
            ),
            h('label', { for: 'vkind' }, L('车种', 'Vehicle kind')),
            h(
              'select',
              {
                id: 'vkind',
                value: String(draft.vehicleKind ?? ''),
                disabled: busy || !!result,
                onChange: (e: Event) =>
                  setDraft({ vehicleKind: Number((e.target as HTMLSelectElement).value) }),
              },
              VEHICLE_KINDS.map((k) =>
                h('option', { key: k.code, value: String(k.code) }, `${k.code} ${k.name}`),
              ),
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'primary',
                style: 'margin-top:8px',
                'data-testid': 'compute-fee',
                disabled: !canPrice,
                onClick: computeFee,
              },
              phase === 'pricing' ? L('正在算费…', 'Computing…') : '【算费】',
            ),
            !draft.imageSubmitted && !result
              ? h('p', null, L('请先【提交图片数据】', 'Submit the image data first'))
              : null,
          )
        : null,
      fee
        ? h(
            Panel,
            { title: L('收费信息', 'Fee'), testId: 'fee-info' },
            h(KV, {
              rows: [
                [
                  L('应收金额', 'Amount'),
                  h(
                    'span',
                    { class: 'big', 'data-testid': 'fee-amount' },
                    `¥${formatYuan(fee.amount as Fen)}`,
                  ),
                ],
                [L('应付金额', 'Pay fee'), `¥${formatYuan(fee.payFee as Fen)}`],
                [L('优惠', 'Discount'), `¥${formatYuan(fee.discount as Fen)}`],
                [L('计费方式', 'Method'), EXIT_FEE_TYPES.get(fee.exitFeeType) ?? String(fee.exitFeeType)],
                [
                  L('扣费后余额', 'Balance after'),
                  draft.summary?.balance === null || draft.summary?.balance === undefined
                    ? L('记账卡', 'account card')
                    : `¥${formatYuan((draft.summary.balance - fee.amount) as Fen)}`,
                ],
                [
                  L('特情', 'Special'),
                  fee.specialTypes.length === 0
                    ? L('无', 'none')
                    : fee.specialTypes.map((c) => `${c} ${describeSpecial(c)}`).join('；'),
                ],
              ],
            }),
            !fee.etcPayable
              ? h(ErrorBox, {
                  testId: 'not-payable',
                  error: {
                    code: 'STN_ERR_EXIT_NOT_ETC_PAYABLE',
                    message: fee.notPayableReason ?? L('该卡不能进行ETC扣费', 'This card cannot pay by ETC'),
                    action: L(
                      '请车主以其他方式缴费（现金/移动支付），然后返回ETC联动主页',
                      'Take another payment, then go home',
                    ),
                  },
                })
              : null,
            phase === 'waiting-auth'
              ? h(
                  'div',
                  { class: 'notice', role: 'status', 'aria-live': 'polite', 'data-testid': 'waiting-auth' },
                  L('等待班长授权…授权后自动继续', 'Waiting for the monitor… continues by itself'),
                )
              : null,
            txn?.auth.status === 'approved'
              ? h(
                  'p',
                  { class: 'success', role: 'status', 'data-testid': 'auth-approved' },
                  `${L('班长已授权', 'Approved by monitor')}${txn.auth.by ? `（${txn.auth.by}）` : ''}`,
                )
              : null,
            h(
              'button',
              {
                type: 'button',
                class: 'primary',
                'data-testid': 'submit-data',
                disabled: !canSubmit,
                onClick: submitData,
              },
              '【提交数据】',
            ),
          )
        : null,
      phase === 'debiting' || phase === 'recovering' || phase === 'settling'
        ? h(
            'div',
            { class: 'notice', role: 'status', 'aria-live': 'assertive', 'data-testid': 'debiting' },
            h('div', { class: 'big' }, '请将手持机放置ETC卡签旁'),
            h(Progress, { value: step ? STEP_PROGRESS[step] : 0.05, label: L('交易进度', 'Progress') }),
            phase === 'recovering' ? h('p', null, L('正在确认扣款结果…', 'Confirming the debit…')) : null,
          )
        : null,
      phase === 'torn'
        ? h(
            'div',
            { class: 'alert', role: 'alert', 'data-testid': 'put-back' },
            h('div', { class: 'big' }, '请放回原卡'),
            h('p', null, `${L('卡号', 'Card')}: ${draft.summary?.cardNo ?? ''}`),
            h(
              'p',
              null,
              L(
                '放回后将自动确认扣款结果，不会重复扣款',
                'Once back, the outcome is confirmed; never debited twice',
              ),
            ),
            h('button', { type: 'button', onClick: retryRecovery }, L('重试确认', 'Retry')),
          )
        : null,
      result
        ? h(
            Panel,
            { title: L('交易成功', 'Done'), testId: 'result' },
            h(
              'div',
              { class: 'success', role: 'status' },
              h(KV, {
                rows: [
                  [
                    L('扣款金额', 'Debited'),
                    h('span', { 'data-testid': 'result-amount' }, `¥${formatYuan(result.amount as Fen)}`),
                  ],
                  [
                    L('卡内余额', 'Balance'),
                    h(
                      'span',
                      { 'data-testid': 'result-balance' },
                      `¥${formatYuan(result.balanceAfter as Fen)}`,
                    ),
                  ],
                  ['TAC', h('span', { 'data-testid': 'result-tac' }, result.tac)],
                  ...(result.tradeId
                    ? [
                        [
                          L('交易编号', 'Trade ID'),
                          h('span', { 'data-testid': 'trade-id' }, result.tradeId),
                        ] as const,
                      ]
                    : []),
                  ...(result.recovered
                    ? [[L('说明', 'Note'), L('经恢复确认，只扣款一次', 'Recovered; one debit')] as const]
                    : []),
                ],
              }),
            ),
          )
        : null,
      h(
        'button',
        {
          type: 'button',
          style: 'width:100%;margin-top:12px',
          'data-testid': 'back-home',
          disabled: busy,
          onClick: result ? goHome : cancel,
        },
        '【返回ETC联动】',
      ),
    ),
  );
}
