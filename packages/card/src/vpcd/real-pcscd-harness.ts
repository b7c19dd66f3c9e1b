/**
 * The real PC/SC stack for the tests beside this file: pcscd + vsmartcard's vpcd driver, its two readers
 * (`Virtual PCD 00 00` for the card, `00 01` for the PSAM), and a lock so that two runs on one machine never
 * share vpcd's card sockets. CI installs the packages (scripts/ensure-system-deps.sh); when they are missing
 * the tests FAIL, they do not skip. Node-only, test support.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { type ChildPcscReader, PcscInChild } from './pcsc-in-child';

const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
export const CARD_READER = 'Virtual PCD 00 00';
export const PSAM_READER = 'Virtual PCD 00 01';

/**
 * vpcd has one card socket per reader and pcscd is machine-wide: two test runs at once (two engineers on
 * one box, or two test files) would steal each other's card. Serialise them with a lock file holding the
 * owner's PID.
 */
const LOCK = '/tmp/tollpad-pcscd-test.lock';
/** How long a PC/SC test waits for the lock; a test's hook that opens pcscd allows more than this. */
export const PCSC_LOCK_WAIT_MS = 240_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function acquireLock(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
      return;
    } catch {
      const owner = Number(readFileSync(LOCK, 'utf8'));
      if (!Number.isInteger(owner) || owner <= 0 || !alive(owner)) {
        unlinkSync(LOCK); // stale: its owner died
        continue;
      }
      if (Date.now() > deadline) throw new Error(`PC/SC test: another run (PID ${owner}) holds ${LOCK}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function releaseLock(): void {
  try {
    if (Number(readFileSync(LOCK, 'utf8')) === process.pid) unlinkSync(LOCK);
  } catch {
    // Not held.
  }
}

function pcscdRunning(): boolean {
  try {
    execFileSync('pidof', ['pcscd'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function until(check: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) resolve();
      else if (Date.now() > deadline) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(tick, 50);
    };
    tick();
  });
}

export interface RealPcscd {
  /** The pcsc transport's readers, run in a child process (pcsc-in-child.ts says why). */
  cardReader: ChildPcscReader;
  psamReader: ChildPcscReader;
  /** Closes PC/SC, stops the pcscd this harness started (if any) and releases the lock. */
  close(): Promise<void>;
}

/** Takes the lock, starts pcscd when it is not running (root only) and waits for vpcd's two readers. */
export async function openRealPcscd(): Promise<RealPcscd> {
  const missing = ['/usr/sbin/pcscd', VPCD_DRIVER].filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new Error(
      `PC/SC test needs pcscd and vsmartcard-vpcd (missing ${missing.join(', ')}); ` +
        'run scripts/ensure-system-deps.sh or apt-get install pcscd vsmartcard-vpcd libpcsclite-dev',
    );
  }
  // Another PC/SC test file may hold the machine's readers for a whole file (the e2e one starts stations).
  await acquireLock(PCSC_LOCK_WAIT_MS);
  let pcscd: ChildProcess | undefined;
  let pcsc: PcscInChild | undefined;
  const close = async () => {
    await pcsc?.close();
    if (pcscd?.pid) {
      const exited = new Promise((resolve) => pcscd?.once('exit', resolve));
      pcscd.kill('SIGTERM');
      await exited;
    }
    releaseLock();
  };
  try {
    if (!pcscdRunning()) {
      if (process.getuid?.() !== 0) {
        throw new Error(
          'PC/SC test: pcscd is not running and only root can start it here; start pcscd first',
        );
      }
      pcscd = spawn('/usr/sbin/pcscd', ['--foreground'], { stdio: 'ignore' });
    }
    pcsc = new PcscInChild();
    const cardReader = await pcsc.reader(CARD_READER);
    const psamReader = await pcsc.reader(PSAM_READER);
    return { cardReader, psamReader, close };
  } catch (error) {
    await close();
    throw error;
  }
}
