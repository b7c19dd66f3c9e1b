import {
  type ArrearsLookup,
  ArrearsLookupSchema,
  type ArrearsPayback,
  ArrearsPaybackCommitAnswerSchema,
  type ArrearsPaybackRequest,
  ArrearsPaybackSchema,
  type CpcPaymentIntent,
  isWire,
  type Static,
  type TSchema,
} from '@tollpad/station-api';
import { handheldError } from '../errors';
import type { CpcCloseDeps } from '../exit/cpc-close';
import type { StationClient } from './station-client';
import type { ExitTxn } from './types';

const enc = encodeURIComponent;

/** 追缴 at the station: a plate's open arrears, and the payback (补缴) — its own transaction and record. */
export class ArrearsClient {
  /** The payback's close needs the whole client; a lookup only `request`. */
  constructor(private readonly station: Pick<StationClient, 'request'> & Partial<StationClient>) {}

  /** The plate's open entries with the amounts and why (or the chase list's hit alone, centre unreachable). */
  lookup(plate: string, colour: number): Promise<ArrearsLookup> {
    return this.checked(ArrearsLookupSchema, 'GET', `/arrears/${enc(plate)}?colour=${colour}`);
  }

  /** Opens a payback of the named entries, priced at their sum as the centre answers it now. */
  open(body: ArrearsPaybackRequest): Promise<ArrearsPayback> {
    return this.checked(ArrearsPaybackSchema, 'POST', '/arrears-paybacks', body);
  }

  get(id: string): Promise<ArrearsPayback> {
    return this.checked(ArrearsPaybackSchema, 'GET', `/arrears-paybacks/${enc(id)}`);
  }

  cancel(id: string, reason: string): Promise<ArrearsPayback> {
    return this.checked(ArrearsPaybackSchema, 'POST', `/arrears-paybacks/${enc(id)}/cancel`, { reason });
  }

  /**
   * The payment and the commit of the CPC exit's close (cpc-close.ts), pointed at the payback's routes: the
   * intent, the commit and "not paid" are the payback's own; the payment's progress, stop and another code are
   * the exit machinery's (a payback is an exit row). Nothing is written to a card. The payback screen follows
   * the payback itself, not an exit view: the `txn` these answer is not read (cast, never shown).
   */
  closeClient(): CpcCloseDeps['client'] {
    const s = this.station as StationClient;
    const noTxn = undefined as unknown as ExitTxn;
    return {
      cpcPaymentIntent: async (id: string, intent: CpcPaymentIntent) => {
        const p = await this.checked(
          ArrearsPaybackSchema,
          'POST',
          `/arrears-paybacks/${enc(id)}/payment`,
          intent,
        );
        if (!p.tradeId)
          throw handheldError('HH_ERR_BAD_RESPONSE', { detail: 'payback payment without tradeId' });
        return { txn: noTxn, tradeId: p.tradeId, payment: p.payment ?? null };
      },
      commitCpc: async (id, c) => {
        const r = await this.checked(
          ArrearsPaybackCommitAnswerSchema,
          'POST',
          `/arrears-paybacks/${enc(id)}/commit`,
          {
            tradeId: c.tradeId,
            ...('etcCard' in c && c.etcCard ? { etcCard: c.etcCard } : {}),
          },
        );
        return { tradeId: c.tradeId, replayed: r.replayed };
      },
      payment: (id, since, waitMs) => s.payment(id, since, waitMs),
      stopPayment: (id) => s.stopPayment(id),
      paymentAttempt: (id, attempt) => s.paymentAttempt(id, attempt),
      recover: async (id, proof) => {
        if (proof.outcome !== 'not-debited')
          throw handheldError('HH_ERR_BAD_RESPONSE', { detail: 'a payback is recovered paid by its commit' });
        await this.checked(ArrearsPaybackSchema, 'POST', `/arrears-paybacks/${enc(id)}/recover`, {
          outcome: 'not-debited',
        });
        return noTxn;
      },
    };
  }

  private async checked<S extends TSchema>(
    schema: S,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<Static<S>> {
    const value = await this.station.request<unknown>(method, path, body);
    if (!isWire(schema, value)) throw handheldError('HH_ERR_BAD_RESPONSE', { detail: `${method} ${path}` });
    return value;
  }
}
