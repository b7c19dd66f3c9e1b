import { type Fen, formatYuan } from '@tollpad/domain';
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Lane, LaneState, Shift, ShiftReport } from '../api/types';
import { toUserFacing, type UserFacingError } from '../errors';
import { L } from '../i18n';
import type { PendingDebit } from '../journal/idb-journal';
import { type AppServices, navigate } from '../services';
import { ErrorBox, Panel, TopBar } from '../ui/common';
import { laneStateText } from '../ui/lane-state';
import { CpcPendingBanner, useCpcPending } from './cpc-pending';
import { PaybackPendingBanner } from './payback-pending';

/** How often the lane states are refreshed on the home screen. [P] */
const LANE_POLL_MS = 3000;

/** ETC联动 home: the enabled exit lanes with their live state, the shift, 【ETC联动单卡交易】 and 【CPC卡交易】. */
export function HomeScreen(props: { services: AppServices; onLogout: () => void }) {
  const { services } = props;
  const { client } = services;
  const [lanes, setLanes] = useState<Lane[] | null>(null);
  const [states, setStates] = useState<LaneState[]>([]);
  const [shift, setShift] = useState<Shift | null | undefined>(undefined);
  const [report, setReport] = useState<ShiftReport | null>(null);
  const [chosen, setChosen] = useState<string | null>(() => sessionStorage.getItem('tollpad.lane'));
  const [pending, setPending] = useState<PendingDebit[]>([]);
  const [error, setError] = useState<UserFacingError | null>(null);
  const cpcPending = useCpcPending(client, services.cpcJournal);

  useEffect(() => {
    let alive = true;
    const load = async () => {
      try {
        const [ls, sh] = await Promise.all([client.lanes(), client.currentShift()]);
        if (!alive) return;
        setLanes(ls);
        setShift(sh);
        if (sh) setReport(await client.shiftReport(sh.id).catch(() => null));
        setError(null);
      } catch (e) {
        if (alive) setError(toUserFacing(e));
      }
      services.journal
        .list()
        .then((p) => alive && setPending(p))
        .catch(() => undefined);
    };
    void load();
    const poll = async () => {
      const s = await client.laneStates().catch(() => null);
      if (alive && s) setStates(s);
    };
    void poll();
    const t = setInterval(poll, LANE_POLL_MS);
    return () => {
      alive = false;
      clearInterval(t);
    };
  }, [client, services.journal]);

  const choose = (id: string) => {
    setChosen(id);
    sessionStorage.setItem('tollpad.lane', id);
  };
  const openShift = async () => {
    try {
      setShift(await client.openShift());
      setError(null);
    } catch (e) {
      setError(toUserFacing(e));
    }
  };

  const enabled = (lanes ?? []).filter((l) => l.handheldEnabled);
  const chosenLane = enabled.find((l) => l.id === chosen) ?? null;
  const role = services.session.account?.role;

  return h(
    'div',
    null,
    h(TopBar, {
      title: L('ETC联动', 'ETC linkage'),
      right: h('button', { type: 'button', onClick: props.onLogout }, L('退出', 'Log out')),
    }),
    h(
      'main',
      null,
      h(ErrorBox, { error }),
      pending.length > 0
        ? h(
            'div',
            { class: 'notice', role: 'alert', 'data-testid': 'pending-banner' },
            L(
              '有未完成的扣款，必须先确认结果（不会重复扣款）',
              'An unfinished debit must be recovered first (no double debit)',
            ),
            pending.map((p) =>
              h(
                'button',
                {
                  key: p.txnId,
                  type: 'button',
                  class: 'primary',
                  style: 'margin-top:8px',
                  onClick: () => navigate({ name: 'exit', laneId: p.laneId, txnId: p.txnId }),
                },
                `${L('继续处理', 'Resume')} · ${p.cardNo}`,
              ),
            ),
          )
        : null,
      h(CpcPendingBanner, { pending: cpcPending }),
      h(PaybackPendingBanner, { client }),
      h(
        Panel,
        { title: L('出口车道', 'Exit lanes'), testId: 'lanes' },
        lanes === null
          ? h('p', null, L('正在加载车道…', 'Loading lanes…'))
          : lanes.length === 0
            ? h('p', null, L('本站没有配置出口车道，请联系管理员', 'No exit lanes configured'))
            : h(
                'ul',
                { class: 'lanes' },
                lanes.map((l) => {
                  const st = states.find((s) => s.laneId === l.id);
                  return h(
                    'li',
                    { key: l.id },
                    h(
                      'button',
                      {
                        type: 'button',
                        class: 'lane',
                        'data-lane': l.id,
                        disabled: !l.handheldEnabled,
                        'aria-pressed': chosen === l.id && l.handheldEnabled ? 'true' : 'false',
                        onClick: () => l.handheldEnabled && choose(l.id),
                      },
                      `${l.name}`,
                      h(
                        'span',
                        { class: 'state' },
                        l.handheldEnabled
                          ? laneStateText(st)
                          : L('未启用手持联动，不能选择', 'Not enabled for handheld linkage'),
                      ),
                    ),
                  );
                }),
              ),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          'data-testid': 'start-exit',
          disabled: !chosenLane || !shift || pending.length > 0 || cpcPending.length > 0,
          onClick: () => chosenLane && navigate({ name: 'exit', laneId: chosenLane.id }),
        },
        '【ETC联动单卡交易】',
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          'data-testid': 'start-cpc-exit',
          style: 'margin-top:8px',
          disabled: !chosenLane || !shift || pending.length > 0 || cpcPending.length > 0,
          onClick: () => chosenLane && navigate({ name: 'cpc', laneId: chosenLane.id }),
        },
        '【CPC卡交易】',
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          'data-testid': 'start-none-exit',
          style: 'margin-top:8px',
          disabled: !chosenLane || !shift || pending.length > 0 || cpcPending.length > 0,
          onClick: () => chosenLane && navigate({ name: 'none', laneId: chosenLane.id }),
        },
        '【无卡交易】',
      ),
      !chosenLane && lanes && enabled.length > 0
        ? h('p', null, L('请先选择一个已启用的车道', 'Choose an enabled lane first'))
        : null,
      h(
        Panel,
        { title: L('班次', 'Shift'), testId: 'shift' },
        shift === undefined
          ? h('p', null, '…')
          : shift === null
            ? h(
                'div',
                null,
                h('p', null, L('尚未开班，开班后才能收费', 'No shift open; open one to collect')),
                h('button', { type: 'button', class: 'primary', onClick: openShift }, '【开班】'),
              )
            : h(
                'p',
                { 'data-testid': 'shift-summary' },
                `${L('已收', 'Vehicles')} ${report?.totals.vehicles ?? 0} ${L('辆', '')} · ${L('金额', 'Amount')} ¥${formatYuan((report?.totals.amount ?? 0) as Fen)} · ${L('收回CPC卡', 'CPCs')} ${report?.cpcStock.collected ?? 0}`,
              ),
        h(
          'div',
          { class: 'row' },
          h(
            'button',
            { type: 'button', onClick: () => navigate({ name: 'report' }) },
            L('班次报表', 'Shift report'),
          ),
          role === 'monitor' || role === 'admin'
            ? h(
                'button',
                { type: 'button', onClick: () => navigate({ name: 'monitor' }) },
                L('监控', 'Monitor'),
              )
            : null,
          role === 'monitor' || role === 'admin'
            ? h(
                'button',
                {
                  type: 'button',
                  'data-testid': 'open-config',
                  onClick: () => navigate({ name: 'config', section: 'lanes' }),
                },
                '【系统配置】',
              )
            : null,
          h(
            'button',
            { type: 'button', onClick: () => navigate({ name: 'readers' }) },
            L('读卡器', 'Readers'),
          ),
        ),
      ),
    ),
  );
}
