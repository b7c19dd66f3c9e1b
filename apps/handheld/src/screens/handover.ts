import { type Fen, formatYuan } from '@tollpad/domain';
import type { HandoverReport, Shift } from '@tollpad/station-api';
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { HandoverClient } from '../api/handover-client';
import { toUserFacing, type UserFacingError } from '../errors';
import { parseTendered } from '../exit/cpc-payment';
import { L } from '../i18n';
import { type AppServices, navigate } from '../services';
import { ErrorBox, KV, Panel, Table, TopBar } from '../ui/common';
import { CpcStockRows } from '../ui/cpc-collect';
import { PaybackTotalsPanel } from '../ui/payback-totals';

const yuan = (fen: number) => `¥${formatYuan(fen as Fen)}`;
const signedYuan = (fen: number) => (fen > 0 ? `+${yuan(fen)}` : fen < 0 ? `-${yuan(-fen)}` : yuan(0));
const beijing = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' });

function settlementText(s: HandoverReport['qr']['settlement']): string {
  switch (s.state) {
    case 'matched':
      return L('与支付平台对账一致', 'Agrees with the platform');
    case 'differences':
      return L('与支付平台对账有差异，请班长核查', 'Differs from the platform');
    case 'none':
      return L('本班无扫码支付', 'No QR payments');
    case 'not-ready':
      return L(
        `支付平台对账单尚未生成${s.availableAt ? `（${beijing(s.availableAt)}后可对账）` : ''}`,
        'Platform file not published yet',
      );
    case 'unreachable':
      return L('支付平台暂时无法访问，稍后再看', 'Platform unreachable');
    case 'unconfigured':
      return L('本站未配置支付平台', 'No platform configured');
  }
}

