import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ReaderHub } from '../card/reader-hub-types';
import { L } from '../i18n';
import { navigate } from '../services';

/** Always visible: which reader is active, whether a card is in the field. */
export function ReaderBar(props: { hub: ReaderHub }) {
  const [s, setS] = useState(props.hub.status());
  useEffect(() => props.hub.subscribe(setS), [props.hub]);
  return h(
    'div',
    {
      class: 'readerbar',
      role: 'status',
      'aria-live': 'polite',
      'data-testid': 'reader-bar',
      'data-card': s.cardPresent ? 'present' : 'absent',
    },
    h('span', { class: `dot ${s.cardPresent ? 'on' : 'off'}`, 'aria-hidden': 'true' }),
    h(
      'span',
      { style: 'flex:1' },
      `${s.choice === 'simulated' ? L('模拟读卡器', 'Simulated reader') : L('读卡桥', 'Reader bridge')} · ${
        s.cardPresent ? L('有卡', 'card present') : L('无卡', 'no card')
      }${s.error ? ` · ${s.error}` : ''}`,
    ),
    h(
      'button',
      {
        type: 'button',
        style: 'min-height:48px;font-size:16px',
        onClick: () => navigate({ name: 'readers' }),
      },
      L('读卡器', 'Reader'),
    ),
  );
}
