import { VEHICLE_CLASSES, VEHICLE_KINDS } from '@tollpad/domain';
import { type ComponentChildren, h } from 'preact';
import { L } from '../i18n';
import { Panel } from './common';

/** A labelled select of coded values (label and select side by side in the panel). */
function codeSelect(props: {
  id: string;
  label: string;
  value: number | null;
  options: readonly { code: number; name: string }[];
  disabled: boolean;
  onChange: (code: number) => void;
}) {
  return [
    h('label', { for: props.id }, props.label),
    h(
      'select',
      {
        id: props.id,
        value: String(props.value ?? ''),
        disabled: props.disabled,
        onChange: (e: Event) => props.onChange(Number((e.target as HTMLSelectElement).value)),
      },
      props.options.map((o) => h('option', { key: o.code, value: String(o.code) }, `${o.code} ${o.name}`)),
    ),
  ];
}

/** 出口信息: the vehicle class and kind the fee is computed for, and 【算费】, for any medium. */
export function VehiclePanel(props: {
  vehicleClass: number | null;
  vehicleKind: number | null;
  disabled: boolean;
  canPrice: boolean;
  pricing: boolean;
  /** Shown under 【算费】 while the image data is still to be submitted. */
  hint: string | null;
  onClass: (code: number) => void;
  onKind: (code: number) => void;
  onPrice: () => void;
  /** More inputs the fee needs, before 【算费】 (e.g. the entry station the driver states). */
  children?: ComponentChildren;
}) {
  return h(
    Panel,
    { title: L('出口信息', 'Exit information'), testId: 'exit-info' },
    ...codeSelect({
      id: 'vclass',
      label: L('车型', 'Vehicle class'),
      value: props.vehicleClass,
      options: VEHICLE_CLASSES,
      disabled: props.disabled,
      onChange: props.onClass,
    }),
    ...codeSelect({
      id: 'vkind',
      label: L('车种', 'Vehicle kind'),
      value: props.vehicleKind,
      options: VEHICLE_KINDS,
      disabled: props.disabled,
      onChange: props.onKind,
    }),
    props.children,
    h(
      'button',
      {
        type: 'button',
        class: 'primary',
        style: 'margin-top:8px',
        'data-testid': 'compute-fee',
        disabled: !props.canPrice,
        onClick: props.onPrice,
      },
      props.pricing ? L('正在算费…', 'Computing…') : '【算费】',
    ),
    props.hint ? h('p', null, props.hint) : null,
  );
}