/** The hand-over report as a printable page (window.print keeps only it, like the receipt). */
export function HandoverReportView(props: { report: HandoverReport }) {
  const r = props.report;
  const diffs = [...r.qr.settlement.missing, ...r.qr.settlement.extra, ...r.qr.settlement.other];
  return h(
    'section',
    { class: 'receipt handover', 'data-testid': 'handover-report', 'data-shift': r.shift.id },
    h('h2', null, L('交班报表', 'Hand-over report')),
    h(KV, {
      rows: [
        [L('班次', 'Shift'), r.shift.id],
        [L('收费员', 'Collector'), r.shift.accountId],
        [L('开班', 'Opened'), beijing(r.shift.openedAt)],
        [L('结班', 'Closed'), r.shift.closedAt ? beijing(r.shift.closedAt) : L('未结班', 'open')],
        [
          L('交班人', 'Handed over by'),
          r.handover ? `${r.handover.by} · ${beijing(r.handover.at)}` : L('未交班', 'not yet'),
        ],
      ],
    }),
    h(
      Panel,
      { title: L('现金', 'Cash'), testId: 'handover-cash' },
      h(KV, {
        rows: [
          [L('现金车辆', 'Cash vehicles'), String(r.cash.vehicles)],
          [L('现金补缴（计入应交）', 'Cash paybacks (in expected)'), String(r.cash.paybacks)],
          [
            L('应交现金', 'Expected'),
            h(
              'span',
              { 'data-testid': 'handover-expected' },
              r.cash.expected === null ? '—' : yuan(r.cash.expected),
            ),
          ],
          [
            L('实点现金', 'Counted'),
            h(
              'span',
              { 'data-testid': 'handover-counted' },
              r.cash.counted === null ? '—' : yuan(r.cash.counted),
            ),
          ],
          [
            L('长短款', 'Difference'),
            h(
              'span',
              { 'data-testid': 'handover-difference' },
              r.cash.difference === null ? '—' : signedYuan(r.cash.difference),
            ),
          ],
          [L('实收（含找零）', 'Tendered'), r.cash.tendered === null ? '—' : yuan(r.cash.tendered)],
          [L('找零', 'Change'), r.cash.change === null ? '—' : yuan(r.cash.change)],
        ],
      }),
    ),
    h(
      Panel,
      { title: L('按支付方式', 'By payment'), testId: 'handover-paytypes' },
      h(Table, {
        head: [L('支付方式', 'Payment'), L('车辆', 'Vehicles'), L('金额', 'Amount')],
        rows: r.byPayType.map((g) => ({
          key: g.payType,
          cells: [`${g.payType} ${g.name}`, String(g.vehicles), yuan(g.amount)],
        })),
        empty: L('无', 'none'),
      }),
      h('p', null, `${L('ETC卡支付', 'ETC card')}：${r.etcCard.vehicles} · ${yuan(r.etcCard.amount)}`),
    ),
    h(
      Panel,
      { title: L('扫码支付（按渠道）', 'QR by channel'), testId: 'handover-qr' },
      h(
        'table',
        null,
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', null, L('渠道', 'Channel')),
            h('th', null, L('本站', 'Station')),
            h('th', null, L('支付平台', 'Platform')),
          ),
        ),
        h(
          'tbody',
          null,
          r.qr.byChannel.map((c) =>
            h(
              'tr',
              { key: c.channel, 'data-testid': `handover-qr-${c.channel}` },
              h('td', null, c.name),
              h('td', null, `${c.station.count} 笔 · ${yuan(c.station.amount)}`),
              h('td', null, c.platform ? `${c.platform.count} 笔 · ${yuan(c.platform.amount)}` : '—'),
            ),
          ),
        ),
      ),
      h(
        'p',
        { 'data-testid': 'handover-settlement', 'data-state': r.qr.settlement.state },
        settlementText(r.qr.settlement),
      ),
      r.qr.settlement.state === 'matched' || r.qr.settlement.state === 'differences'
        ? h(
            'p',
            null,
            L(
              `一致 ${r.qr.settlement.matched} 笔；平台有本站无 ${r.qr.settlement.missing.length} 笔；本站有平台无 ${r.qr.settlement.extra.length} 笔；其他差异 ${r.qr.settlement.other.length} 笔`,
              `matched ${r.qr.settlement.matched}; missing ${r.qr.settlement.missing.length}; extra ${r.qr.settlement.extra.length}; other ${r.qr.settlement.other.length}`,
            ),
          )
        : null,
      diffs.length
        ? h(
            'ul',
            { 'data-testid': 'handover-differences' },
            diffs.map((d) => h('li', { key: d.key + d.kind }, d.message)),
          )
        : null,
    ),
    h(PaybackTotalsPanel, { p: r.paybacks, testId: 'handover-paybacks' }),
    h(
      Panel,
      { title: L('CPC卡', 'CPC stock'), testId: 'handover-cpc' },
      h(KV, { rows: CpcStockRows(r.cpcStock) }),
    ),
    h(
      Panel,
      { title: L('回单', 'Receipts'), testId: 'handover-receipts' },
      h(KV, {
        rows: [
          [
            L('打印', 'Printed'),
            h('span', { 'data-testid': 'handover-printed' }, String(r.receipts.printed)),
          ],
          [
            L('重打', 'Reprinted'),
            h('span', { 'data-testid': 'handover-reprinted' }, String(r.receipts.reprinted)),
          ],
        ],
      }),
    ),
    h(
      Panel,
      { title: L('未结事项', 'Open items'), testId: 'handover-open' },
      r.openItems.payments.length === 0 &&
        r.openItems.refundsPending.length === 0 &&
        r.openItems.capturedNotRecorded === 0
        ? h('p', null, L('无', 'none'))
        : h(
            'ul',
            null,
            r.openItems.capturedNotRecorded > 0
              ? h(
                  'li',
                  null,
                  L(`已收款未出流水 ${r.openItems.capturedNotRecorded} 笔`, 'Captured, no record'),
                )
              : null,
            r.openItems.refundsPending.map((f) =>
              h(
                'li',
                { key: f.refundNo },
                // A conflict is never asked again: only a person checking with the platform ends it.
                `${f.state === 'conflict' ? L('退款与平台答复不符，需人工核实', 'Refund conflict: check with the platform') : L('退款待确认', 'Refund pending')} ${f.refundNo} · ${yuan(f.amount)}`,
              ),
            ),
            r.openItems.payments.map((p) =>
              h('li', { key: p.outTradeNo }, `${p.outTradeNo} · ${p.phase} · ${yuan(p.amount)}`),
            ),
          ),
    ),
  );
}

/**
 * 交班: the collector counts the till and enters it before seeing what is expected (a blind count, so the
 * number is the till's, not the report's); the station closes the shift and answers the hand-over report,
 * printable with 【打印】. A monitor opens any shift's hand-over from the monitor page (and may enter the count).
 */
