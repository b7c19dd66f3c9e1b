import { type FunctionComponent, h } from 'preact';
import { useState } from 'preact/hooks';
import { L } from '../i18n';
import type { PathClient } from './path-panel';

/** The panel's module, loaded the first time a collector opens a path (it and its map stay off the first screen). */
let panelModule: Promise<typeof import('./path-panel')> | undefined;

/**
 * 【通行路径】 on every exit screen (exit-vehicle-steps.ts): a toggle that loads and shows the exit's path —
 * entry, gantries, exit, the map and the photos — from the station.
 */
export function PathToggle(props: { client: PathClient; exitId: string }) {
  const [open, setOpen] = useState(false);
  const [Panel, setPanel] = useState<FunctionComponent<{ client: PathClient; exitId: string }> | null>(null);
  const toggle = async () => {
    if (open) {
      setOpen(false);
      return;
    }
    setOpen(true);
    if (!Panel) {
      panelModule ??= import('./path-panel');
      const m = await panelModule;
      setPanel(() => m.PathPanel);
    }
  };
  return h(
    'div',
    { class: 'path-toggle' },
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        'data-testid': 'path-toggle',
        'aria-expanded': open,
        onClick: toggle,
      },
      open ? L('收起【通行路径】', 'Hide the path') : L('【通行路径】', 'Path'),
    ),
    open
      ? Panel
        ? h(Panel, { client: props.client, exitId: props.exitId })
        : h('p', { class: 'muted' }, L('正在加载…', 'Loading…'))
      : null,
  );
}
