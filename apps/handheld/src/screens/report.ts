import { type Fen, formatYuan } from '@tollpad/domain';
import type { StoredRecord } from '@tollpad/station-api';
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { HandoverClient } from '../api/handover-client';
import type { ReportGroup, ShiftReport } from '../api/types';
import { toUserFacing, type UserFacingError } from '../errors';
import { L } from '../i18n';
import { type AppServices, navigate } from '../services';
import { ErrorBox, KV, Panel, Table, TopBar } from '../ui/common';
import { CpcStockRows } from '../ui/cpc-collect';
import { PaybackTotalsPanel } from '../ui/payback-totals';

function GroupTable(props: { title: string; rows: readonly ReportGroup[] }) {
  return h(
    Panel,
    { title: props.title },
    h(Table, {
      head: [L('类别', 'Group'), L('车辆', 'Vehicles'), L('金额', 'Amount')],
      rows: props.rows.map((g) => ({
        key: g.code,
        cells: [`${g.code} ${g.name}`, String(g.vehicles), `¥${formatYuan(g.amount as Fen)}`],
      })),
      empty: L('无', 'none'),
    }),
  );
}

/** 班次报表: this collector's open shift. */
export function ReportScreen(props: { services: AppServices }) {
  const { client } = props.services;
  const [report, setReport] = useState<ShiftReport | null>(null);
  const [records, setRecords] = useState<StoredRecord[]>([]);
  const [error, setError] = useState<UserFacingError | null>(null);
  const [none, setNone] = useState(false);

  useEffect(() => {
    (async () => {
      try {
        const shift = await client.currentShift();
        if (!shift) {
          setNone(true);
          return;
        }
        setReport(await client.shiftReport(shift.id));
        // The shift's own records (a collector may not search the station's): reprints come from them.
        setRecords(await new HandoverClient(client).shiftRecords(shift.id).catch(() => []));
      } catch (e) {
        setError(toUserFacing(e));
      }
    })();
  }, []);

  return h(
    'div',
    null,
    h(TopBar, { title: L('班次报表', 'Shift report'), onBack: () => navigate({ name: 'home' }) }),
    h(
      'main',
      null,
      h(ErrorBox, { error }),
      none ? h('p', null, L('当前没有班次', 'No open shift')) : null,
      report
        ? h(
            'div',
            { 'data-testid': 'report' },
            h(
              Panel,
              { title: L('合计', 'Totals') },
              h(KV, {
                rows: [
                  [
                    L('开班时间', 'Opened'),
                    new Date(report.shift.openedAt).toLocaleString('zh-CN', { hour12: false }),
                  ],
                  [
                    L('车辆数', 'Vehicles'),
                    h('span', { 'data-testid': 'report-vehicles' }, String(report.totals.vehicles)),
                  ],
                  [L('金额', 'Amount'), `¥${formatYuan(report.totals.amount as Fen)}`],
                  [L('授权', 'Authorised'), String(report.totals.authorised)],
                  [L('取消', 'Cancelled'), String(report.totals.cancelled)],
                ],
              }),
            ),
            h(
              Panel,
              { title: L('CPC卡库存', 'CPC stock'), testId: 'report-cpc-stock' },
              h(KV, { rows: CpcStockRows(report.cpcStock) }),
            ),
            h(PaybackTotalsPanel, { p: report.paybacks, testId: 'report-paybacks' }),
            h(GroupTable, { title: L('按车种', 'By kind'), rows: report.byKind }),
            h(GroupTable, { title: L('按计费方式', 'By fee type'), rows: report.byExitFeeType }),
            h(GroupTable, { title: L('按特情', 'By special'), rows: report.bySpecial }),
            h(
              Panel,
              { title: L('本班流水（重打回单）', 'Records (reprint)'), testId: 'shift-records' },
              records.length === 0
                ? h('p', null, L('暂无流水', 'No records'))
                : h(
                    'ul',
                    { style: 'list-style:none;padding:0' },
                    records.map((r) =>
                      h(
                        'li',
                        { key: r.tradeId },
                        h(
                          'button',
                          {
                            type: 'button',
                            style: 'width:100%;text-align:left;margin-top:4px',
                            'data-testid': `reprint-${r.tradeId}`,
                            onClick: () => navigate({ name: 'receipt', tradeId: r.tradeId, reprint: true }),
                          },
                          `${r.vehicleId} · ¥${formatYuan(r.fee as Fen)} · ${r.tradeId} · ${L('重打', 'Reprint')}`,
                        ),
                      ),
                    ),
                  ),
            ),
            h(
              'button',
              {
                type: 'button',
                onClick: async () => {
                  try {
                    const blob = await client.shiftReportHtml(report.shift.id);
                    window.open(URL.createObjectURL(blob), '_blank', 'noopener');
                  } catch (e) {
                    setError(toUserFacing(e));
                  }
                },
              },
              L('打印版', 'Printable'),
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'primary',
                'data-testid': 'open-handover',
                onClick: () => navigate({ name: 'handover' }),
              },
              L('【交班】', 'Hand over'),
            ),
          )
        : null,
    ),
  );
}
