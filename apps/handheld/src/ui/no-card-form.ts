import type { NoCardRead } from '@tollpad/station-api';
import { h } from 'preact';
import { useState } from 'preact/hooks';
import { REASON_LABEL } from '../exit/none-summary';
import { L } from '../i18n';
import { Panel } from './common';
import { EntryStationInput } from './entry-station';

const REASONS: readonly NoCardRead['reason'][] = ['no-card', 'lost', 'damaged'];
const CPC_ID = /^[0-9A-F]{16}$/;

/**
 * 【无卡登记】 (cpc-card.md §5.4): why the vehicle has no usable card (无卡 / 丢卡 / 坏卡, a damaged card's ID from
 * its label when legible), and the entry the driver states — or 「司机拒绝告知」. Sent as the no-card 【读卡】.
 */
export function NoCardForm(props: { disabled: boolean; onSubmit: (body: NoCardRead) => void }) {
  const [reason, setReason] = useState<NoCardRead['reason']>('no-card');
  const [cpcId, setCpcId] = useState('');
  const [entry, setEntry] = useState('');
  const [refused, setRefused] = useState(false);
  const idOk = reason !== 'damaged' || cpcId === '' || CPC_ID.test(cpcId);
  const submit = () => {
    if (!idOk) return;
    props.onSubmit({
      reason,
      ...(reason === 'damaged' && cpcId !== '' ? { cpcId } : {}),
      ...(refused ? { refused: true } : entry !== '' ? { statedEntry: entry } : {}),
    });
  };
  return h(
    Panel,
    { title: L('无卡登记', 'No card'), testId: 'no-card-form' },
    h(
      'div',
      { role: 'radiogroup', 'aria-label': L('无卡原因', 'Reason') },
      REASONS.map((r) =>
        h(
          'label',
          { key: r, style: 'margin-right:12px' },
          h('input', {
            type: 'radio',
            name: 'no-card-reason',
            'data-testid': `no-card-reason-${r}`,
            checked: reason === r,
            disabled: props.disabled,
            onChange: () => setReason(r),
          }),
          REASON_LABEL[r],
        ),
      ),
    ),
    reason === 'damaged'
      ? [
          h(
            'label',
            { for: 'damaged-cpc-id' },
            L('卡面CPC编号（可辨认时填写，16位）', 'CPC ID on the label (16 hex)'),
          ),
          h('input', {
            id: 'damaged-cpc-id',
            'data-testid': 'damaged-cpc-id',
            value: cpcId,
            maxLength: 16,
            disabled: props.disabled,
            autocomplete: 'off',
            'aria-invalid': !idOk,
            onInput: (e: Event) => setCpcId((e.target as HTMLInputElement).value.trim().toUpperCase()),
          }),
          idOk
            ? null
            : h(
                'p',
                { class: 'error', role: 'alert' },
                L('CPC编号应为16位十六进制', 'CPC ID: 16 hex digits'),
              ),
        ]
      : null,
    refused ? null : h(EntryStationInput, { value: entry, disabled: props.disabled, onChange: setEntry }),
    h(
      'label',
      { style: 'display:block;margin:8px 0' },
      h('input', {
        type: 'checkbox',
        'data-testid': 'entry-refused',
        checked: refused,
        disabled: props.disabled,
        onChange: (e: Event) => setRefused((e.target as HTMLInputElement).checked),
      }),
      L('司机拒绝告知入口站（按最远路径计费）', 'The driver will not say (farthest route)'),
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'primary',
        'data-testid': 'no-card-open',
        disabled: props.disabled || !idOk,
        onClick: submit,
      },
      L('【无卡登记】', 'Register'),
    ),
  );
}
