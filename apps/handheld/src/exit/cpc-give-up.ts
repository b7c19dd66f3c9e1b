import type { StationClient } from '../api/station-client';
import type { ExitTxn } from '../api/types';
import type { JournalStore } from '../journal/idb-journal';
import type { PendingCpcWrite } from '../journal/pending-cpc';

/** Why the exit ends, in the station's audit and the cancelled transaction. */
export const GIVE_UP_REASON = '放弃本次交易：扫码支付未成功，未收款，CPC卡未写，交还司机';

/**
 * 【放弃本次交易】 after a QR payment ended unpaid (issue #21): the station voids the payment's trade ID
 * (`recover not-debited`, refused with STN_ERR_PAY_IN_FLIGHT while an attempt may still take money and with
 * STN_ERR_PAY_ALREADY_PAID after a capture), then cancels the exit (no record; both steps audited), and only
 * then the journal entry that held the home screen goes. The CPC is not written: it stays with the driver.
 * A refusal throws before anything is dropped, so the exit stays to be finished.
 */
export async function giveUpCpcExit(
  deps: {
    client: Pick<StationClient, 'getExit' | 'recover' | 'cancel'>;
    journal: JournalStore<PendingCpcWrite>;
  },
  txnId: string,
): Promise<ExitTxn> {
  let t = await deps.client.getExit(txnId);
  if (t.state === 'debit_pending') t = await deps.client.recover(txnId, { outcome: 'not-debited' });
  if (t.state !== 'cancelled') t = await deps.client.cancel(txnId, GIVE_UP_REASON);
  // Relaxed: an entry left behind is found cancelled by the home screen and dropped there.
  await deps.journal.delete(txnId).catch(() => undefined);
  return t;
}
