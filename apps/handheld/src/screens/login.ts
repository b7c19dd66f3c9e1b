import { h } from 'preact';
import { useState } from 'preact/hooks';
import { handheldError, toUserFacing, type UserFacingError } from '../errors';
import { L } from '../i18n';
import type { AppServices } from '../services';
import { ErrorBox, TopBar } from '../ui/common';

/** 登录: 工号 + 密码. The station URL and terminal ID are kept from the last login. */
export function LoginScreen(props: { services: AppServices; onLoggedIn: () => void }) {
  const { services } = props;
  const [username, setUsername] = useState(services.session.account?.username ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UserFacingError | null>(null);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    if (!username.trim() || !password) {
      setError(
        toUserFacing(
          handheldError('HH_ERR_LOGIN_FIELDS', { field: username.trim() ? 'password' : 'username' }),
        ),
      );
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await services.client.login(username.trim(), password, services.session.terminalId);
      services.session.account = r.account;
      services.session.signedIn = true;
      services.persistSession();
      props.onLoggedIn();
    } catch (e) {
      // Keep what was typed: only the error changes.
      setError(toUserFacing(e));
    } finally {
      setBusy(false);
    }
  };

  const bad = (f: string) =>
    error?.field === f || (error?.code === 'STN_ERR_AUTH_BAD_CREDENTIALS' && f === 'password');
  return h(
    'div',
    null,
    h(TopBar, { title: L('手持收费终端 · 登录', 'Handheld · Log in') }),
    h(
      'main',
      null,
      h(
        'form',
        { onSubmit: submit, noValidate: true, 'aria-label': L('登录', 'Log in') },
        h('label', { for: 'username' }, L('工号', 'Staff ID')),
        h('input', {
          id: 'username',
          name: 'username',
          autoComplete: 'username',
          value: username,
          'aria-invalid': bad('username') ? 'true' : 'false',
          onInput: (e: Event) => setUsername((e.target as HTMLInputElement).value),
        }),
        h('label', { for: 'password' }, L('密码', 'Password')),
        h('input', {
          id: 'password',
          name: 'password',
          type: 'password',
          autoComplete: 'current-password',
          value: password,
          'aria-invalid': bad('password') ? 'true' : 'false',
          onInput: (e: Event) => setPassword((e.target as HTMLInputElement).value),
        }),
        h(ErrorBox, { error }),
        h(
          'div',
          { style: 'margin-top:16px' },
          h(
            'button',
            { class: 'primary', type: 'submit', disabled: busy },
            busy ? L('正在登录…', 'Logging in…') : '【登录】',
          ),
        ),
        h(
          'p',
          { style: 'font-size:15px' },
          `${L('终端', 'Terminal')}: ${services.session.terminalId} · ${L('服务器', 'Station')}: ${services.client.baseUrl}`,
        ),
      ),
    ),
  );
}
