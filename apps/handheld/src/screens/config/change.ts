import { type ComponentChild, h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { toUserFacing, type UserFacingError } from '../../errors';
import { L } from '../../i18n';
import { ErrorBox } from '../../ui/common';

/** A change waiting for 【确认】: what will change, said in full, and the call that makes it. */
interface Pending {
  text: string;
  run: () => Promise<string>;
}

/**
 * A section's data: loaded when the section opens and again after every change; a failed load is shown,
 * with what to do, until one succeeds. Changes go through the returned {@link useChange}.
 */
export function useSection(load: () => Promise<void>) {
  const [error, setError] = useState<UserFacingError | null>(null);
  const reload = async () => {
    try {
      await load();
      setError(null);
    } catch (e) {
      setError(toUserFacing(e));
    }
  };
  useEffect(() => {
    void reload();
  }, []);
  return { error, change: useChange(reload) };
}

/**
 * Every configuration change goes through here: asked, confirmed on screen, then done; the station's
 * answer (its success line, or its refusal with code and what to do) replaces the question.
 */
export function useChange(after: () => Promise<void>) {
  const [pending, setPending] = useState<Pending | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<UserFacingError | null>(null);
  const [busy, setBusy] = useState(false);

  const ask = (text: string, run: () => Promise<string>) => {
    setDone(null);
    setError(null);
    setPending({ text, run });
  };
  const confirm = async () => {
    if (!pending) return;
    setBusy(true);
    try {
      setDone(await pending.run());
    } catch (e) {
      setError(toUserFacing(e));
    } finally {
      setBusy(false);
      setPending(null);
    }
    await after().catch(() => undefined);
  };

  const view: ComponentChild = h(
    'div',
    { 'aria-live': 'polite' },
    pending
      ? h(
          'div',
          {
            class: 'notice confirm',
            role: 'alertdialog',
            'aria-labelledby': 'confirm-text',
            'data-testid': 'confirm',
          },
          h('p', { id: 'confirm-text', class: 'big' }, pending.text),
          h(
            'div',
            { class: 'row' },
            h(
              'button',
              {
                type: 'button',
                class: 'primary',
                disabled: busy,
                'data-testid': 'confirm-yes',
                onClick: confirm,
              },
              '【确认】',
            ),
            h(
              'button',
              {
                type: 'button',
                disabled: busy,
                'data-testid': 'confirm-no',
                onClick: () => setPending(null),
              },
              L('【取消】', 'Cancel'),
            ),
          ),
        )
      : null,
    done ? h('div', { class: 'success', role: 'status', 'data-testid': 'change-done' }, done) : null,
    h(ErrorBox, { error, testId: 'change-error' }),
  );
  return { ask, view };
}

/** Beijing wall-clock for an ISO time, as the office reads it. */
export function beijingTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}
