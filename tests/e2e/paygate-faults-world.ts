import { readFileSync } from 'node:fs';
import { type TrainingCpcSpec, trainingCpcSpec } from '@tollpad/card/sim';
import { createTestDatabase, httpsJson, type TestDatabase } from '@tollpad/server-kit';
import type { DebitIntentResult, ExitTransaction, PaymentStatus, StoredRecord } from '@tollpad/station-api';
import type { FaultInput } from '../../apps/paygate/src/faults';
import { TEST_MERCHANTS } from '../../apps/paygate/src/fixtures/test-merchants';
import type { Merchant } from '../../apps/paygate/src/merchants';
import { signedHttps } from '../../apps/paygate/src/testing/https-client';
import type { SimHandheld } from '../../scripts/sim/handheld';
import { ApiError, api } from '../../scripts/sim/http';
import type { RunningPaygate, RunningSystem } from '../../scripts/sim/processes';
import { postPassages } from '../../scripts/sim/trip';
import { type CpcExitOutcome, cpcExit, planCpcTrip } from '../../scripts/sim/trip-cpc';
import { centreNetwork, DEMO, demoHandheld, startTestSystem, token } from './world';

/**
 * The world of the paygate-fault e2e tests (issue #21): centre, station, lane simulator and the reference
 * payment platform as real processes, the platform's TEST control API, and a CPC vehicle driven through the
 * station's HTTP exit with a QR payment step. Every code, card, merchant and key here is TEST.
 */

/** TEST token of the paygate's control API (loopback only). */
export const PAYGATE_ADMIN_TOKEN = 'TEST-e2e-paygate-faults-admin';

/**
 * [P] The station gives up on a platform answer after this long (PAYGATE_TIMEOUT_MS): short so a slow answer
 * becomes an unknown outcome within the test, long enough that a busy machine does not make every answer late.
 */
export const STATION_PAYGATE_TIMEOUT_MS = 4_000;

export interface PaygateOrder {
  outTradeNo: string;
  payId: string;
  orderNo: string;
  state: 'NOTPAY' | 'USERPAYING' | 'SUCCESS' | 'PAYERROR' | 'CLOSED' | 'REVOKED' | 'REFUND';
  amount: number;
  failure: { code: string; message: string } | null;
}

/** The platform as its operator and the station's merchant see it: faults, clock, TEST codes, orders. */
export class PaygateDesk {
  private readonly ca: string;
  private readonly merchant: Merchant;
  private serial = 0;

  constructor(private readonly p: RunningPaygate) {
    this.ca = readFileSync(p.caFile, 'utf8');
    const m = TEST_MERCHANTS.find((x) => x.id === p.merchantId);
    if (!m) throw new Error(`no TEST merchant ${p.merchantId}`);
    this.merchant = m;
  }

  private async admin(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
    const r = await httpsJson(
      `${this.p.url}${path}`,
      { method, ca: this.ca, headers: { authorization: `Bearer ${PAYGATE_ADMIN_TOKEN}` } },
      body,
    );
    if (r.status !== 200) throw new Error(`paygate ${method} ${path}: ${r.status} ${r.text}`);
    return r.json;
  }

  fault(f: FaultInput): Promise<unknown> {
    return this.admin('POST', '/test/faults', f);
  }

  /** A fresh TEST code minted by the platform (it expires after PAYGATE_CODE_TTL_SECONDS of its clock). */
  async mintedCode(): Promise<string> {
    return ((await this.admin('POST', '/test/codes', { channel: 'WECHAT' })) as { code: string }).code;
  }

  advanceClock(seconds: number): Promise<unknown> {
    return this.admin('POST', '/test/clock', { advanceSeconds: seconds });
  }

  /**
   * A WeChat-format TEST code (18 digits, 13…) unique to this run that simply pays unless a fault names it;
   * never minted, so it does not expire when the platform clock moves.
   */
  code(): string {
    this.serial++;
    const middle = `${process.pid % 10_000}`.padStart(4, '0') + `${this.serial}`.padStart(6, '0');
    return `1345${middle}0001`;
  }

