import { randomUUID } from 'node:crypto';
import { describeSpecial, EXIT_FEE_TYPES, type Fen, formatYuan, VEHICLE_KINDS } from '@tollpad/domain';
import type { ReportGroup, ShiftReport } from '@tollpad/station-api';
import type { ShiftRow } from '../db/schema';
import { StationError } from '../errors';
import type { Executor } from '../repositories/executor';
import type { ShiftsRepository } from '../repositories/shifts.repository';
import type { AuditService } from './audit.service';
import type { Principal } from './auth.service';
import { paybackTotals } from './payback-totals';
import { PAY_TYPE_NAMES } from './shift-handover.service';

/** 班次: open, close, and the shift report. */
export class ShiftService {
  constructor(
    private readonly repo: ShiftsRepository,
    private readonly audit: AuditService,
    private readonly db: Executor,
    private readonly now: () => Date,
    private readonly opts: { cpcWriteFailedSpecial: number },
  ) {}

  async open(p: Principal): Promise<ShiftRow> {
    const row: ShiftRow = {
      id: randomUUID(),
      account_id: p.accountId,
      terminal_id: p.terminalId,
      opened_at: this.now().toISOString(),
      closed_at: null,
    };
    await this.db.transaction().execute(async (t) => {
      if (await this.repo.findOpen(p.accountId, t)) throw new StationError('STN_ERR_SHIFT_ALREADY_OPEN');
      await this.repo.insert(row, t);
      await this.audit.record({ actor: p.accountId, action: 'shift.open', target: row.id }, t);
    });
    return row;
  }

  async close(id: string, p: Principal): Promise<ShiftRow> {
    const at = this.now().toISOString();
    // Inside `closing`: the exit path's remembered open shifts are dropped (see ShiftsRepository).
    await this.repo.closing(() =>
      this.db.transaction().execute(async (t) => {
        const s = await this.repo.find(id, t);
        if (!s) throw new StationError('STN_ERR_SHIFT_NOT_FOUND');
        if (p.role === 'collector' && s.account_id !== p.accountId)
          throw new StationError('STN_ERR_AUTH_FORBIDDEN');
        if (s.closed_at) throw new StationError('STN_ERR_SHIFT_NOT_OPEN');
        await this.repo.close(id, at, t);
        await this.audit.record({ actor: p.accountId, action: 'shift.close', target: id }, t);
      }),
    );
    return this.require(id);
  }

  async current(p: Principal): Promise<ShiftRow> {
    const s = await this.repo.findOpen(p.accountId);
    if (!s) throw new StationError('STN_ERR_SHIFT_NOT_OPEN');
    return s;
  }

  async require(id: string): Promise<ShiftRow> {
    const s = await this.repo.find(id);
    if (!s) throw new StationError('STN_ERR_SHIFT_NOT_FOUND');
    return s;
  }

  list(limit: number): Promise<ShiftRow[]> {
    return this.repo.list(limit);
  }

