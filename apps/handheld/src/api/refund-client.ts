import {
  isWire,
  type PaymentRefunds,
  PaymentRefundsListSchema,
  PaymentRefundsSchema,
  type RefundRequestBody,
  type RefundResult,
  RefundResultSchema,
  type Static,
  type TSchema,
} from '@tollpad/station-api';
import { handheldError } from '../errors';
import type { StationClient } from './station-client';

const enc = encodeURIComponent;

/** 退款's calls to the station (monitor or admin): find a captured QR payment, its refunds, a new refund. */
export class RefundClient {
  constructor(private readonly station: Pick<StationClient, 'request'>) {}

  /** Captured QR payments by trade ID, pay ID or plate. */
  find(q: string): Promise<PaymentRefunds[]> {
    return this.checked(PaymentRefundsListSchema, 'GET', `/payments?q=${enc(q)}&limit=20`);
  }

  /** One payment by pay ID or exit trade ID (a cash trade is refused with STN_ERR_REFUND_CASH). */
  payment(ref: string): Promise<PaymentRefunds> {
    return this.checked(PaymentRefundsSchema, 'GET', `/payments/${enc(ref)}/refunds`);
  }

  /** A refund; the same `refundRequestId` again answers the same refund (a retried tap never refunds twice). */
  refund(ref: string, body: RefundRequestBody): Promise<RefundResult> {
    // The station waits a while for the platform's answer before it answers.
    return this.checked(RefundResultSchema, 'POST', `/payments/${enc(ref)}/refunds`, body, 20_000);
  }

  private async checked<S extends TSchema>(
    schema: S,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    timeoutMs?: number,
  ): Promise<Static<S>> {
    const value = await this.station.request<unknown>(method, path, body, timeoutMs ? { timeoutMs } : {});
    if (!isWire(schema, value)) throw handheldError('HH_ERR_BAD_RESPONSE', { detail: `${method} ${path}` });
    return value;
  }
}
