import { join } from 'node:path';
import { PlazaDayError } from './errors';
import { FAULT_KINDS, FAULT_LABELS } from './fault-log';
import { parseOptions, usage } from './options';
import { killAllChildren, REPO_ROOT } from './processes';
import { breakdownLines, commandLine, headline, recoveryRows, writeReport } from './report';
import { type RunControl, runPlazaDay } from './run';

/**
 * `npm run plaza-day -- [options]`: a compressed plaza day against the real centre, station and lane
 * controller, with faults, then the reconciliation and the report (reports/plaza-day/…, git-ignored).
 * Ctrl-C stops the traffic, drains briefly and still reconciles what was done; a second Ctrl-C quits.
 */
async function main(): Promise<number> {
  let o: ReturnType<typeof parseOptions>;
  try {
    o = parseOptions(process.argv.slice(2));
  } catch (e) {
    if (e instanceof PlazaDayError) {
      process.stderr.write(`参数错误 [${e.code}] ${e.messageZh}\n\n${usage()}\n`);
      return 2;
    }
    throw e;
  }
  if (o.help) {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  const ctl: RunControl = {
    stopping: false,
    log: (line) => process.stdout.write(`[plaza-day ${new Date().toISOString().slice(11, 19)}] ${line}\n`),
  };
  let firstSigint = 0;
  process.on('SIGINT', () => {
    // npm and tsx relay the terminal's SIGINT too: copies within 1.5 s are the same Ctrl-C.
    if (firstSigint === 0) {
      firstSigint = Date.now();
      ctl.stopping = true;
      ctl.log('Ctrl-C: stopping the traffic, then reconciling what was done (Ctrl-C again to quit at once)');
    } else if (Date.now() - firstSigint > 1_500) process.exit(130);
  });
  process.on('unhandledRejection', (e) => {
    ctl.log(`unexpected error, stopping the traffic: ${String(e)}`);
    ctl.stopping = true;
  });
  const summary = await runPlazaDay(o, ctl);
  const stamp = summary.startedAt.replace(/[:.]/g, '-');
  const dir = join(REPO_ROOT, o.reportDir, `${o.seed}-${stamp}`);
  const files = writeReport(summary, dir);
  const out = (s: string) => process.stdout.write(`${s}\n`);
  out('');
  out(`== plaza day, seed ${o.seed}${summary.interrupted ? ' — INTERRUPTED, reconciled so far' : ''}`);
  out(commandLine(summary));
  for (const l of headline(summary)) out(l);
  out('-- faults (injected → recovered)');
  for (const r of recoveryRows(summary))
    out(`${FAULT_LABELS[r.kind].padEnd(40)} ${String(r.injected).padStart(6)}  ${r.recovered}`);
  if (o.media) {
    out('-- media and payments');
    for (const l of breakdownLines(summary)) out(l);
  }
  out('-- reconciliation');
  for (const l of summary.lines) out(`${l.ok ? 'true ' : 'FALSE'}  ${l.label} — ${l.detail}`);
  const allTrue = summary.lines.length > 0 && summary.lines.every((l) => l.ok);
  const fewFaults = FAULT_KINDS.filter((k) => summary.faults.count(k) === 0);
  if (fewFaults.length) out(`note: not injected in this run: ${fewFaults.join(', ')}`);
  out(`report: ${files.html}`);
  out(`        ${files.md}`);
  out(allTrue ? 'RESULT: every reconciliation line true' : 'RESULT: reconciliation FAILED');
  return allTrue && !summary.interrupted ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    const msg =
      e instanceof PlazaDayError ? `[${e.code}] ${e.messageZh}` : String(e instanceof Error ? e.stack : e);
    process.stderr.write(`plaza-day 失败：${msg}\n`);
    killAllChildren();
    process.exit(1);
  },
);
