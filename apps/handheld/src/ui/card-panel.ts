import {
  cardUserTypeName,
  describeSpecial,
  type Fen,
  formatYuan,
  PLATE_COLOURS,
  type PlateColour,
  VEHICLE_CLASSES,
} from '@tollpad/domain';
import { h } from 'preact';
import type { CardCheck, CardSummary } from '../api/types';
import { L } from '../i18n';
import { KV, Panel } from './common';

export function colourName(c: number | null | undefined): string {
  return c === null || c === undefined ? '—' : (PLATE_COLOURS.get(c as PlateColour) ?? `${c}`);
}

export function className(c: number | null | undefined): string {
  return VEHICLE_CLASSES.find((v) => v.code === c)?.name ?? (c === null || c === undefined ? '—' : `${c}`);
}

function beijing(iso: string | null): string {
  if (!iso) return L('无入口信息', 'no entry');
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}

/** The 读卡 result: card and OBU fields, then each check green or red with its code in words. */
export function CardPanel(props: { summary: CardSummary; checks: readonly CardCheck[] }) {
  const s = props.summary;
  return h(
    Panel,
    { title: L('卡片/OBU信息', 'Card / OBU'), testId: 'card-panel' },
    h(KV, {
      rows: [
        [L('卡号', 'Card no.'), h('span', { 'data-testid': 'card-no' }, s.cardNo)],
        [L('卡车牌', 'Card plate'), `${s.plate} (${colourName(s.plateColour)})`],
        [L('车型', 'Class'), className(s.vehicleClass)],
        [L('用户类型', 'User type'), cardUserTypeName(s.userType)],
        [L('卡类型', 'Card type'), s.cardTypeName],
        [
          L('余额', 'Balance'),
          h(
            'span',
            { 'data-testid': 'card-balance' },
            s.balance === null ? L('记账卡', 'account card') : `¥${formatYuan(s.balance as Fen)}`,
          ),
        ],
        [L('入口站', 'Entry'), s.entryStation ?? L('无入口信息', 'no entry')],
        [L('入口时间', 'Entry time'), beijing(s.entryTime)],
        [L('有效期', 'Valid to'), s.expiry],
      ],
    }),
    h(CardChecks, { checks: props.checks }),
  );
}

/** The station's checks of the card read, each green or red with its special in words and what to do. */
export function CardChecks(props: { checks: readonly CardCheck[] }) {
  return h(
    'ul',
    { class: 'checks', 'aria-label': L('校验结果', 'Checks'), 'data-testid': 'checks' },
    props.checks.map((c) =>
      h(
        'li',
        { key: c.name, class: c.ok ? 'ok' : 'bad', 'data-ok': c.ok ? 'true' : 'false' },
        h('strong', null, `${c.ok ? '✔' : '✘'} ${c.name}`),
        c.ok
          ? null
          : h(
              'div',
              null,
              c.special ? `${L('特情', 'Special')} ${c.special}：${describeSpecial(c.special)}` : null,
              c.message ? h('div', null, c.message) : null,
              c.action ? h('div', null, `${L('处理', 'Do')}：${c.action}`) : null,
            ),
      ),
    ),
  );
}

/** 【读卡】: reads the card in the field and opens a transaction with it. */
export function ReadCardButton(props: { reading: boolean; disabled: boolean; onRead: () => void }) {
  return h(
    'button',
    {
      type: 'button',
      class: 'primary',
      'data-testid': 'read-card',
      disabled: props.disabled,
      onClick: props.onRead,
    },
    props.reading ? L('正在读卡…', 'Reading…') : '【读卡】',
  );
}
