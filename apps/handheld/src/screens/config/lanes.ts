import type { Lane, Plaza } from '@tollpad/station-api';
import { h } from 'preact';
import { useState } from 'preact/hooks';
import type { ConfigClient } from '../../api/config-client';
import type { StationClient } from '../../api/station-client';
import type { LaneState } from '../../api/types';
import { L } from '../../i18n';
import { ErrorBox, Panel } from '../../ui/common';
import { laneStateText } from '../../ui/lane-state';
import { beijingTime, useSection } from './change';

/** 车道: each plaza's lanes, 启用出口车道 for handheld linkage, the live link, who switched it and when. */
export function LanesSection(props: { config: ConfigClient; client: StationClient; canEdit: boolean }) {
  const { config, client, canEdit } = props;
  const [plazas, setPlazas] = useState<Plaza[]>([]);
  const [lanes, setLanes] = useState<Lane[] | null>(null);
  const [states, setStates] = useState<LaneState[]>([]);

  const { error, change } = useSection(async () => {
    // The live link states are shown when they come; without them a lane's link reads unknown.
    void client.laneStates().then(setStates, () => setStates([]));
    const [p, l] = await Promise.all([config.plazas(), config.lanes()]);
    setPlazas(p);
    setLanes(l);
  });

  const toggle = (l: Lane) => {
    const enable = !l.handheldEnabled;
    change.ask(
      enable
        ? L(`启用出口车道「${l.name}」用于手持联动？收费员随后可在主页选择它。`, `Enable ${l.name}?`)
        : L(
            `停用出口车道「${l.name}」的手持联动？该车道上未完成的交易仍可完成，但不能开始新交易。`,
            `Disable ${l.name}? Open transactions finish; no new ones.`,
          ),
      async () => {
        const r = await config.setLaneEnabled(l.id, enable);
        if (enable) return L(`已启用「${l.name}」`, `${l.name} enabled`);
        return r.openTxns.length > 0
          ? L(
              `已停用「${l.name}」；仍有 ${r.openTxns.length} 笔交易未完成（${r.openTxns.join('、')}），可在该车道完成，不能开始新交易`,
              `${l.name} disabled; ${r.openTxns.length} open transaction(s) may finish there`,
            )
          : L(`已停用「${l.name}」`, `${l.name} disabled`);
      },
    );
  };

  const groups = plazas.map((p) => ({ plaza: p, lanes: (lanes ?? []).filter((l) => l.plazaId === p.id) }));
  return h(
    Panel,
    { title: L('收费广场与出口车道', 'Plazas and exit lanes'), testId: 'config-lanes' },
    h(ErrorBox, { error }),
    change.view,
    lanes === null
      ? h('p', null, L('正在加载…', 'Loading…'))
      : groups.map((g) =>
          h(
            'div',
            { key: g.plaza.id },
            h('h3', null, `${g.plaza.name} · ${g.plaza.id}`),
            h(
              'ul',
              { class: 'config-list' },
              g.lanes.map((l) =>
                h(
                  'li',
                  { key: l.id, 'data-testid': `lane-row-${l.id}`, 'data-enabled': String(l.handheldEnabled) },
                  h('div', { class: 'big' }, l.name),
                  h('div', { class: 'muted' }, `${l.id} · HEX ${l.hex}`),
                  h(
                    'div',
                    null,
                    h(
                      'strong',
                      { class: l.handheldEnabled ? 'ok' : 'bad' },
                      l.handheldEnabled ? L('已启用手持联动', 'Enabled') : L('未启用', 'Disabled'),
                    ),
                    ` · ${laneStateText(states.find((s) => s.laneId === l.id))}`,
                  ),
                  h(
                    'div',
                    { class: 'muted' },
                    l.changedBy
                      ? `${L('最近由', 'Last switched by')} ${l.changedBy.name} ${L('于', 'at')} ${beijingTime(l.updatedAt)}`
                      : `${L('更新于', 'Updated')} ${beijingTime(l.updatedAt)}`,
                  ),
                  canEdit
                    ? h(
                        'button',
                        {
                          type: 'button',
                          class: l.handheldEnabled ? 'danger' : '',
                          'data-testid': `lane-toggle-${l.id}`,
                          onClick: () => toggle(l),
                        },
                        l.handheldEnabled ? '【停用出口车道】' : '【启用出口车道】',
                      )
                    : null,
                ),
              ),
            ),
          ),
        ),
  );
}
