import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { httpsJson } from '@tollpad/server-kit';
import { TEST_MERCHANTS } from '../../../apps/paygate/src/fixtures/test-merchants';
import type { Merchant } from '../../../apps/paygate/src/merchants';
import { signedHttps } from '../../../apps/paygate/src/testing/https-client';
import type { QrBehaviour } from './cpc-vehicles';
import type { Wallet, WalletAnswer } from './driver-wallet';
import { ChildApp } from './processes';
import { type Capture, capturesOf } from './settlement-file';

/** TEST token of the day's paygate control API (loopback only): the settlement clock at the end of the day. */
const PAYGATE_ADMIN_TOKEN = 'TEST-plaza-day-paygate-admin';

const HOUR_MS = 3_600_000;
const BEIJING_OFFSET_MS = 8 * HOUR_MS;
/** [P] the paygate's default PAYGATE_SETTLEMENT_HOUR: the day's file is published at 09:00 Beijing next day. */
const SETTLEMENT_HOUR = 9;

const beijingDay = (at: Date) => new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);

/**
 * The reference payment platform of a mixed day (apps/paygate, a real process on its own TEST CA), the
 * station's TEST merchant with it (the first of apps/paygate's TEST merchants, as the e2e tests set it up),
 * and its ledger read back at the end of the day through the merchant's signed settlement files.
 */
export class DayPaygate {
  readonly app: ChildApp;
  readonly url: string;
  readonly caFile: string;
  readonly merchant: Merchant;

  constructor(runDir: string, port: number, treeRoot: string) {
    const dir = join(runDir, 'paygate');
    this.url = `https://127.0.0.1:${port}`;
    this.caFile = join(dir, 'tls', 'ca.cert.pem');
    const merchant = TEST_MERCHANTS[0];
    if (!merchant) throw new Error('apps/paygate has no TEST merchant');
    this.merchant = merchant;
    // In memory (no --data): the platform is never restarted in a plaza day, and a write-through snapshot of
    // every order on each change would make a 50,000-vehicle day quadratic.
    this.app = new ChildApp(
      'paygate',
      'apps/paygate/src/main.ts',
      {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dir,
        PAYGATE_TLS_DIR: join(dir, 'tls'),
        PAYGATE_ADMIN_TOKEN,
        LOG_LEVEL: 'warn',
      },
      join(runDir, 'paygate.log'),
      () => this.healthy(),
      treeRoot,
    );
  }

  private async healthy(): Promise<boolean> {
    if (!existsSync(this.caFile)) return false;
    const r = await httpsJson(`${this.url}/healthz`, { ca: readFileSync(this.caFile, 'utf8') });
    return r.status === 200;
  }

  /** What the station is given to pay through this platform (read once the platform made its CA). */
  stationEnv(): Record<string, string> {
    return {
      PAYGATE_URL: this.url,
      PAYGATE_MERCHANT_ID: this.merchant.id,
      PAYGATE_MERCHANT_KEY: this.merchant.key,
      PAYGATE_CA_FILE: this.caFile,
    };
  }

  private async admin(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const r = await httpsJson(
      `${this.url}${path}`,
      {
        method,
        ca: readFileSync(this.caFile, 'utf8'),
        headers: { authorization: `Bearer ${PAYGATE_ADMIN_TOKEN}` },
      },
      body,
    );
    if (r.status !== 200) throw new Error(`paygate ${method} ${path}: ${r.status} ${r.text}`);
    return r.json;
  }

  /** A TEST fault at the platform (POST /test/faults, apps/paygate faults.ts). */
  async fault(input: Record<string, unknown>): Promise<void> {
    await this.admin('POST', '/test/faults', input);
  }

  /**
   * 主扫: the driver's wallet app pays the code it scanned (`POST /driver/qr/:token/pay`, the code URL its only
   * key). A driver who types a password or has too little in the wallet is a TEST fault on the driver's code
   * first, as the e2e tests arm it.
   */
  async driverPays(
    codeUrl: string,
    wallet: Wallet,
    behaviour: QrBehaviour,
    authCode: string,
  ): Promise<WalletAnswer> {
    if (behaviour === 'password') await this.fault({ kind: 'password', authCode, polls: 1, outcome: 'paid' });
    if (behaviour === 'insufficient') await this.fault({ kind: 'insufficient', authCode });
    if (!codeUrl.startsWith(`${this.url}/driver/qr/`))
      throw new Error(`主扫 code of another platform: ${codeUrl}`);
    const r = await httpsJson(
      `${codeUrl}/pay`,
      { method: 'POST', ca: readFileSync(this.caFile, 'utf8') },
      { wallet, authCode },
    );
    if (r.status !== 200) throw new Error(`driver pays ${codeUrl}: ${r.status} ${r.text}`);
    const a = r.json as { state: string; declined: unknown };
    return { state: a.state, declined: a.declined !== null };
  }

  /**
   * The platform's ledger of the day: its clock moved past the publication of the last day's settlement file
   * (nothing is paid any more), then every Beijing day's file from `from` on, as the merchant downloads it.
   */
  async ledger(from: Date): Promise<{ captures: Capture[]; days: string[] }> {
    const now = new Date(((await this.admin('GET', '/test/clock')) as { now: string }).now);
    const lastDay = beijingDay(now);
    const publish = Date.parse(`${lastDay}T00:00:00+08:00`) + (24 + SETTLEMENT_HOUR) * HOUR_MS;
    const moved = (await this.admin('POST', '/test/clock', {
      advanceSeconds: Math.ceil((publish - now.getTime()) / 1000) + 60,
    })) as { now: string };
    // The merchant's requests are signed on the platform's clock (it refuses a stale timestamp).
    const skew = Date.parse(moved.now) - Date.now();
    const days: string[] = [];
    for (let t = Date.parse(`${beijingDay(from)}T00:00:00+08:00`); beijingDay(new Date(t)) <= lastDay; ) {
      days.push(beijingDay(new Date(t)));
      t += 24 * HOUR_MS;
    }
    const files: string[] = [];
    const ca = readFileSync(this.caFile, 'utf8');
    for (const day of days) {
      const r = await signedHttps(
        this.url,
        { ca, merchant: this.merchant, now: () => new Date(Date.now() + skew) },
        'GET',
        `/v1/settlements/${day}`,
      );
      if (r.status !== 200 || !r.signedByPlatform)
        throw new Error(`settlement ${day}: ${r.status} ${r.text.slice(0, 300)}`);
      files.push(r.text);
    }
    return { captures: capturesOf(files), days };
  }
}