  async report(id: string, p: Principal): Promise<ShiftReport> {
    const s = await this.require(id);
    if (p.role === 'collector' && s.account_id !== p.accountId)
      throw new StationError('STN_ERR_AUTH_FORBIDDEN');
    const [totals, kinds, feeTypes, specialRows, cancelled, auths, cpcStock, noCardStock, paybacks] =
      await Promise.all([
        this.repo.totals(id),
        this.repo.groupBy(id, 'vehicle_kind'),
        this.repo.groupBy(id, 'exit_fee_type'),
        this.repo.recordsForSpecials(id),
        this.repo.cancelled(id),
        this.repo.authorisedCases(id),
        this.repo.cpcStock(id, this.opts.cpcWriteFailedSpecial),
        this.repo.noCardStock(id),
        this.repo.paybacksOf(id),
      ]);
    const specials = new Map<number, { vehicles: number; amount: number }>();
    for (const r of specialRows) {
      for (const c of r.special_types.split('|').filter(Boolean).map(Number)) {
        const g = specials.get(c) ?? { vehicles: 0, amount: 0 };
        g.vehicles++;
        g.amount += r.fee;
        specials.set(c, g);
      }
    }
    const kindName = (k: number) => VEHICLE_KINDS.find((x) => x.code === k)?.name ?? String(k);
    return {
      shift: {
        id: s.id,
        accountId: s.account_id,
        terminalId: s.terminal_id,
        openedAt: s.opened_at,
        closedAt: s.closed_at,
      },
      totals: { ...totals, cancelled: cancelled.length },
      cpcStock,
      noCardStock,
      paybacks: paybackTotals(paybacks, PAY_TYPE_NAMES),
      byKind: kinds.map((g) => ({
        code: g.key,
        name: kindName(g.key),
        vehicles: g.vehicles,
        amount: g.amount,
      })),
      byExitFeeType: feeTypes.map((g) => ({
        code: g.key,
        name: EXIT_FEE_TYPES.get(g.key) ?? String(g.key),
        vehicles: g.vehicles,
        amount: g.amount,
      })),
      bySpecial: [...specials.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([code, g]) => ({ code, name: describeSpecial(code), ...g })),
      cancelled: cancelled.map((c) => ({
        txnId: c.id,
        cardNo: c.card_no,
        reason: c.cancel_reason,
        at: c.updated_at,
      })),
      authorisations: auths.map((a) => ({
        txnId: a.id,
        status: a.auth_status,
        by: a.auth_by,
        reason: a.auth_reason,
        state: a.state,
      })),
    };
  }
}

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** A self-contained printable page (no scripts, print CSS) for the shift hand-over. */
export function renderShiftReportHtml(r: ShiftReport): string {
  const yuan = (f: number) => formatYuan(f as Fen);
  const table = (title: string, rows: ReportGroup[]) =>
    `<h2>${esc(title)}</h2><table><thead><tr><th>代码</th><th>名称</th><th>车辆数</th><th>金额（元）</th></tr></thead><tbody>${rows
      .map(
        (g) =>
          `<tr><td>${g.code}</td><td>${esc(g.name)}</td><td>${g.vehicles}</td><td>${yuan(g.amount)}</td></tr>`,
      )
      .join('')}</tbody></table>`;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>班次报表 ${esc(r.shift.id)}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1em}td,th{border:1px solid #444;padding:4px 8px;text-align:left}@media print{body{margin:0}}</style></head><body>
<h1>班次报表</h1>
<p>班次：${esc(r.shift.id)}<br>收费员：${esc(r.shift.accountId)}　终端：${esc(r.shift.terminalId ?? '-')}<br>开班：${esc(r.shift.openedAt)}　结班：${esc(r.shift.closedAt ?? '未结班')}</p>
<p>合计车辆：${r.totals.vehicles}　合计金额：${yuan(r.totals.amount)} 元　授权：${r.totals.authorised}　取消：${r.totals.cancelled}</p>
${table('按车种', r.byKind)}${table('按计费方式', r.byExitFeeType)}${table('按特情', r.bySpecial)}
<h2>CPC卡回收</h2><p>收回CPC卡：${r.cpcStock.collected} 张　其中写卡失败：${r.cpcStock.writeFailed} 张　电量过低：${r.cpcStock.lowBattery} 张</p>
<h2>无卡出口</h2><p>无卡出口：${r.noCardStock.exits} 辆　其中无卡：${r.noCardStock.noCard}　丢卡：${r.noCardStock.lost}　坏卡：${r.noCardStock.damaged}（坏卡收回单独存放）　卡成本：${(r.noCardStock.cardCost / 100).toFixed(2)} 元</p>
<h2>补缴（追缴欠费，不计入通行费）</h2><p>补缴：${r.paybacks.count} 笔　金额：${yuan(r.paybacks.amount ?? 0)} 元${r.paybacks.byPayType
    .map((g) => `　${esc(g.name)}：${g.count} 笔 ${yuan(g.amount)} 元`)
    .join('')}</p>
<h2>取消的交易</h2><table><thead><tr><th>交易</th><th>卡号</th><th>原因</th><th>时间</th></tr></thead><tbody>${r.cancelled
    .map(
      (c) =>
        `<tr><td>${esc(c.txnId)}</td><td>${esc(c.cardNo)}</td><td>${esc(c.reason ?? '')}</td><td>${esc(c.at)}</td></tr>`,
    )
    .join('')}</tbody></table>
<h2>授权</h2><table><thead><tr><th>交易</th><th>结果</th><th>班长</th><th>理由</th></tr></thead><tbody>${r.authorisations
    .map(
      (a) =>
        `<tr><td>${esc(a.txnId)}</td><td>${esc(a.status)}</td><td>${esc(a.by ?? '')}</td><td>${esc(a.reason ?? '')}</td></tr>`,
    )
    .join('')}</tbody></table>
</body></html>`;
}
