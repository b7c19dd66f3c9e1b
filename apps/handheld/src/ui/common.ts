import { type ComponentChildren, h } from 'preact';
import type { UserFacingError } from '../errors';
import { L } from '../i18n';

/** The error box every failure ends in: what happened, what to do next, the code. */
export function ErrorBox(props: { error: UserFacingError | null; testId?: string }) {
  const e = props.error;
  if (!e) return null;
  return h(
    'div',
    { class: 'alert', role: 'alert', 'data-testid': props.testId ?? 'error', 'data-code': e.code },
    h('div', { class: 'big', style: 'font-size:21px' }, e.message),
    h('div', null, `${L('请', 'Next')}：${e.action.replace(/^请/, '')}`),
    h('div', { class: 'code' }, `${L('代码', 'Code')}: ${e.code}`),
  );
}

export function Panel(props: {
  title: string;
  children?: ComponentChildren;
  testId?: string;
  class?: string;
}) {
  const id = `p-${props.testId ?? props.title}`;
  return h(
    'section',
    { class: `panel ${props.class ?? ''}`, 'aria-labelledby': id, 'data-testid': props.testId },
    h('h2', { id }, props.title),
    props.children,
  );
}

export function KV(props: { rows: readonly (readonly [string, ComponentChildren])[]; testId?: string }) {
  return h(
    'dl',
    { class: 'kv', 'data-testid': props.testId },
    props.rows.flatMap(([k, v]) => [h('dt', { key: `${k}-t` }, k), h('dd', { key: `${k}-d` }, v)]),
  );
}

/** A cell with its own inline style (e.g. a long ID that may break anywhere). */
export interface StyledCell {
  text: string;
  style: string;
}

/** A plain list table: a header row, then one row a record, or `empty` when there are none. */
export function Table(props: {
  head: readonly string[];
  rows: readonly { key: string | number; cells: readonly (string | StyledCell)[] }[];
  empty: string;
}) {
  if (props.rows.length === 0) return h('p', null, props.empty);
  return h(
    'table',
    null,
    h('thead', null, h('tr', null, ...props.head.map((t) => h('th', null, t)))),
    h(
      'tbody',
      null,
      props.rows.map((r) =>
        h(
          'tr',
          { key: r.key },
          ...r.cells.map((c) =>
            typeof c === 'string' ? h('td', null, c) : h('td', { style: c.style }, c.text),
          ),
        ),
      ),
    ),
  );
}

export function TopBar(props: { title: string; onBack?: () => void; right?: ComponentChildren }) {
  return h(
    'header',
    { class: 'top' },
    props.onBack
      ? h('button', { type: 'button', onClick: props.onBack, 'aria-label': L('返回', 'Back') }, '‹')
      : null,
    h('h1', null, props.title),
    props.right,
  );
}

export function Progress(props: { value: number; label: string }) {
  const pct = Math.round(Math.max(0, Math.min(1, props.value)) * 100);
  return h(
    'div',
    {
      class: 'progress',
      role: 'progressbar',
      'aria-valuemin': 0,
      'aria-valuemax': 100,
      'aria-valuenow': pct,
      'aria-label': props.label,
    },
    h('div', { style: `width:${pct}%` }),
  );
}