  /** The driver's wallet app pays a 主扫 code it scanned (the code URL is the only key). */
  async driverPays(
    codeUrl: string,
    wallet: 'WECHAT' | 'ALIPAY' | 'UNIONPAY',
    authCode: string,
  ): Promise<{ state: string; declined: { code: string } | null }> {
    const r = await httpsJson(`${codeUrl}/pay`, { method: 'POST', ca: this.ca }, { wallet, authCode });
    if (r.status !== 200) throw new Error(`driver pay: ${r.status} ${r.text}`);
    return r.json as { state: string; declined: { code: string } | null };
  }

  /** Every attempt under the pay ID, as the merchant's signed query sees it. */
  async orders(payId: string): Promise<PaygateOrder[]> {
    const r = await signedHttps(
      this.p.url,
      { ca: this.ca, merchant: this.merchant },
      'GET',
      `/v1/orders?payId=${encodeURIComponent(payId)}`,
    );
    if (r.status !== 200 || !r.signedByPlatform) throw new Error(`orders ${payId}: ${r.status} ${r.text}`);
    return (r.json as { orders: PaygateOrder[] }).orders;
  }

  /** Orders that hold the driver's money (paid, or paid and partly refunded). */
  async captures(payId: string): Promise<PaygateOrder[]> {
    return (await this.orders(payId)).filter((o) => o.state === 'SUCCESS' || o.state === 'REFUND');
  }
}

export interface FaultWorld {
  sys: RunningSystem & { cleanup(): Promise<void> };
  paygate: PaygateDesk;
  hh: SimHandheld;
  monitor: string;
  close(): Promise<void>;
}

/** The processes, with the station on SQLite or on a fresh PostgreSQL test database. */
export async function startFaultWorld(engine: 'sqlite' | 'postgres'): Promise<FaultWorld> {
  const pg: TestDatabase | undefined =
    engine === 'postgres' ? await createTestDatabase('postgres', 'e2epay') : undefined;
  const sys = await startTestSystem({
    paygatePort: 0,
    paygateEnv: { PAYGATE_ADMIN_TOKEN },
    stationEnv: {
      PAYGATE_TIMEOUT_MS: String(STATION_PAYGATE_TIMEOUT_MS),
      ...(pg?.databaseUrl ? { DATABASE_URL: pg.databaseUrl } : {}),
    },
  }).catch(async (e: unknown) => {
    await pg?.drop();
    throw e;
  });
  if (!sys.paygate) throw new Error('the paygate did not start');
  const hh = await demoHandheld(sys, sys.laneId);
  return {
    sys,
    paygate: new PaygateDesk(sys.paygate),
    hh,
    monitor: await token(sys.stationUrl, DEMO.monitor),
    async close() {
      await sys.cleanup();
      await pg?.drop();
    },
  };
}

/** The n-th TEST CPC vehicle of a run: the training car with its own CPC ID and plate. */
export function paygateCpc(n: number): TrainingCpcSpec {
  const base = trainingCpcSpec('cpc-car');
  if (!base) throw new Error('training CPC cpc-car');
  const serial = String(n).padStart(4, '0');
  return { ...base, id: `cpc-pay-${serial}`, cpcId: `370199000088${serial}`, plate: `鲁B8${serial}` };
}

/** The payment step a vehicle's exit runs: the trade ID once paid, or null when the vehicle did not pay. */
export type PayStep = (txnId: string, amount: number) => Promise<{ tradeId: string } | null>;

export interface ExitRun {
  spec: TrainingCpcSpec;
  txnId: string;
  /** Null when the vehicle did not pay (nothing written, nothing committed). */
  out: CpcExitOutcome | null;
  lines: string[];
}

/** A TEST CPC vehicle through the exit over the station's HTTP API, paying with `pay`. */
export async function exitWith(w: FaultWorld, n: number, pay: PayStep): Promise<ExitRun> {
  const spec = paygateCpc(n);
  const net = await centreNetwork(w.sys.centreUrl);
  const trip = planCpcTrip(net, spec, { exitStationId: w.sys.stationId, exitTime: new Date() });
  await postPassages(w.sys.centreUrl, trip.plan, spec.vehicleClass, spec.plate);
  let txnId = '';
  const lines: string[] = [];
  const out = await cpcExit(w.hh, spec, trip.images, {
    approve: () => token(w.sys.stationUrl, DEMO.monitor),
    say: (l) => lines.push(l),
    pay: (id, amount) => {
      txnId = id;
      return pay(id, amount);
    },
  });
  if (!txnId) throw new Error(`no payment step: ${lines.join('\n')}`);
  return { spec, txnId, out, lines };
}

