import { describe, expect, it } from 'vitest';
import type { ExitTxn } from '../api/types';
import { handheldError, type UserFacingError } from '../errors';
import { awaitsAuthorisation, refusalError, waitForAuthorisation } from './authorisation';
import { pricedTxn } from './testing';

const txn = (status: ExitTxn['auth']['status'], reason: string | null = null): ExitTxn =>
  pricedTxn({ auth: { status, by: status === 'approved' ? 'monitor1' : null, reason } });

/** A station whose long polls answer (or fail) in the order given. */
function station(answers: (ExitTxn | Error)[]) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    async waitAuthorisation(): Promise<ExitTxn> {
      const a = answers[calls++];
      if (!a) throw new Error('polled past the script');
      if (a instanceof Error) throw a;
      return a;
    },
  };
}

const hooks = (seen: ExitTxn[], retries: UserFacingError[], alive = () => true) => ({
  alive,
  onTxn: (t: ExitTxn) => seen.push(t),
  onRetry: (e: UserFacingError) => retries.push(e),
  pause: async () => undefined,
});

describe('waiting for the monitor', () => {
  it('polls until the monitor decides and reports each answer', async () => {
    const s = station([txn('required'), txn('approved')]);
    const seen: ExitTxn[] = [];
    const last = await waitForAuthorisation(s, txn('required'), hooks(seen, []));
    expect(last.auth.status).toBe('approved');
    expect(s.calls).toBe(2);
    expect(seen.map((t) => t.auth.status)).toEqual(['required', 'approved']);
  });

  it('waits out patchy Wi-Fi, saying so, and throws anything else', async () => {
    const retries: UserFacingError[] = [];
    const s = station([
      handheldError('HH_ERR_TIMEOUT'),
      handheldError('HH_ERR_NETWORK'),
      txn('refused', '无'),
    ]);
    const last = await waitForAuthorisation(s, txn('required'), hooks([], retries));
    expect(last.auth.status).toBe('refused');
    expect(retries.map((r) => r.code)).toEqual(['HH_ERR_TIMEOUT', 'HH_ERR_NETWORK']);
    const broken = station([handheldError('HH_ERR_BAD_RESPONSE')]);
    await expect(waitForAuthorisation(broken, txn('required'), hooks([], []))).rejects.toMatchObject({
      code: 'HH_ERR_BAD_RESPONSE',
    });
  });

  it('does not poll for a transaction that needs no decision, nor after the screen closed', async () => {
    const s = station([]);
    await waitForAuthorisation(s, txn('approved'), hooks([], []));
    await waitForAuthorisation(
      s,
      txn('required'),
      hooks([], [], () => false),
    );
    expect(s.calls).toBe(0);
    expect(awaitsAuthorisation(txn('required'))).toBe(true);
    expect(awaitsAuthorisation({ ...txn('required'), state: 'committed' })).toBe(false);
  });

  it('turns a refusal into the error box with the reason, and nothing else into one', () => {
    expect(refusalError(txn('refused', '车牌不符').auth)).toMatchObject({
      code: 'STN_ERR_EXIT_AUTH_REFUSED',
      message: expect.stringContaining('车牌不符'),
    });
    expect(refusalError(txn('refused').auth)?.message).not.toContain('：');
    expect(refusalError(txn('approved').auth)).toBeNull();
    expect(refusalError(txn('none').auth)).toBeNull();
  });
});
