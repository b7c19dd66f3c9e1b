import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { StationClient } from '../api/station-client';
import type { ExitTxn, Lane } from '../api/types';
import { loadDraft } from '../exit/draft';
import { L } from '../i18n';
import { navigate } from '../services';

/**
 * The CPC exits of this handheld whose cash was confirmed but whose card write and record are not done
 * (debit_pending): found from the lanes' CPC drafts, confirmed by the station.
 */
export function useCpcPending(client: StationClient, lanes: readonly Lane[] | null): ExitTxn[] {
  const [pending, setPending] = useState<ExitTxn[]>([]);
  useEffect(() => {
    if (!lanes) return;
    let alive = true;
    const ids = lanes.flatMap((l) => loadDraft(sessionStorage, l.id, undefined, 'cpc').txnId ?? []);
    void Promise.all(ids.map((id) => client.getExit(id).catch(() => null))).then((ts) => {
      if (alive)
        setPending(ts.filter((t): t is ExitTxn => t?.state === 'debit_pending' && t.medium === 'cpc'));
    });
    return () => {
      alive = false;
    };
  }, [client, lanes]);
  return pending;
}

/** 现金已收、CPC未写完: finish each before a new exit. */
export function CpcPendingBanner(props: { pending: readonly ExitTxn[] }) {
  if (props.pending.length === 0) return null;
  return h(
    'div',
    { class: 'notice', role: 'alert', 'data-testid': 'cpc-pending-banner' },
    L('CPC卡现金已收但未写卡完成，必须先继续处理', 'A CPC was paid but not closed: finish it first'),
    props.pending.map((t) =>
      h(
        'button',
        {
          key: t.id,
          type: 'button',
          class: 'primary',
          style: 'margin-top:8px',
          onClick: () => navigate({ name: 'cpc', laneId: t.laneId, txnId: t.id }),
        },
        `${L('继续处理', 'Resume')} · CPC ${t.cardNo}`,
      ),
    ),
  );
}
