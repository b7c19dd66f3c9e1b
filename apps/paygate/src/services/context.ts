import type { Clock } from '../clock';
import type { PaygateConfig } from '../config';
import { ERROR_CATALOGUE, type OrderFailureCode } from '../errors';
import type { FaultBoard } from '../faults';
import type { Order } from '../http/schemas';
import type { Store } from '../store';

/** What every service of the platform works with. */
export interface Platform {
  store: Store;
  clock: Clock;
  faults: FaultBoard;
  config: PaygateConfig;
}

/** A platform number: TEST, the UTC day, a serial (orders `TEST4200…`, refunds `TEST5000…`). */
export function platformNumber(p: Platform, kind: 'order' | 'refund'): string {
  const day = p.clock.now().toISOString().slice(0, 10).replaceAll('-', '');
  return `TEST${kind === 'order' ? '4200' : '5000'}${day}${String(p.store.nextSerial()).padStart(10, '0')}`;
}

export function failureOf(code: OrderFailureCode): NonNullable<Order['failure']> {
  return { code, message: ERROR_CATALOGUE[code].message };
}
