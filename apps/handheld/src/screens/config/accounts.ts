import { type Account, ROLES, type Role } from '@tollpad/station-api';
import { h } from 'preact';
import { useState } from 'preact/hooks';
import type { ConfigClient } from '../../api/config-client';
import { L } from '../../i18n';
import { ErrorBox, Panel } from '../../ui/common';
import { beijingTime, useSection } from './change';

const ROLE_NAMES: Record<Role, string> = { collector: '收费员', monitor: '班长/监控员', admin: '管理员' };

function roleName(r: Role): string {
  return L(ROLE_NAMES[r], r);
}

/**
 * 账号: an admin creates, disables, unlocks, resets passwords and changes roles; a monitor (班长) sees the
 * collectors and unlocks them. The station decides what each may do; the screen only offers it.
 */
export function AccountsSection(props: {
  config: ConfigClient;
  isAdmin: boolean;
  selfId: string | undefined;
}) {
  const { config, isAdmin, selfId } = props;
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [pw, setPw] = useState<Record<string, string>>({});
  const [roleOf, setRoleOf] = useState<Record<string, Role>>({});
  const [fresh, setFresh] = useState<{ username: string; displayName: string; role: Role; password: string }>(
    {
      username: '',
      displayName: '',
      role: 'collector',
      password: '',
    },
  );

  const { error, change } = useSection(async () => setAccounts(await config.accounts()));
  const who = (a: Account) => `${a.displayName}（${a.username}）`;

  const unlock = (a: Account) =>
    change.ask(L(`解锁账号 ${who(a)}？`, `Unlock ${a.username}?`), async () => {
      await config.unlock(a.id);
      return L(`已解锁 ${who(a)}，可以重新登录`, `${a.username} unlocked`);
    });
  const disable = (a: Account, disabled: boolean) =>
    change.ask(
      disabled
        ? L(`停用账号 ${who(a)}？停用后立即不能登录和操作。`, `Disable ${a.username}?`)
        : L(`启用账号 ${who(a)}？`, `Enable ${a.username}?`),
      async () => {
        await config.setDisabled(a.id, disabled);
        return disabled
          ? L(`已停用 ${who(a)}`, `${a.username} disabled`)
          : L(`已启用 ${who(a)}`, `${a.username} enabled`);
      },
    );
  const reset = (a: Account) =>
    change.ask(
      L(`重置 ${who(a)} 的密码？该账号已登录的设备都须重新登录。`, `Reset the password of ${a.username}?`),
      async () => {
        await config.resetPassword(a.id, pw[a.id] ?? '');
        setPw({ ...pw, [a.id]: '' });
        return L(`已重置 ${who(a)} 的密码`, `Password of ${a.username} reset`);
      },
    );
  const setRole = (a: Account) => {
    const role = roleOf[a.id] ?? a.role;
    change.ask(
      L(
        `将 ${who(a)} 的角色由「${roleName(a.role)}」改为「${roleName(role)}」？`,
        `Make ${a.username} ${role}?`,
      ),
      async () => {
        await config.setRole(a.id, role);
        return L(`${who(a)} 现在是${roleName(role)}`, `${a.username} is now ${role}`);
      },
    );
  };
  const create = () =>
    change.ask(
      L(
        `新建账号 ${fresh.displayName}（${fresh.username}），角色「${roleName(fresh.role)}」？`,
        `Create ${fresh.username}?`,
      ),
      async () => {
        await config.createAccount(fresh);
        const name = fresh.username;
        setFresh({ username: '', displayName: '', role: 'collector', password: '' });
        return L(`已新建账号 ${name}`, `${name} created`);
      },
    );

  const field = (id: string, label: string, value: string, set: (v: string) => void, type = 'text') => [
    h('label', { for: id }, label),
    h('input', {
      id,
      type,
      value,
      autocomplete: type === 'password' ? 'new-password' : 'off',
      onInput: (e: Event) => set((e.target as HTMLInputElement).value),
    }),
  ];

  return h(
    Panel,
    { title: L('账号', 'Accounts'), testId: 'config-accounts' },
    h(ErrorBox, { error }),
    change.view,
    !isAdmin ? h('p', null, L('班长可查看并解锁收费员账号。', 'Monitors may unlock collectors.')) : null,
    accounts === null
      ? h('p', null, L('正在加载…', 'Loading…'))
      : h(
          'ul',
          { class: 'config-list' },
          accounts.map((a) =>
            h(
              'li',
              { key: a.id, 'data-testid': `account-row-${a.username}` },
              h('div', { class: 'big' }, who(a)),
              h(
                'div',
                null,
                `${roleName(a.role)} · `,
                h(
                  'strong',
                  { class: a.disabled || a.lockedUntil ? 'bad' : 'ok', 'data-testid': 'account-state' },
                  a.disabled
                    ? L('已停用', 'disabled')
                    : a.lockedUntil
                      ? L(`已锁定至 ${beijingTime(a.lockedUntil)}`, `locked until ${a.lockedUntil}`)
                      : L('正常', 'active'),
                ),
                a.demo ? ` · ${L('演示账号 (TEST)', 'demo (TEST)')}` : '',
              ),
              h(
                'div',
                { class: 'row' },
                a.lockedUntil
                  ? h(
                      'button',
                      { type: 'button', 'data-testid': `unlock-${a.username}`, onClick: () => unlock(a) },
                      '【解锁】',
                    )
                  : null,
                isAdmin && a.id !== selfId
                  ? h(
                      'button',
                      {
                        type: 'button',
                        class: a.disabled ? '' : 'danger',
                        onClick: () => disable(a, !a.disabled),
                      },
                      a.disabled ? L('【启用账号】', 'Enable') : L('【停用账号】', 'Disable'),
                    )
                  : null,
              ),
              isAdmin
                ? h(
                    'details',
                    null,
                    h('summary', null, L('重置密码 / 修改角色', 'Password / role')),
                    ...field(
                      `pw-${a.id}`,
                      L('新密码', 'New password'),
                      pw[a.id] ?? '',
                      (v) => setPw({ ...pw, [a.id]: v }),
                      'password',
                    ),
                    h(
                      'button',
                      { type: 'button', disabled: !(pw[a.id] ?? ''), onClick: () => reset(a) },
                      L('【重置密码】', 'Reset password'),
                    ),
                    a.id !== selfId
                      ? [
                          h('label', { for: `role-${a.id}` }, L('角色', 'Role')),
                          h(
                            'select',
                            {
                              id: `role-${a.id}`,
                              value: roleOf[a.id] ?? a.role,
                              onChange: (e: Event) =>
                                setRoleOf({
                                  ...roleOf,
                                  [a.id]: (e.target as HTMLSelectElement).value as Role,
                                }),
                            },
                            ROLES.map((r) => h('option', { key: r, value: r }, roleName(r))),
                          ),
                          h(
                            'button',
                            {
                              type: 'button',
                              disabled: (roleOf[a.id] ?? a.role) === a.role,
                              onClick: () => setRole(a),
                            },
                            L('【修改角色】', 'Change role'),
                          ),
                        ]
                      : null,
                  )
                : null,
            ),
          ),
        ),
    isAdmin
      ? h(
          'details',
          { 'data-testid': 'new-account' },
          h('summary', null, L('新建账号', 'New account')),
          ...field('new-username', L('账号（字母、数字、_.-）', 'Username'), fresh.username, (v) =>
            setFresh({ ...fresh, username: v }),
          ),
          ...field('new-display', L('姓名', 'Name'), fresh.displayName, (v) =>
            setFresh({ ...fresh, displayName: v }),
          ),
          h('label', { for: 'new-role' }, L('角色', 'Role')),
          h(
            'select',
            {
              id: 'new-role',
              value: fresh.role,
              onChange: (e: Event) =>
                setFresh({ ...fresh, role: (e.target as HTMLSelectElement).value as Role }),
            },
            ROLES.map((r) => h('option', { key: r, value: r }, roleName(r))),
          ),
          ...field(
            'new-password',
            L('初始密码（至少8位，含两类字符）', 'Password (8+ chars, two kinds)'),
            fresh.password,
            (v) => setFresh({ ...fresh, password: v }),
            'password',
          ),
          h(
            'button',
            {
              type: 'button',
              'data-testid': 'create-account',
              disabled: !fresh.username || !fresh.displayName || !fresh.password,
              onClick: create,
            },
            L('【新建账号】', 'Create'),
          ),
        )
      : null,
  );
}