export function HandoverScreen(props: { services: AppServices; shiftId?: string }) {
  const { client } = props.services;
  const api = new HandoverClient(client);
  const [shift, setShift] = useState<Shift | null | undefined>(undefined);
  const [report, setReport] = useState<HandoverReport | null>(null);
  const [counted, setCounted] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UserFacingError | null>(null);

  useEffect(() => {
    (async () => {
      try {
        const id = props.shiftId ?? (await client.currentShift())?.id;
        if (!id) {
          setShift(null);
          return;
        }
        const r = await api.report(id);
        setShift(r.shift);
        setReport(r);
      } catch (e) {
        setError(toUserFacing(e));
      }
    })();
  }, [props.shiftId]);

  const fen = parseTendered(counted);
  const submit = async () => {
    if (!shift || fen === null) return;
    setBusy(true);
    try {
      setReport(await api.handover(shift.id, fen));
      setError(null);
    } catch (e) {
      setError(toUserFacing(e));
    } finally {
      setBusy(false);
    }
  };
  const monitor = props.services.session.account?.role !== 'collector';

  return h(
    'div',
    null,
    h(TopBar, {
      title: L('交班', 'Hand-over'),
      onBack: () => navigate(monitor ? { name: 'monitor' } : { name: 'report' }),
    }),
    h(
      'main',
      null,
      h(ErrorBox, { error }),
      shift === null ? h('p', null, L('当前没有班次', 'No open shift')) : null,
      report && report.handover === null
        ? h(
            Panel,
            { title: L('清点现金', 'Count the cash'), testId: 'handover-form', class: 'no-print' },
            h(
              'p',
              null,
              L(
                '请清点钱箱内现金后输入实点金额，确认后结班。',
                'Count the till, enter it, then close the shift.',
              ),
            ),
            h('label', { for: 'cash-counted' }, L('实点现金（元）', 'Cash counted (yuan)')),
            h('input', {
              id: 'cash-counted',
              inputMode: 'decimal',
              value: counted,
              'data-testid': 'cash-counted',
              onInput: (e: Event) => setCounted((e.target as HTMLInputElement).value),
            }),
            counted !== '' && fen === null
              ? h('p', { class: 'alert' }, L('请输入金额，如 125 或 125.50', 'Enter an amount'))
              : null,
            h(
              'button',
              {
                type: 'button',
                class: 'primary',
                'data-testid': 'handover-submit',
                disabled: busy || fen === null,
                onClick: submit,
              },
              L('【确认交班】', 'Hand over'),
            ),
          )
        : null,
      // A monitor sees the report of a shift not yet handed over too; the collector only after counting (the
      // station withholds the cash figures from them until then: `blind`).
      report && (report.handover !== null || monitor) && !report.blind
        ? h(
            'div',
            null,
            h(HandoverReportView, { report }),
            h(
              'button',
              {
                type: 'button',
                class: 'primary no-print',
                'data-testid': 'print-handover',
                onClick: () => window.print(),
              },
              L('【打印】', 'Print'),
            ),
          )
        : null,
    ),
  );
}

/** The monitor's list of recent shifts, each opening its hand-over. */
export function ShiftHandoverPanel(props: { services: AppServices }) {
  const [shifts, setShifts] = useState<Shift[]>([]);
  useEffect(() => {
    props.services.client
      .shifts(20)
      .then(setShifts)
      .catch(() => setShifts([]));
  }, []);
  return h(
    Panel,
    { title: L('交班报表', 'Hand-overs'), testId: 'monitor-handovers' },
    shifts.length === 0
      ? h('p', null, L('暂无班次', 'No shifts'))
      : h(
          'ul',
          { style: 'list-style:none;padding:0' },
          shifts.map((s) =>
            h(
              'li',
              { key: s.id },
              h(
                'button',
                {
                  type: 'button',
                  style: 'width:100%;text-align:left;margin-top:4px',
                  'data-testid': `handover-${s.id}`,
                  onClick: () => navigate({ name: 'handover', shiftId: s.id }),
                },
                `${s.accountId} · ${beijing(s.openedAt)} · ${s.closedAt ? L('已结班', 'closed') : L('当班', 'open')}`,
              ),
            ),
          ),
        ),
  );
}
