import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BreakdownRow, breakdownRows } from './breakdown';
import { FAULT_KINDS, FAULT_LABELS, type FaultKind } from './fault-log';
import { formatShares, MEDIA, PAY_CHANNELS } from './mix';
import { latencyBucketS, paymentLatency, paymentLatencySeries } from './payment-latency';
import type { RunSummary } from './run';
import type { Sample } from './sampler';
import { type Band, barChart, escapeXml, lineChart } from './svg-chart';

const BAND_COLOURS: Partial<Record<FaultKind, string>> = {
  'centre-outage': '#d62728',
  'slow-link': '#ff7f0e',
  'mqtt-loss': '#9467bd',
};

/** Per-bucket throughput (exits/s) from the cumulative samples. */
export function throughputSeries(samples: readonly Sample[], bucketS = 10): [number, number][] {
  const out: [number, number][] = [];
  let last = { t: samples[0]?.t ?? 0, completed: samples[0]?.completed ?? 0 };
  for (const s of samples) {
    if (s.t - last.t >= bucketS) {
      out.push([s.t, (s.completed - last.completed) / (s.t - last.t)]);
      last = s;
    }
  }
  return out;
}

export function outcomeCounts(s: RunSummary): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of s.results) m.set(r.outcome, (m.get(r.outcome) ?? 0) + 1);
  return m;
}

export function recoveryRows(
  s: RunSummary,
): { kind: FaultKind; injected: number; unrecovered: number; recovered: string }[] {
  return FAULT_KINDS.map((kind) => ({
    kind,
    injected: s.faults.count(kind),
    // Process and link faults recover as a whole (the station back, the backlog down): no count per fault.
    unrecovered: s.faults.recovered.has(kind)
      ? Math.max(0, s.faults.count(kind) - s.faults.recoveredTotal(kind))
      : 0,
    recovered:
      [...(s.faults.recovered.get(kind)?.entries() ?? [])].map(([how, n]) => `${n} × ${how}`).join('; ') ||
      '—',
  }));
}

export function commandLine(s: RunSummary): string {
  const o = s.options;
  return [
    'npm run plaza-day --',
    `--exits ${o.exits} --handhelds ${o.handhelds} --rate ${o.rate} --duration ${o.duration}`,
    o.media
      ? `--seed ${o.seed} --db ${o.db} --etc-cases ${o.mix} --mix ${formatShares(MEDIA, o.media)} --pay ${formatShares(PAY_CHANNELS, o.pay)} --tree ${o.tree}`
      : `--seed ${o.seed} --db ${o.db} --mix ${o.mix} --tree ${o.tree}`,
    `--tear-rate ${o.tearRate} --swap-rate ${o.swapRate} --restart-rate ${o.restartRate}`,
    `--station-kills ${o.stationKills} --centre-outages ${o.centreOutages} --slow-links ${o.slowLinks} --mqtt-losses ${o.mqttLosses}`,
    `--outage-ms ${o.outageMs} --slow-ms ${o.slowMs} --slow-latency-ms ${o.slowLatencyMs}`,
    ...(o.media
      ? [
          `--pay-lost-answers ${o.payLostAnswers} --password-waits ${o.passwordWaits} --platform-outages ${o.platformOutages} --platform-slow ${o.platformSlow}`,
          `--station-kills-in-payment ${o.stationKillsInPayment} --handheld-restarts-in-payment ${o.handheldRestartsInPayment}`,
          `--cpc-tears ${o.cpcTears} --cpc-unreadable ${o.cpcUnreadable}`,
        ]
      : []),
  ].join(' ');
}

