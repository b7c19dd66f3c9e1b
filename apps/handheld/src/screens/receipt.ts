import type { StoredRecord } from '@tollpad/station-api';
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { HandoverClient } from '../api/handover-client';
import { toUserFacing, type UserFacingError } from '../errors';
import { receiptOf } from '../exit/receipt';
import { L } from '../i18n';
import type { AppServices } from '../services';
import { ErrorBox, TopBar } from '../ui/common';

/**
 * 回单: the printable receipt of a committed exit, read from the station's record; 【打印】 uses the
 * browser's print (the print stylesheet keeps only the receipt). Opened from the shift's records it is
 * marked 重打 (payments.md §8). Each print is logged at the station first (who, when, which exit; 重打 as a
 * reprint) so the shift's hand-over counts receipts issued and reprinted: no log, no print.
 */
export function ReceiptScreen(props: { services: AppServices; tradeId: string; reprint: boolean }) {
  const [record, setRecord] = useState<StoredRecord | null>(null);
  const [error, setError] = useState<UserFacingError | null>(null);
  useEffect(() => {
    let alive = true;
    props.services.client
      .record(props.tradeId)
      .then((r) => alive && setRecord(r))
      .catch((e: unknown) => alive && setError(toUserFacing(e)));
    return () => {
      alive = false;
    };
  }, [props.tradeId]);
  const receipt = record ? receiptOf(record, { reprint: props.reprint }) : null;
  const [printing, setPrinting] = useState(false);
  const print = async () => {
    setPrinting(true);
    try {
      await new HandoverClient(props.services.client).logReceipt(
        props.tradeId,
        props.reprint ? 'reprint' : 'print',
      );
      setError(null);
      window.print();
    } catch (e) {
      setError(toUserFacing(e));
    } finally {
      setPrinting(false);
    }
  };

  return h(
    'div',
    null,
    h(TopBar, { title: L('回单', 'Receipt'), onBack: () => history.back() }),
    h(
      'main',
      null,
      h(ErrorBox, { error }),
      receipt
        ? h(
            'section',
            { class: 'receipt', 'data-testid': 'receipt', 'data-trade-id': receipt.tradeId },
            h(
              'h2',
              null,
              receipt.title,
              receipt.reprint ? h('span', { 'data-testid': 'receipt-reprint' }, '（重打）') : null,
            ),
            h(
              'dl',
              { class: 'kv' },
              receipt.rows.flatMap(([k, v]) => [
                h('dt', { key: `${k}-t` }, k),
                h('dd', { key: `${k}-d`, 'data-testid': `receipt-${k}` }, v),
              ]),
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'primary no-print',
                'data-testid': 'print-receipt',
                disabled: printing,
                onClick: print,
              },
              L('【打印】', 'Print'),
            ),
          )
        : null,
    ),
  );
}
