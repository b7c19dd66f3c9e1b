import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { Clock } from '../clock';
import { loadConfig, type PaygateConfig } from '../config';
import { TEST_MERCHANTS } from '../fixtures/test-merchants';
import type { Merchant } from '../merchants';
import { createPaygate, type Paygate } from '../paygate';
import { signRequest } from '../signing/signature';

/** TEST admin token of the harness. */
export const TEST_ADMIN_TOKEN = 'TEST-paygate-admin-token';
/** 10:00 Beijing: far from midnight, so the Alipay same-day window is not in the way unless a test moves it. */
export const TEST_START = new Date('2026-12-06T02:00:00.000Z');

type Method = 'GET' | 'POST' | 'DELETE';

export interface SignOptions {
  merchant?: Merchant;
  /** Sign with this key instead of the merchant's (a forger). */
  key?: string;
  timestamp?: number;
  nonce?: string;
  /** Change the body after signing (tampering). */
  tamper?: (raw: string) => string;
  headers?: Record<string, string>;
  remoteAddress?: string;
}

export interface Harness {
  paygate: Paygate;
  clock: Clock;
  merchant: Merchant;
  other: Merchant;
  signed(method: Method, path: string, body?: unknown, o?: SignOptions): Promise<LightMyRequestResponse>;
  admin(
    method: Method,
    path: string,
    body?: unknown,
    o?: { token?: string; remoteAddress?: string },
  ): Promise<LightMyRequestResponse>;
  raw(
    method: Method,
    path: string,
    o?: { body?: unknown; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export const newNonce = (): string => randomBytes(12).toString('base64url');

/** A paygate in the plain-HTTP test mode with a frozen clock, the TEST merchants and the TEST admin token. */
export async function startHarness(overrides: Partial<PaygateConfig> = {}): Promise<Harness> {
  const clock = new Clock();
  clock.freeze(TEST_START);
  const config: PaygateConfig = {
    ...loadConfig({}),
    plainHttp: true,
    adminToken: TEST_ADMIN_TOKEN,
    publicUrl: 'https://paygate.test',
    ...overrides,
  };
  const paygate = await createPaygate({ config, clock, logger: false });
  const [merchant, other] = TEST_MERCHANTS as [Merchant, Merchant];
  return {
    paygate,
    clock,
    merchant,
    other,
    signed(method, path, body, o = {}) {
      const m = o.merchant ?? merchant;
      const raw = body === undefined ? '' : JSON.stringify(body);
      const headers = signRequest(o.key ?? m.key, {
        method,
        path,
        merchantId: m.id,
        timestamp: o.timestamp ?? Math.floor(clock.now().getTime() / 1000),
        nonce: o.nonce ?? newNonce(),
        body: raw,
      });
      const sent = o.tamper ? o.tamper(raw) : raw;
      return paygate.app.inject({
        method,
        url: path,
        headers: {
          ...headers,
          ...(sent ? { 'content-type': 'application/json' } : {}),
          ...(o.headers ?? {}),
        },
        ...(sent ? { payload: sent } : {}),
        ...(o.remoteAddress ? { remoteAddress: o.remoteAddress } : {}),
      });
    },
    admin(method, path, body, o = {}) {
      return paygate.app.inject({
        method,
        url: path,
        headers: { authorization: `Bearer ${o.token ?? TEST_ADMIN_TOKEN}` },
        ...(body === undefined ? {} : { payload: body as object }),
        ...(o.remoteAddress ? { remoteAddress: o.remoteAddress } : {}),
      });
    },
    raw(method, path, o = {}) {
      return paygate.app.inject({
        method,
        url: path,
        headers: o.headers ?? {},
        ...(o.body === undefined ? {} : { payload: o.body as object }),
      });
    },
    close: () => paygate.close(),
  };
}

/** A pay ID in the tollpad shape (payments.md §5: TP + station + lane + yyMMddHHmmss + serial). */
export function testPayId(serial: number): string {
  return `TP0101AB0101261206100000${String(serial).padStart(4, '0')}`;
}
