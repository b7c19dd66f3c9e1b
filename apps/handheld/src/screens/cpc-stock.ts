import type { CpcStock, Shift } from '@tollpad/station-api';
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { StationClient } from '../api/station-client';
import { L } from '../i18n';
import { Panel, Table } from '../ui/common';

/** How often the monitor's CPC stock is read again (one report per open shift). [P] */
const STOCK_POLL_MS = 10_000;

interface ShiftStock {
  shift: Shift;
  stock: CpcStock;
}

/** 监控's CPC卡库存: each open shift's CPCs collected, with a failed write and with a low battery. */
export function CpcStockPanel(props: { client: StationClient }) {
  const { client } = props;
  const [rows, setRows] = useState<ShiftStock[] | null>(null);

  useEffect(() => {
    let alive = true;
    const load = async () => {
      try {
        const open = (await client.shifts(50)).filter((s) => s.closedAt === null);
        const reports = await Promise.all(open.map((s) => client.shiftReport(s.id)));
        if (alive) setRows(reports.map((r) => ({ shift: r.shift, stock: r.cpcStock })));
      } catch {
        // The lanes and records above say when the station is unreachable.
      }
    };
    void load();
    const t = setInterval(load, STOCK_POLL_MS);
    return () => {
      alive = false;
      clearInterval(t);
    };
  }, [client]);

  const total = (rows ?? []).reduce(
    (a, r) => ({
      collected: a.collected + r.stock.collected,
      writeFailed: a.writeFailed + r.stock.writeFailed,
      lowBattery: a.lowBattery + r.stock.lowBattery,
    }),
    { collected: 0, writeFailed: 0, lowBattery: 0 },
  );

  return h(
    Panel,
    { title: L('CPC卡库存（本站在岗班次）', 'CPC stock (open shifts)'), testId: 'monitor-cpc-stock' },
    rows === null
      ? h('p', null, L('正在加载…', 'Loading…'))
      : h(Table, {
          head: [
            L('班次', 'Shift'),
            L('收回', 'Collected'),
            L('写卡失败', 'Write failed'),
            L('电量低', 'Low battery'),
          ],
          rows: [
            ...rows.map((r) => ({
              key: r.shift.id,
              cells: [
                `${r.shift.terminalId ?? L('无终端', 'no terminal')} · ${L('开班', 'opened')} ${new Date(r.shift.openedAt).toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })}`,
                String(r.stock.collected),
                String(r.stock.writeFailed),
                String(r.stock.lowBattery),
              ],
            })),
            {
              key: 'total',
              cells: [
                L('合计', 'Total'),
                String(total.collected),
                String(total.writeFailed),
                String(total.lowBattery),
              ],
            },
          ],
          empty: L('没有在岗班次', 'No open shift'),
        }),
  );
}
