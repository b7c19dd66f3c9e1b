import { type ChildProcess, execSync, spawn } from 'node:child_process';
import {
  createWriteStream,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  type WriteStream,
} from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fetchFor } from '../../../scripts/sim/http';
import { PlazaDayError } from './errors';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * One real child process (centre, station, lane-sim) that can be SIGKILLed and started again on the same
 * port and data. It runs as `node --import tsx <script>` — one process, not the tsx CLI wrapper, which
 * spawns a grandchild that a SIGKILL of the wrapper would leave running on the port.
 * (scripts/sim/processes.ts starts the same apps through the tsx CLI; fine for tests, not for SIGKILL.)
 */
const live = new Set<ChildApp>();
/** SIGKILL every child still running (a driver that dies takes its children with it). */
export function killAllChildren(): void {
  for (const app of live) app.killNow();
}
process.on('exit', killAllChildren);

/**
 * The code under test, pinned: `git archive HEAD` into `dest`, with a node_modules of symlinks to the
 * repository's (and @tollpad/* pointing into the snapshot). Other engineers edit the working tree while a
 * day runs; a station restarted mid-edit must not load half-written code, and the report names the commit.
 */
export function snapshotTree(dest: string): { root: string; commit: string; dirty: boolean } {
  const commit = execSync('git rev-parse HEAD', { cwd: REPO_ROOT }).toString().trim();
  mkdirSync(dest, { recursive: true });
  execSync(`git archive ${commit} | tar -x -C '${dest}'`, { cwd: REPO_ROOT, shell: '/bin/bash' });
  const nm = join(dest, 'node_modules');
  mkdirSync(join(nm, '@tollpad'), { recursive: true });
  for (const e of readdirSync(join(REPO_ROOT, 'node_modules'))) {
    if (e !== '@tollpad') symlinkSync(join(REPO_ROOT, 'node_modules', e), join(nm, e));
  }
  for (const group of ['packages', 'apps']) {
    for (const dir of readdirSync(join(dest, group))) {
      try {
        const pkg = JSON.parse(readFileSync(join(dest, group, dir, 'package.json'), 'utf8')) as {
          name?: string;
        };
        if (pkg.name?.startsWith('@tollpad/')) symlinkSync(join(dest, group, dir), join(nm, pkg.name));
      } catch {
        // not a package
      }
    }
  }
  const dirty =
    execSync('git status --porcelain --untracked-files=no -- apps packages', { cwd: REPO_ROOT })
      .toString()
      .trim().length > 0;
  return { root: dest, commit, dirty };
}

export class ChildApp {
  private child: ChildProcess | undefined;
  private readonly log: WriteStream;
  starts = 0;
  private exitWaiters: (() => void)[] = [];
  /** CPU of earlier incarnations (ms), and the last reading of the current one. */
  private cpuDoneMs = 0;
  private cpuNowMs = 0;

  constructor(
    readonly name: string,
    private readonly script: string,
    readonly env: Record<string, string>,
    logFile: string,
    /** Resolves once the app answers (health check). */
    private readonly ready: () => Promise<boolean>,
    /** Where the app's code is run from (a pinned snapshot, or the working tree). */
    private readonly cwd: string = REPO_ROOT,
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(timeoutMs = 120_000): Promise<number> {
    const t0 = Date.now();
    this.starts++;
    this.log.write(`\n=== start #${this.starts} ${new Date().toISOString()}\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', this.script], {
      cwd: this.cwd,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group: a Ctrl-C at the terminal reaches the driver only, which then still reconciles
      // against running processes before stopping them.
      detached: true,
    });
    this.child = child;
    live.add(this);
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    child.on('exit', (code, signal) => {
      this.log.write(`=== exit code=${code} signal=${signal} ${new Date().toISOString()}\n`);
      for (const w of this.exitWaiters.splice(0)) w();
    });
    while (Date.now() - t0 < timeoutMs) {
      if (!this.running) {
        throw new PlazaDayError(
          'PD_ERR_PROCESS_START',
          this.name,
          `${this.name} 启动失败（进程已退出），见日志`,
        );
      }
      if (await this.ready().catch(() => false)) return Date.now() - t0;
      await sleep(100);
    }
    throw new PlazaDayError('PD_ERR_PROCESS_START', this.name, `${this.name} 在 ${timeoutMs} 毫秒内未就绪`);
  }

  /** Stops the process with `signal` and waits for it to be gone. */
  /** CPU time (user + system, ms) of every incarnation so far (Linux /proc; 0 elsewhere). */
  cpuMs(): number {
    const pid = this.child?.pid;
    if (pid && this.running) {
      try {
        const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
        // Fields 14 and 15 of stat (utime, stime) in clock ticks of 10 ms; index 11/12 after the name.
        this.cpuNowMs = (Number(f[11]) + Number(f[12])) * 10;
      } catch {
        // gone
      }
    }
    return this.cpuDoneMs + this.cpuNowMs;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 8_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    this.cpuMs();
    this.cpuDoneMs += this.cpuNowMs;
    this.cpuNowMs = 0;
    const gone = new Promise<void>((resolve) => this.exitWaiters.push(resolve));
    child.kill(signal);
    const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await gone;
    clearTimeout(t);
  }

  /** Synchronous SIGKILL (for process exit). */
  killNow(): void {
    if (this.running) this.child?.kill('SIGKILL');
  }

  close(): void {
    live.delete(this);
    this.log.end();
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A free TCP port on the loopback (kept for the whole run so restarts come back on the same port). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export async function httpOk(url: string, timeoutMs = 2_000): Promise<boolean> {
  const r = await fetchFor(url)(url, { signal: AbortSignal.timeout(timeoutMs) });
  await r.arrayBuffer();
  return r.ok;
}
