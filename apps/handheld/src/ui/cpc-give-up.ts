import { h } from 'preact';
import { useState } from 'preact/hooks';
import { L } from '../i18n';

/**
 * 【放弃本次交易】 once a QR payment ended unpaid: asked twice (it ends the exit), with what it means for the
 * driver — nothing was charged and the CPC is not written, it goes back to the driver (or the next exit).
 */
export function GiveUpExit(props: { disabled: boolean; onGiveUp: () => Promise<void> }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking)
    return h(
      'button',
      {
        type: 'button',
        class: 'danger',
        style: 'width:100%;margin-top:8px',
        'data-testid': 'give-up',
        disabled: props.disabled,
        onClick: () => setAsking(true),
      },
      L('【放弃本次交易】', '【放弃本次交易】 Give up this exit'),
    );
  return h(
    'div',
    {
      class: 'notice',
      role: 'alertdialog',
      'aria-label': L('确认放弃本次交易', 'Confirm giving up'),
      'data-testid': 'give-up-confirm',
    },
    h(
      'p',
      null,
      L(
        '确认放弃本次交易？本次未收款，不生成流水，CPC卡不写入，交还司机。',
        'Give up? Nothing was charged, no record is made, the CPC is not written and goes back to the driver.',
      ),
    ),
    h(
      'div',
      { class: 'row' },
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          'data-testid': 'give-up-yes',
          disabled: busy || props.disabled,
          onClick: async () => {
            setBusy(true);
            try {
              await props.onGiveUp();
            } finally {
              setBusy(false);
              setAsking(false);
            }
          },
        },
        L('【确认放弃】', '【确认放弃】 Give up'),
      ),
      h(
        'button',
        { type: 'button', 'data-testid': 'give-up-no', disabled: busy, onClick: () => setAsking(false) },
        L('【继续收费】', '【继续收费】 Keep charging'),
      ),
    ),
  );
}