/** 主扫 at the debit intent: the station asks the platform for a code to show the driver. */
export function payByShownCode(hh: SimHandheld, txnId: string, amount: number) {
  return hh.call<DebitIntentResult>('POST', `/exits/${txnId}/debit-intent`, {
    payment: 'qr',
    amount,
    mode: 'dynamic',
  });
}

/** The stable code of a refused station call (STN_ERR_…), or a rethrow. */
export async function refusal(p: Promise<unknown>): Promise<{ status: number; code: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return { status: e.status, code: (e.body as { code: string }).code };
    throw e;
  }
  throw new Error('the station accepted what it should refuse');
}

/** 被扫 at the debit intent: the driver's code, the station's first answer. */
export function payByCode(hh: SimHandheld, txnId: string, amount: number, authCode: string) {
  return hh.call<DebitIntentResult>('POST', `/exits/${txnId}/debit-intent`, {
    payment: 'qr',
    amount,
    mode: 'code',
    authCode,
  });
}

/**
 * Follows the exit's payment by long poll (as the handheld does) until `done` or `final`, keeping every status
 * the collector was shown; a station that is down or restarting is waited for.
 */
export async function follow(
  hh: SimHandheld,
  txnId: string,
  o: { since?: number; done?: (s: PaymentStatus) => boolean; timeoutMs?: number } = {},
): Promise<{ last: PaymentStatus; seen: PaymentStatus[] }> {
  const end = Date.now() + (o.timeoutMs ?? 45_000);
  const seen: PaymentStatus[] = [];
  let since = o.since ?? -1;
  for (;;) {
    const s = await hh
      .call<PaymentStatus>('GET', `/exits/${txnId}/payment?waitMs=5000&since=${since}`)
      .catch((e: unknown) => {
        // Not an answer of the station (it is down): wait and ask again.
        if (e instanceof ApiError) throw e;
        return null;
      });
    if (s) {
      seen.push(s);
      since = s.version;
      if (s.final || o.done?.(s)) return { last: s, seen };
    } else await new Promise((r) => setTimeout(r, 250));
    if (Date.now() > end) {
      throw new Error(`payment of ${txnId} not settled: ${JSON.stringify(seen.at(-1) ?? null)}`);
    }
  }
}

/** Cash with the tendered amount after a QR attempt ended not paid: the QR intent undone first. */
export async function payCashInstead(
  hh: SimHandheld,
  txnId: string,
  amount: number,
  tendered: number,
): Promise<DebitIntentResult> {
  await hh.call('POST', `/exits/${txnId}/recover`, { outcome: 'not-debited' });
  return hh.call<DebitIntentResult>('POST', `/exits/${txnId}/debit-intent`, {
    payment: 'cash',
    amount,
    tendered,
  });
}

/** The vehicle leaves without paying here: the QR intent undone, the exit cancelled with a reason. */
export async function giveUp(hh: SimHandheld, txnId: string): Promise<void> {
  await hh.call('POST', `/exits/${txnId}/recover`, { outcome: 'not-debited' });
  await hh.call('POST', `/exits/${txnId}/cancel`, { reason: '扫码支付未成功，车辆转其他处理 (TEST)' });
}

/** What the station holds of one exit: its state and the records of its CPC. */
export async function atStation(
  w: FaultWorld,
  run: ExitRun,
): Promise<{ state: ExitTransaction['state']; records: StoredRecord[] }> {
  const t = await api<ExitTransaction>(w.sys.stationUrl, 'GET', `/exits/${run.txnId}`, { token: w.monitor });
  const all = await api<StoredRecord[]>(w.sys.stationUrl, 'GET', '/records?limit=1000', { token: w.monitor });
  return {
    state: t.state,
    records: all.filter((r) => (r.record as { mediaNo?: string }).mediaNo === run.spec.cpcId),
  };
}

/** The exits left between the payment intent and the record (a payment not settled): none, at the end. */
export async function debitPending(w: FaultWorld): Promise<ExitTransaction[]> {
  return api<ExitTransaction[]>(w.sys.stationUrl, 'GET', '/exits?state=debit_pending', { token: w.monitor });
}
