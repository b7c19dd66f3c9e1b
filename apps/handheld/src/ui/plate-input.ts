import { PLATE_COLOURS, PROVINCE_ABBREVIATIONS } from '@tollpad/domain';
import { h } from 'preact';
import { useState } from 'preact/hooks';
import { L } from '../i18n';

const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';

/**
 * The actual plate: a text field plus an on-screen keypad (province abbreviations, then letters and
 * digits) so a gloved collector never needs the phone's IME. The field is marked with the reason when
 * validation fails.
 */
export function PlateInput(props: {
  value: string;
  onChange: (v: string) => void;
  error: string | null;
  disabled?: boolean;
}) {
  const [pad, setPad] = useState<'province' | 'letters' | null>(null);
  const type = (c: string) => {
    props.onChange(props.value + c);
    if (pad === 'province') setPad('letters');
  };
  const keys = pad === 'province' ? [...PROVINCE_ABBREVIATIONS, '使', '警', '学', '挂'] : [...LETTERS];
  return h(
    'div',
    null,
    h('label', { for: 'plate' }, L('实际车牌', 'Actual plate')),
    h(
      'div',
      { class: 'row' },
      h('input', {
        id: 'plate',
        name: 'plate',
        value: props.value,
        disabled: props.disabled,
        autoComplete: 'off',
        autoCapitalize: 'characters',
        'aria-invalid': props.error ? 'true' : 'false',
        'aria-describedby': props.error ? 'plate-error' : undefined,
        style: 'flex: 3 1 auto; font-size: 24px; letter-spacing: 2px',
        onInput: (e: Event) => props.onChange((e.target as HTMLInputElement).value.toUpperCase()),
      }),
      h(
        'button',
        {
          type: 'button',
          disabled: props.disabled,
          'aria-label': L('删除一个字', 'Delete one character'),
          onClick: () => props.onChange([...props.value].slice(0, -1).join('')),
        },
        '⌫',
      ),
    ),
    props.error ? h('div', { id: 'plate-error', class: 'field-error', role: 'alert' }, props.error) : null,
    h(
      'div',
      { class: 'row', style: 'margin-top:6px' },
      h(
        'button',
        {
          type: 'button',
          disabled: props.disabled,
          'aria-pressed': pad === 'province' ? 'true' : 'false',
          onClick: () => setPad(pad === 'province' ? null : 'province'),
        },
        L('省份', 'Province'),
      ),
      h(
        'button',
        {
          type: 'button',
          disabled: props.disabled,
          'aria-pressed': pad === 'letters' ? 'true' : 'false',
          onClick: () => setPad(pad === 'letters' ? null : 'letters'),
        },
        'ABC 123',
      ),
      h(
        'button',
        { type: 'button', disabled: props.disabled, onClick: () => props.onChange('') },
        L('清空', 'Clear'),
      ),
    ),
    pad
      ? h(
          'div',
          {
            class: 'keypad',
            role: 'group',
            'aria-label': pad === 'province' ? L('省份简称', 'Provinces') : L('字母数字', 'Letters'),
          },
          keys.map((c) => h('button', { key: c, type: 'button', onClick: () => type(c) }, c)),
        )
      : null,
  );
}

/** Plate colour chips; the chosen one is pressed. */
export function ColourChips(props: { value: number; onChange: (c: number) => void; disabled?: boolean }) {
  return h(
    'div',
    null,
    h(
      'div',
      { id: 'colour-label', style: 'font-weight:700;margin:8px 0 4px' },
      L('实际车牌颜色', 'Actual plate colour'),
    ),
    h(
      'div',
      { class: 'chips', role: 'group', 'aria-labelledby': 'colour-label' },
      [...PLATE_COLOURS.entries()]
        .filter(([c]) => c !== 9)
        .map(([code, name]) =>
          h(
            'button',
            {
              key: code,
              type: 'button',
              disabled: props.disabled,
              'data-colour': code,
              'aria-pressed': props.value === code ? 'true' : 'false',
              onClick: () => props.onChange(code),
            },
            name,
          ),
        ),
    ),
  );
}
