import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ReaderHub } from '../card/reader-hub-types';
import { L } from '../i18n';
import { ReaderPanels } from '../screens/readers';

/** Always visible: which reader is active, whether a card is in the field. */
export function ReaderBar(props: { hub: ReaderHub }) {
  const [s, setS] = useState(props.hub.status());
  const [open, setOpen] = useState(false);
  useEffect(() => props.hub.subscribe(setS), [props.hub]);
  const bar = h(
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
        'aria-expanded': open ? 'true' : 'false',
        'aria-controls': 'reader-panels',
        'data-testid': 'reader-toggle',
        onClick: () => setOpen(!open),
      },
      open ? L('收起', 'Close') : L('读卡器', 'Reader'),
    ),
  );
  return h(
    'div',
    null,
    bar,
    open
      ? h(
          'div',
          { id: 'reader-panels', style: 'padding:0 12px;border-bottom:3px solid #222' },
          h(ReaderPanels, { hub: props.hub }),
        )
      : null,
  );
}
