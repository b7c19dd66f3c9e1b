import { h } from 'preact';
import { L } from '../i18n';

/** 【免费放行】: a fee of 0 (a passed 绿通查验…) takes no payment; the exit is committed as it is. */
export function FreePass(props: { disabled: boolean; onPass: () => void }) {
  return h(
    'button',
    {
      type: 'button',
      class: 'primary',
      'data-testid': 'pass-free',
      disabled: props.disabled,
      onClick: props.onPass,
    },
    L('【免费放行】', 'Free passage'),
  );
}
