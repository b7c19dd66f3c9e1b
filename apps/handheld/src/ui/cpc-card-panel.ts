import { type Fen, formatYuan } from '@tollpad/domain';
import { h } from 'preact';
import type { CardCheck } from '../api/types';
import type { CpcSummary } from '../card/cpc-summary';
import { L } from '../i18n';
import { CardChecks, className, colourName } from './card-panel';
import { KV, Panel, Table } from './common';

function beijing(iso: string | null): string {
  if (!iso) return L('无入口时间', 'no entry time');
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}

const hex2 = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');

/**
 * The CPC's 读卡 result (cpc-card.md §2): its ID, the entry, the plate on the card, each province's fee
 * block and their sum, the path's gantries, the battery (low warned) and the radio; then the station's checks.
 */
export function CpcCardPanel(props: { summary: CpcSummary; checks: readonly CardCheck[] }) {
  const s = props.summary;
  const e = s.entry;
  return h(
    Panel,
    { title: L('CPC卡信息', 'CPC card'), testId: 'card-panel' },
    s.batteryLow
      ? h(
          'div',
          { class: 'alert', role: 'alert', 'data-testid': 'cpc-battery-low' },
          L(
            `CPC卡电量低（${s.batteryPercent}%），收回后单独存放，不再发放`,
            `CPC battery low (${s.batteryPercent}%): keep it apart, do not reissue`,
          ),
        )
      : null,
    h(KV, {
      rows: [
        [L('CPC卡号', 'CPC ID'), h('span', { 'data-testid': 'card-no' }, s.cpcId)],
        [L('入口站', 'Entry'), e ? e.station : L('无入口信息', 'no entry')],
        [L('入口时间', 'Entry time'), e ? beijing(e.time) : '—'],
        [L('入口车道', 'Entry lane'), e ? String(e.lane) : '—'],
        [L('卡内车牌', 'Card plate'), e ? `${e.plate || '—'} (${colourName(e.plateColour)})` : '—'],
        [L('卡内车型', 'Card class'), e ? className(e.vehicleClass) : '—'],
        [
          L('电量', 'Battery'),
          h(
            'span',
            { 'data-testid': 'cpc-battery', class: s.batteryLow ? 'field-error' : undefined },
            `${s.batteryPercent}%${s.batteryLow ? L('（电量低）', ' (low)') : ''}`,
          ),
        ],
        [L('5.8G天线', 'Radio'), s.radioOn ? L('开启', 'on') : L('关闭', 'off')],
        [
          L('卡内累计金额', 'Card amount'),
          h('span', { 'data-testid': 'cpc-fee-sum' }, `¥${formatYuan(s.feeSum as Fen)}`),
        ],
      ],
    }),
    h('h3', null, `${L('分省计费', 'Fee by province')}（${s.provinceCount}）`),
    h(Table, {
      head: [L('省份', 'Province'), L('门架数', 'Gantries'), L('里程(km)', 'km'), L('金额', 'Amount')],
      rows: s.blocks.map((b, i) => ({
        key: i,
        cells: [
          `${hex2(b.province)}${b.empty ? L('（空）', ' (empty)') : ''}${b.fitFailed ? L('（拟合失败）', ' (fit failed)') : ''}`,
          String(b.gantryCount),
          (b.mileageM / 1000).toFixed(1),
          `¥${formatYuan(b.fee as Fen)}`,
        ],
      })),
      empty: L('卡内无分省计费信息', 'No fee blocks on the card'),
    }),
    h('h3', null, `${L('通行门架', 'Path gantries')}（${s.gantries.length}）`),
    h(
      'p',
      { 'data-testid': 'cpc-gantries', style: 'word-break:break-all' },
      s.gantries.length > 0 ? s.gantries.join(' → ') : L('无', 'none'),
    ),
    h(CardChecks, { checks: props.checks }),
  );
}
