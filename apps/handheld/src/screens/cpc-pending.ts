import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { StationClient } from '../api/station-client';
import type { ExitTxn } from '../api/types';
import { L } from '../i18n';
import type { JournalStore } from '../journal/idb-journal';
import type { PendingCpcWrite } from '../journal/pending-cpc';
import { navigate } from '../services';

/** Done at the station: the record exists, or the exit was cancelled before any cash. */
const FINISHED: readonly ExitTxn['state'][] = ['committed', 'cancelled'];

/**
 * The CPC exits of this handheld whose payment was started (cash, or a QR payment in flight) but whose card
 * write and record are not done:
 * the durable journal's entries (they outlive a closed tab), less those the station says are finished
 * (dropped from the journal). An entry the station cannot be asked about stays: new exits wait for it.
 */
export function useCpcPending(
  client: Pick<StationClient, 'getExit'>,
  journal: JournalStore<PendingCpcWrite>,
): PendingCpcWrite[] {
  const [pending, setPending] = useState<PendingCpcWrite[]>([]);
  useEffect(() => {
    let alive = true;
    void journal
      .list()
      .then((entries) =>
        Promise.all(
          entries.map(async (p) => {
            const t = await client.getExit(p.txnId).catch(() => null);
            if (t && FINISHED.includes(t.state)) {
              await journal.delete(p.txnId).catch(() => undefined);
              return null;
            }
            return p;
          }),
        ),
      )
      .then((ps) => {
        if (alive) setPending(ps.filter((p): p is PendingCpcWrite => p !== null));
      })
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [client, journal]);
  return pending;
}

/** 已收款或支付中、CPC未写完: follow and finish each before a new exit (never a second payment). */
export function CpcPendingBanner(props: { pending: readonly PendingCpcWrite[] }) {
  if (props.pending.length === 0) return null;
  return h(
    'div',
    { class: 'notice', role: 'alert', 'data-testid': 'cpc-pending-banner' },
    L('CPC卡已收款或支付中，未写卡完成，必须先继续处理', 'A CPC exit is paid or paying: finish it first'),
    props.pending.map((p) =>
      h(
        'button',
        {
          key: p.txnId,
          type: 'button',
          class: 'primary',
          style: 'margin-top:8px',
          onClick: () =>
            navigate({ name: p.medium === 'none' ? 'none' : 'cpc', laneId: p.laneId, txnId: p.txnId }),
        },
        p.medium === 'none'
          ? `${L('继续处理', 'Resume')} · ${L('无卡', 'No card')} ${p.cpcId}`
          : `${L('继续处理', 'Resume')} · CPC ${p.cpcId}`,
      ),
    ),
  );
}
