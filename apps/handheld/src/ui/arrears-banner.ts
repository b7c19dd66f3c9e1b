import { type ArrearsEntry, type Fen, formatYuan } from '@tollpad/domain';
import type { ArrearsLookup } from '@tollpad/station-api';
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ArrearsClient } from '../api/arrears-client';
import type { StationClient } from '../api/station-client';
import type { ExitTxn } from '../api/types';
import { L } from '../i18n';
import { navigate } from '../services';

/** What the banner needs of the station: GET /arrears. */
export type ArrearsLookupClient = Pick<StationClient, 'request'>;

const yuan = (fen: number) => `¥${formatYuan(fen as Fen)}`;

/** 118 追缴 (black) and 127 预追缴 (grey): the chase-list hit at 【读卡】 or at the confirmed plate. */
const CHASE = new Set([118, 127]);

/** The exit's checks hit the chase list (the station raised 118 or 127). */
export function chaseHit(txn: ExitTxn | null): boolean {
  return !!txn?.checks.some((c) => c.special !== null && c.special !== undefined && CHASE.has(c.special));
}

/** The entries owed, with why and how much (the banner and the payback screen). */
export function ArrearsEntries(props: { entries: readonly ArrearsEntry[] }) {
  return h(
    'ul',
    { 'data-testid': 'arrears-entries', style: 'margin:4px 0;padding-left:1.2em' },
    props.entries.map((e) =>
      h(
        'li',
        { key: e.id, 'data-testid': `arrears-entry-${e.id}` },
        `${e.confirmedEscapeTypeName}（${e.isPreBlack ? L('预追缴', 'grey') : L('追缴', 'black')}）${yuan(e.oweFee)} · ${e.reason} · ${L('入口', 'entry')} ${e.realEnStationId || '—'} → ${L('出口', 'exit')} ${e.realExStationId || '—'}`,
      ),
    ),
  );
}

/**
 * 追缴 at the exit (issue #22 item 4): when the station's checks name the plate on the chase list, the amounts
 * owed and why from GET /arrears (or the list's hit alone, with the station's note), and 【补缴】 opening the
 * payback screen for this plate and exit. Shown on every medium's exit (ui/exit-vehicle-steps.ts). The exit may
 * go on unless the province makes it wait (STN_ERR_ARREARS_PAYBACK_FIRST at the payment).
 */
export function ArrearsBanner(props: {
  client: ArrearsLookupClient;
  txn: ExitTxn | null;
  laneId: string;
  plate: string;
  colour: number;
}) {
  const { txn } = props;
  const hit = chaseHit(txn);
  // The confirmed plate once the photo was submitted, else the card's.
  const plate = txn?.plate ?? props.plate;
  const colour = txn?.plateColour ?? props.colour;
  const [owed, setOwed] = useState<ArrearsLookup | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!hit || plate.length < 2) return;
    let alive = true;
    setFailed(false);
    new ArrearsClient(props.client)
      .lookup(plate, colour)
      .then((o) => alive && setOwed(o))
      .catch(() => alive && setFailed(true));
    return () => {
      alive = false;
    };
  }, [hit, plate, colour]);
  if (!hit || !txn) return null;
  const open = owed?.source === 'centre' && owed.entries.length > 0;
  return h(
    'div',
    { class: 'alert', role: 'alert', 'data-testid': 'arrears-banner' },
    h(
      'p',
      { class: 'big' },
      L('追缴名单车辆：', 'On the arrears list: '),
      owed && owed.source === 'centre'
        ? h(
            'span',
            { 'data-testid': 'arrears-total' },
            `${owed.entries.length} ${L('笔欠费，合计', 'entries, total')} ${yuan(owed.total)}`,
          )
        : L('欠费金额查询中或未知', 'amount unknown'),
    ),
    owed && owed.entries.length > 0 ? h(ArrearsEntries, { entries: owed.entries }) : null,
    owed?.note ? h('p', { 'data-testid': 'arrears-note' }, owed.note) : null,
    failed ? h('p', null, L('欠费查询失败，请稍后重试或联系班长', 'Lookup failed')) : null,
    h(
      'p',
      null,
      L('请告知司机补缴欠费；补缴单独收费、单独开票，不计入本次通行费', 'Tell the driver; paid apart'),
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'primary',
        'data-testid': 'arrears-payback',
        disabled: !open,
        onClick: () => navigate({ name: 'arrears', laneId: props.laneId, plate, colour, exitTxnId: txn.id }),
      },
      L('【补缴】', 'Pay back'),
    ),
  );
}
