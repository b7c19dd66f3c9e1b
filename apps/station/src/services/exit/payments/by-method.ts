import type { ExitTxnRow } from '../../../db/schema';
import { StationError } from '../../../errors';
import type { Executor } from '../../../repositories/executor';
import type { ExitPayment, ExitTypes } from '../exit-parts';

/**
 * One exit payment made of several methods side by side (QR, cash, the driver's ETC card…), chosen by the
 * intent's `payment` and afterwards by what the debit kept: a pending intent of one method is never answered
 * by another's part. `fallback` names the method of debits stored before they carried `payment` (cash).
 * `payable` is the fallback's (the method nothing can refuse before the driver chooses). The commit asks for
 * the digest before it reads the debit, so `digest` is the cell's, from the proof alone.
 */
export function byMethod<
  T extends ExitTypes & { intent: { payment: string }; debit: { payment?: string } },
  M extends Record<string, ExitTypes>,
>(
  methods: { readonly [K in keyof M]: ExitPayment<M[K]> },
  fallback: keyof M & string,
  digest: (txnId: string, proof: T['proof']) => string,
): ExitPayment<T> {
  const part = (name: string | undefined): ExitPayment<T> => {
    // A part is only ever handed values that name its method (the intent's or the debit's `payment`), so the
    // cell's unions are that method's own shapes here: the one place they are narrowed by name, not by type.
    const p = (methods as unknown as Record<string, ExitPayment<T> | undefined>)[name ?? fallback];
    if (!p) throw new StationError('STN_ERR_REQ_INVALID', `payment ${name}`);
    return p;
  };
  const of = (debit: T['debit']) => part(debit.payment);
  const ofIntent = (intent: T['intent']) => part(intent.payment);
  return {
    id: 'by-method',
    payable: (read, amount) => part(fallback).payable(read, amount),
    announce: (t, intent, ctx) => ofIntent(intent).announce(t, intent, ctx),
    reannounce(pending, intent, now) {
      const was = pending.payment ?? fallback;
      if (was !== intent.payment)
        throw new StationError('STN_ERR_EXIT_BAD_STATE', 'a different payment is already pending');
      return of(pending).reannounce(pending, intent, now);
    },
    open: async (t: ExitTxnRow, debit, tradeId, x: Executor) => {
      const p = of(debit);
      return p.open ? p.open(t, debit, tradeId, x) : debit;
    },
    launch: (debit) => of(debit).launch?.(debit),
    captured: async (t, debit) => {
      const p = of(debit);
      return p.captured ? p.captured(t, debit) : debit;
    },
    bind: async (t, debit, tradeId, x) => of(debit).bind?.(t, debit, tradeId, x),
    verifyProof: (debit, proof) => of(debit).verifyProof(debit, proof),
    digest,
    recordFields: (read, debit, proof) => of(debit).recordFields(read, debit, proof),
    verifyNotDebited: (debit, proof, x) => of(debit).verifyNotDebited(debit, proof, x),
  };
}
