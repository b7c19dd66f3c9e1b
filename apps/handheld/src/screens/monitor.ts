import { describeSpecial, type Fen, formatYuan } from '@tollpad/domain';
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ExitRecordSummary, Lane, LaneState, PendingAuthorisation } from '../api/types';
import { toUserFacing, type UserFacingError } from '../errors';
import { L } from '../i18n';
import { type AppServices, navigate } from '../services';
import { ErrorBox, Panel, Table, TopBar } from '../ui/common';
import { laneStateText } from '../ui/lane-state';
import { CpcStockPanel } from './cpc-stock';
import { ShiftHandoverPanel } from './handover';
import { SettlementPanel } from './settlement';

/** How often the monitor view refreshes. [P] */
const POLL_MS = 1500;

/** 监控: approve or refuse authorisations, lanes, recent records. */
export function MonitorScreen(props: { services: AppServices }) {
  const { client } = props.services;
  const [pending, setPending] = useState<PendingAuthorisation[]>([]);
  const [lanes, setLanes] = useState<Lane[]>([]);
  const [records, setRecords] = useState<ExitRecordSummary[]>([]);
  const [states, setStates] = useState<LaneState[]>([]);
  const [error, setError] = useState<UserFacingError | null>(null);
  const [reason, setReason] = useState('');

  const load = async () => {
    try {
      const [p, l, r, st] = await Promise.all([
        client.pendingAuthorisations(),
        client.lanes(),
        client.records(20).catch(() => [] as ExitRecordSummary[]),
        client.laneStates().catch(() => [] as LaneState[]),
      ]);
      setPending(p);
      setLanes(l);
      setRecords(r);
      setStates(st);
      setError(null);
    } catch (e) {
      setError(toUserFacing(e));
    }
  };

  useEffect(() => {
    void load();
    const t = setInterval(load, POLL_MS);
    return () => clearInterval(t);
  }, []);

  const decide = async (id: string, approve: boolean) => {
    try {
      await client.decide(id, approve, reason || (approve ? '班长同意' : '班长拒绝'));
      setReason('');
      await load();
    } catch (e) {
      setError(toUserFacing(e));
    }
  };

  return h(
    'div',
    null,
    h(TopBar, {
      title: L('监控', 'Monitor'),
      onBack: () => navigate({ name: 'home' }),
      right: h(
        'button',
        {
          type: 'button',
          'data-testid': 'open-config',
          onClick: () => navigate({ name: 'config', section: 'accounts' }),
        },
        '【系统配置】',
      ),
    }),
    h(
      'main',
      null,
      h(ErrorBox, { error }),
      h(
        Panel,
        { title: L('待授权', 'Authorisations'), testId: 'authorisations' },
        pending.length === 0
          ? h('p', null, L('没有待授权的交易', 'Nothing to authorise'))
          : h(
              'div',
              null,
              h('label', { for: 'auth-reason' }, L('意见', 'Reason')),
              h('input', {
                id: 'auth-reason',
                value: reason,
                onInput: (e: Event) => setReason((e.target as HTMLInputElement).value),
              }),
              pending.map((p) =>
                h(
                  'div',
                  { key: p.txnId, class: 'panel', 'data-testid': 'auth-item', 'data-txn': p.txnId },
                  h('p', null, `${p.laneId} · ${p.cardNo} · ${p.plate ?? ''}`),
                  h(
                    'p',
                    null,
                    `${L('金额', 'Amount')} ¥${p.amount === null ? '—' : formatYuan(p.amount as Fen)}`,
                  ),
                  h('p', null, p.reasons.join('；')),
                  p.specialTypes.length
                    ? h('p', null, p.specialTypes.map((c) => `${c} ${describeSpecial(c)}`).join('；'))
                    : null,
                  h(
                    'div',
                    { class: 'row' },
                    h(
                      'button',
                      {
                        type: 'button',
                        class: 'primary',
                        'data-testid': 'approve',
                        onClick: () => decide(p.txnId, true),
                      },
                      L('【批准】', '【批准】 Approve'),
                    ),
                    h(
                      'button',
                      {
                        type: 'button',
                        class: 'danger',
                        'data-testid': 'refuse',
                        onClick: () => decide(p.txnId, false),
                      },
                      L('【拒绝】', '【拒绝】 Refuse'),
                    ),
                  ),
                ),
              ),
            ),
      ),
      h(
        Panel,
        { title: L('车道', 'Lanes'), testId: 'monitor-lanes' },
        h(
          'ul',
          null,
          lanes.map((l) =>
            h(
              'li',
              { key: l.id },
              `${l.name} · ${l.handheldEnabled ? L('已启用', 'enabled') : L('未启用', 'disabled')} · ${laneStateText(
                states.find((x) => x.laneId === l.id),
              )}`,
            ),
          ),
        ),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          style: 'width:100%;margin:8px 0',
          'data-testid': 'open-refund',
          onClick: () => navigate({ name: 'refund' }),
        },
        L('【退款】扫码支付退款', '【退款】 Refund a QR payment'),
      ),
      h(CpcStockPanel, { client }),
      h(ShiftHandoverPanel, { services: props.services }),
      h(SettlementPanel, { services: props.services }),
      h(
        Panel,
        { title: L('最近流水', 'Recent records'), testId: 'records' },
        h(Table, {
          head: [L('交易编号', 'Trade ID'), L('车辆', 'Vehicle'), L('金额', 'Fee')],
          rows: records.map((r) => ({
            key: r.tradeId,
            cells: [
              { text: r.tradeId, style: 'word-break:break-all' },
              r.vehicleId,
              `¥${formatYuan(r.fee as Fen)}`,
            ],
          })),
          empty: L('暂无流水', 'No records'),
        }),
      ),
    ),
  );
}