function charts(s: RunSummary): Record<string, string> {
  const bands: Band[] = s.faults.windows
    .filter((w) => BAND_COLOURS[w.kind])
    .map((w) => ({ from: w.from, to: w.to, colour: BAND_COLOURS[w.kind]!, label: FAULT_LABELS[w.kind] }));
  const marks = s.stationKills.map((k) => ({ at: k.at, colour: '#000', label: 'station SIGKILL' }));
  const backlog = s.samples
    .filter((x) => x.backlog !== null)
    .map((x) => [x.t, x.backlog!] as [number, number]);
  return {
    'throughput.svg': lineChart({
      title: 'Throughput (exits per second, 10 s buckets); dashed lines = station SIGKILL',
      xLabel: 'seconds into the day',
      yLabel: 'exits/s',
      series: [{ name: 'exits/s', colour: '#1f77b4', points: throughputSeries(s.samples) }],
      bands,
      marks,
    }),
    'latency.svg': lineChart({
      title: 'Exit latency, 【读卡】 to committed record (ms, per second)',
      xLabel: 'seconds into the day',
      yLabel: 'ms',
      series: [
        {
          name: 'p50',
          colour: '#2ca02c',
          points: s.samples.filter((x) => x.p50 !== null).map((x) => [x.t, x.p50!]),
        },
        {
          name: 'p95',
          colour: '#d62728',
          points: s.samples.filter((x) => x.p95 !== null).map((x) => [x.t, x.p95!]),
        },
      ],
      bands,
      marks,
    }),
    'backlog.svg': lineChart({
      title: 'Outbox backlog at the station; red = centre outage, orange = slow link, purple = MQTT loss',
      xLabel: 'seconds into the day',
      yLabel: 'records not yet acknowledged',
      series: [{ name: 'backlog', colour: '#8c564b', points: backlog }],
      bands,
      marks,
    }),
    ...(s.options.media
      ? {
          'payment-latency.svg': lineChart({
            title: `Paid-exit latency per payment channel, 【读卡】 to committed record (ms; ${latencyBucketS(s.wallSeconds)} s buckets; solid p50, dashed p95)`,
            xLabel: 'seconds into the day',
            yLabel: 'ms',
            series: paymentLatencySeries(paymentLatency(s.results, latencyBucketS(s.wallSeconds))),
            bands,
            marks,
            height: 360,
          }),
        }
      : {}),
    'faults.svg': barChart({
      title: 'Faults injected, by type',
      bars: FAULT_KINDS.map((k) => ({ label: FAULT_LABELS[k], value: s.faults.count(k) })),
    }),
  };
}

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export function headline(s: RunSummary): string[] {
  const outcomes = outcomeCounts(s);
  const lat = s.results.filter((r) => r.outcome === 'debited').map((r) => r.latencyMs);
  const paidLat = s.results.filter((r) => r.outcome === 'paid').map((r) => r.latencyMs);
  const paid = paidLat.length
    ? [
        `paid-exit latency (CPC, cash and QR) p50 ${percentile(paidLat, 0.5)} ms, p95 ${percentile(paidLat, 0.95)} ms, p99 ${percentile(paidLat, 0.99)} ms`,
      ]
    : [];
  return [
    `vehicles ${s.results.length} of ${s.options.exits}${s.interrupted ? ' (interrupted)' : ''} in ${s.wallSeconds.toFixed(0)} s: ${[...outcomes.entries()].map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `throughput ${(s.results.length / Math.max(1, s.wallSeconds)).toFixed(1)} exits/s overall; debited-exit latency p50 ${percentile(lat, 0.5)} ms, p95 ${percentile(lat, 0.95)} ms, p99 ${percentile(lat, 0.99)} ms`,
    ...paid,
    `station restarts after SIGKILL: ${s.stationKills.length}, down ${percentile(
      s.stationKills.map((k) => k.downMs),
      0.5,
    ).toFixed(0)} ms median, ${Math.max(0, ...s.stationKills.map((k) => k.downMs)).toFixed(0)} ms max`,
    `handheld HTTP retries ${s.retry.retries} (of them non-GET requests cut by a network failure: ${s.retry.lostAnswers})`,
    `CPU during the traffic (s; ms per vehicle): ${Object.entries(s.cpu)
      .map(([k, v]) => `${k} ${v.toFixed(1)} (${((v * 1000) / Math.max(1, s.results.length)).toFixed(1)})`)
      .join(', ')}`,
  ];
}

export function writeReport(s: RunSummary, dir: string): { html: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const svgs = charts(s);
  for (const [name, svg] of Object.entries(svgs)) writeFileSync(join(dir, name), svg);
  const ok = s.lines.length > 0 && s.lines.every((l) => l.ok);
  const rec = recoveryRows(s);
  const cmd = commandLine(s);
  const breakdown = breakdownRows(s.results);
  const md = [
    `# Plaza day — seed ${s.options.seed}`,
    '',
    `**Result: ${ok ? 'every reconciliation line true' : 'RECONCILIATION FAILED'}**${s.interrupted ? ' (run interrupted: what was reconciled so far)' : ''}`,
    '',
    '```',
    cmd,
    '```',
    '',
    `Started ${s.startedAt}, ended ${s.endedAt}. Run folder \`${s.runDir}\`.`,
    '',
    ...headline(s).map((l) => `- ${l}`),
    '',
    '## Reconciliation',
    '',
    '| check | result | detail |',
    '|---|---|---|',
    ...s.lines.map((l) => `| ${l.label} | ${l.ok ? '✅ true' : '❌ false'} | ${l.detail} |`),
    '',
    '## Faults and recoveries',
    '',
    '| fault | injected | not recovered | recovered |',
    '|---|---|---|---|',
    ...rec.map((r) => `| ${FAULT_LABELS[r.kind]} | ${r.injected} | ${r.unrecovered} | ${r.recovered} |`),
    '',
    '![faults](faults.svg)',
    '',
    '## Throughput, latency, outbox backlog',
    '',
    '![throughput](throughput.svg)',
    '',
    '![latency](latency.svg)',
    '',
    '![backlog](backlog.svg)',
    '',
    ...(svgs['payment-latency.svg'] ? ['![payment latency](payment-latency.svg)', ''] : []),
    '## Vehicles by case',
    '',
    '| case | vehicles | debited |',
    '|---|---|---|',
    ...caseRows(s).map((r) => `| ${r.caseId} | ${r.n} | ${r.debited} |`),
    '',
    ...(s.options.media ? breakdownMarkdown(breakdown) : []),
    ...(s.notes.length ? ['## Notes', '', ...s.notes.map((n) => `- ${n}`), ''] : []),
  ].join('\n');
  const esc = escapeXml;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Plaza day — seed ${s.options.seed}</title>
<style>body{font-family:sans-serif;max-width:900px;margin:2em auto;padding:0 1em}table{border-collapse:collapse;margin:1em 0}
td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}.ok{color:#060}.bad{color:#b00;font-weight:bold}
pre{background:#f4f4f4;padding:.6em;white-space:pre-wrap}</style></head><body>
<h1>Plaza day — seed ${s.options.seed}</h1>
<p class="${ok ? 'ok' : 'bad'}">${ok ? 'Every reconciliation line true' : 'RECONCILIATION FAILED'}${s.interrupted ? ' (run interrupted: what was reconciled so far)' : ''}</p>
<pre>${esc(cmd)}</pre>
<p>Started ${esc(s.startedAt)}, ended ${esc(s.endedAt)}.</p>
<ul>${headline(s)
    .map((l) => `<li>${esc(l)}</li>`)
    .join('')}</ul>
<h2>Reconciliation</h2>
<table><tr><th>check</th><th>result</th><th>detail</th></tr>
${s.lines.map((l) => `<tr><td>${esc(l.label)}</td><td class="${l.ok ? 'ok' : 'bad'}">${l.ok ? 'true' : 'false'}</td><td>${esc(l.detail)}</td></tr>`).join('\n')}
</table>
<h2>Faults and recoveries</h2>
<table><tr><th>fault</th><th>injected</th><th>not recovered</th><th>recovered</th></tr>
${rec.map((r) => `<tr><td>${esc(FAULT_LABELS[r.kind])}</td><td>${r.injected}</td><td>${r.unrecovered}</td><td>${esc(r.recovered)}</td></tr>`).join('\n')}
</table>
${svgs['faults.svg']}
<h2>Throughput, latency, outbox backlog</h2>
${svgs['throughput.svg']}
${svgs['latency.svg']}
${svgs['backlog.svg']}
${svgs['payment-latency.svg'] ?? ''}
<h2>Vehicles by case</h2>
<table><tr><th>case</th><th>vehicles</th><th>debited</th></tr>
${caseRows(s)
  .map((r) => `<tr><td>${esc(r.caseId)}</td><td>${r.n}</td><td>${r.debited}</td></tr>`)
  .join('\n')}
</table>
${s.options.media ? breakdownHtml(breakdown) : ''}
${s.notes.length ? `<h2>Notes</h2><ul>${s.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
  const htmlFile = join(dir, 'index.html');
  const mdFile = join(dir, 'report.md');
  writeFileSync(htmlFile, html);
  writeFileSync(mdFile, md);
  writeFileSync(
    join(dir, 'summary.json'),
    JSON.stringify(
      {
        command: cmd,
        options: s.options,
        startedAt: s.startedAt,
        endedAt: s.endedAt,
        interrupted: s.interrupted,
        lines: s.lines,
        faults: rec,
        outcomes: Object.fromEntries(outcomeCounts(s)),
        ...(s.options.media ? { breakdown } : {}),
        samples: s.samples,
      },
      null,
      1,
    ),
  );
  return { html: htmlFile, md: mdFile };
}

function caseRows(s: RunSummary) {
  const m = new Map<string, { n: number; debited: number }>();
  for (const r of s.results) {
    const e = m.get(r.caseId) ?? { n: 0, debited: 0 };
    e.n++;
    if (r.outcome === 'debited') e.debited++;
    m.set(r.caseId, e);
  }
  return [...m.entries()].map(([caseId, v]) => ({ caseId, ...v })).sort((a, b) => b.n - a.n);
}

const BREAKDOWN_HEAD = [
  'medium',
  'paid by',
  'vehicles',
  'exits committed',
  'fen',
  'QR declined → cash',
  'p50 ms',
  'p95 ms',
  'p99 ms',
];
const breakdownCells = (r: BreakdownRow) => [
  r.medium,
  r.payment,
  String(r.vehicles),
  String(r.committed),
  String(r.fen),
  String(r.fellBack),
  r.p50 === null ? '—' : String(r.p50),
  r.p95 === null ? '—' : String(r.p95),
  r.p99 === null ? '—' : String(r.p99),
];

/** The medium and payment breakdown as the terminal prints it (a mixed day). */
export function breakdownLines(s: RunSummary): string[] {
  const rows = breakdownRows(s.results).map(breakdownCells);
  const widths = BREAKDOWN_HEAD.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [fmt(BREAKDOWN_HEAD), ...rows.map(fmt)];
}

function breakdownMarkdown(rows: readonly BreakdownRow[]): string[] {
  return [
    '## Media and payments',
    '',
    `| ${BREAKDOWN_HEAD.join(' | ')} |`,
    `|${BREAKDOWN_HEAD.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${breakdownCells(r).join(' | ')} |`),
    '',
    'Latency: 【读卡】 to the committed record (a CPC exit: the trip planned, read, priced, paid, closed, committed).',
    '',
  ];
}

function breakdownHtml(rows: readonly BreakdownRow[]): string {
  return `<h2>Media and payments</h2>
<table><tr>${BREAKDOWN_HEAD.map((h) => `<th>${escapeXml(h)}</th>`).join('')}</tr>
${rows
  .map(
    (r) =>
      `<tr>${breakdownCells(r)
        .map((c) => `<td>${escapeXml(c)}</td>`)
        .join('')}</tr>`,
  )
  .join('\n')}
</table>
<p>Latency: 【读卡】 to the committed record (a CPC exit: the trip planned, read, priced, paid, closed, committed).</p>`;
}
