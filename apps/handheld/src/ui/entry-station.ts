import { h } from 'preact';
import { L } from '../i18n';

/**
 * The entry station the driver states, when the station cannot take it from the card (no entry, an entry
 * station not in its table, a path it cannot trust): 询问司机入口站后计费 (cpc-card.md §5.3 step 4).
 */
export function EntryStationInput(props: {
  value: string;
  disabled: boolean;
  onChange: (v: string) => void;
}) {
  return [
    h(
      'label',
      { for: 'entry-station' },
      L('入口站（询问司机，站码）', 'Entry station (ask the driver; code)'),
    ),
    h('input', {
      id: 'entry-station',
      'data-testid': 'entry-station',
      value: props.value,
      disabled: props.disabled,
      autocomplete: 'off',
      maxLength: 14,
      'aria-describedby': 'entry-station-hint',
      onInput: (e: Event) => props.onChange((e.target as HTMLInputElement).value.trim().toUpperCase()),
    }),
    h(
      'p',
      { id: 'entry-station-hint', role: 'note' },
      L(
        '8位十六进制站码（如 37000104）或14位收费站编号',
        '8 hex digits (e.g. 37000104) or the 14-character station ID',
      ),
    ),
  ];
}
