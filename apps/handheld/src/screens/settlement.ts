import { beijingDate, type Fen, formatYuan } from '@tollpad/domain';
import type { SettlementReport } from '@tollpad/station-api';
import { h } from 'preact';
import { useState } from 'preact/hooks';
import { HandoverClient } from '../api/handover-client';
import { toUserFacing, type UserFacingError } from '../errors';
import { L } from '../i18n';
import type { AppServices } from '../services';
import { ErrorBox, Panel, Table } from '../ui/common';

const yuan = (fen: number) => `¥${formatYuan(fen as Fen)}`;

/**
 * 对账 on the monitor page: the platform's settlement file of a Beijing day (yesterday by default: a day's file
 * comes the next morning) against the station's payments; every difference in plain Chinese, totals per channel.
 */
export function SettlementPanel(props: { services: AppServices }) {
  const [date, setDate] = useState(() => beijingDate(new Date(Date.now() - 86_400_000)));
  const [report, setReport] = useState<SettlementReport | null>(null);
  const [error, setError] = useState<UserFacingError | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async () => {
    setBusy(true);
    setReport(null);
    try {
      setReport(await new HandoverClient(props.services.client).settlement(date));
      setError(null);
    } catch (e) {
      setError(toUserFacing(e));
    } finally {
      setBusy(false);
    }
  };

  return h(
    Panel,
    { title: L('对账', 'Settlement'), testId: 'settlement' },
    h('label', { for: 'settlement-date' }, L('日期（北京时间）', 'Day (Beijing)')),
    h('input', {
      id: 'settlement-date',
      type: 'date',
      value: date,
      onInput: (e: Event) => setDate((e.target as HTMLInputElement).value),
    }),
    h(
      'button',
      { type: 'button', 'data-testid': 'run-settlement', disabled: busy || date === '', onClick: run },
      L('【对账】', 'Reconcile'),
    ),
    h(ErrorBox, { error, testId: 'settlement-error' }),
    report
      ? h(
          'div',
          { 'data-testid': 'settlement-result' },
          h(
            'p',
            null,
            L(
              `一致 ${report.matched} 笔，差异 ${report.differences.length} 笔（平台 ${report.platformLines} 行，本站 ${report.stationLines} 行）`,
              `${report.matched} matched, ${report.differences.length} differences`,
            ),
          ),
          h(Table, {
            head: [L('渠道', 'Channel'), L('本站收/退', 'Station'), L('平台收/退', 'Platform')],
            rows: report.byChannel.map((c) => ({
              key: c.channel,
              cells: [
                c.name,
                `${c.station.payCount} · ${yuan(c.station.payAmount)} / ${c.station.refundCount} · ${yuan(c.station.refundAmount)}`,
                `${c.platform.payCount} · ${yuan(c.platform.payAmount)} / ${c.platform.refundCount} · ${yuan(c.platform.refundAmount)}`,
              ],
            })),
            empty: L('当日无扫码交易', 'No QR payments'),
          }),
          report.differences.length
            ? h(
                'ul',
                { 'data-testid': 'settlement-differences' },
                report.differences.map((d) =>
                  h('li', { key: `${d.kind}:${d.key}`, 'data-kind': d.kind }, d.message),
                ),
              )
            : null,
        )
      : null,
  );
}
