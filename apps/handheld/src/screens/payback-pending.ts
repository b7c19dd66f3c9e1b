import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ArrearsClient } from '../api/arrears-client';
import type { StationClient } from '../api/station-client';
import { L } from '../i18n';
import { type PendingPayback, paybackJournal } from '../journal/pending-paybacks';
import { navigate } from '../services';

/**
 * The paybacks (补缴) of this handheld whose payment was started and whose record is not committed: the journal's
 * entries less those the station says are finished (dropped). An entry the station cannot be asked about stays.
 */
function usePaybackPending(client: Pick<StationClient, 'request'>): PendingPayback[] {
  const [pending, setPending] = useState<PendingPayback[]>([]);
  useEffect(() => {
    let alive = true;
    const arrears = new ArrearsClient(client);
    const journal = paybackJournal();
    void journal
      .list()
      .then((entries) =>
        Promise.all(
          entries.map(async (p) => {
            const b = await arrears.get(p.txnId).catch(() => null);
            if (b && (b.state === 'committed' || b.state === 'cancelled')) {
              await journal.delete(p.txnId).catch(() => undefined);
              return null;
            }
            return p;
          }),
        ),
      )
      .then((ps) => alive && setPending(ps.filter((p): p is PendingPayback => p !== null)))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [client]);
  return pending;
}

/** 补缴已收款或支付中、未完成: resume each (it follows the station's payment, never a second one). */
export function PaybackPendingBanner(props: { client: Pick<StationClient, 'request'> }) {
  const pending = usePaybackPending(props.client);
  if (pending.length === 0) return null;
  return h(
    'div',
    { class: 'notice', role: 'alert', 'data-testid': 'payback-pending-banner' },
    L('补缴已收款或支付中，尚未完成，请继续处理', 'A payback is paid or paying: finish it'),
    pending.map((p) =>
      h(
        'button',
        {
          key: p.txnId,
          type: 'button',
          class: 'primary',
          style: 'margin-top:8px',
          onClick: () => navigate({ name: 'arrears', laneId: p.laneId, paybackId: p.txnId }),
        },
        `${L('继续补缴', 'Resume')} · ${p.cpcId}`,
      ),
    ),
  );
}
