import type { CpcStock } from '@tollpad/station-api';
import { h } from 'preact';
import { L } from '../i18n';
import { KV, Panel } from './common';

/** The shift's CPC stock: cards collected, of them with a failed write and with a low battery. */
export function CpcStockRows(stock: CpcStock) {
  return [
    [
      L('已收回CPC卡', 'CPCs collected'),
      h('span', { 'data-testid': 'cpc-collected' }, String(stock.collected)),
    ],
    [
      L('写卡失败', 'Write failed'),
      h('span', { 'data-testid': 'cpc-write-failed' }, String(stock.writeFailed)),
    ],
    [L('电量低', 'Low battery'), h('span', { 'data-testid': 'cpc-low-battery' }, String(stock.lowBattery))],
  ] as const;
}

/** The end of a CPC exit: 「收回CPC卡」 — the collector keeps the card; the shift's stock count. */
export function CollectCpc(props: { stock: CpcStock | null; onCollect: () => void }) {
  return h(
    Panel,
    { title: L('收回CPC卡', 'Collect the CPC'), testId: 'collect-cpc' },
    h('p', null, L('请收回CPC卡，放入本班CPC卡盒', 'Keep the CPC in the shift box')),
    props.stock ? h(KV, { rows: CpcStockRows(props.stock) }) : null,
    h(
      'button',
      { type: 'button', class: 'primary', 'data-testid': 'collect-cpc-done', onClick: props.onCollect },
      '「收回CPC卡」',
    ),
  );
}
