import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { paygateCa } from '../../../paygate/src/paygate';
import { type Harness, startHarness } from '../../../paygate/src/testing/harness';
import type { PaygatePortOptions } from '../ports/paygate-port';

/**
 * The reference platform (apps/paygate) over HTTPS on a loopback port with its TEST CA, its frozen TEST clock
 * and its fault control, for the station's payment tests. Every code and merchant here is TEST.
 */
export interface TestPaygate {
  h: Harness;
  /** What the station's port is configured with (TEST merchant 1, the platform's clock). */
  port: PaygatePortOptions;
  /** A fresh TEST WeChat-like 付款码 ending in `suffix` (0001 pays, 0002 password then paid…). */
  code(suffix?: string): string;
  fault(body: object): Promise<void>;
  close(): Promise<void>;
}

let serial = 0;

export async function startTestPaygate(): Promise<TestPaygate> {
  const dir = mkdtempSync(join(tmpdir(), 'station-paygate-'));
  const h = await startHarness({ plainHttp: false, tlsDir: dir, tlsHosts: ['127.0.0.1'] });
  await h.paygate.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `https://127.0.0.1:${(h.paygate.app.server.address() as AddressInfo).port}`;
  const ca = (await paygateCa(dir)).cert;
  return {
    h,
    port: {
      url,
      ca,
      merchantId: h.merchant.id,
      merchantKey: h.merchant.key,
      timeoutMs: 3000,
      now: () => h.clock.now(),
    },
    code(suffix = '0001') {
      serial++;
      const middle = `${process.pid % 1000}${String(serial).padStart(7, '0')}`.padStart(10, '0').slice(-10);
      return `1345${middle}${suffix}`;
    },
    async fault(body) {
      const res = await h.admin('POST', '/test/faults', body);
      if (res.statusCode !== 200) throw new Error(`fault ${res.statusCode}: ${res.body}`);
    },
    async close() {
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
