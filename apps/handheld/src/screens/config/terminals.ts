import type { PsamCentreState, Terminal, TerminalPsamState } from '@tollpad/station-api';
import { h } from 'preact';
import { useState } from 'preact/hooks';
import type { ConfigClient } from '../../api/config-client';
import { L } from '../../i18n';
import { ErrorBox, Panel } from '../../ui/common';
import { beijingTime, useSection } from './change';

const PSAM_NO = /^[0-9A-Fa-f]{12}$/;

const AUTH_LABEL: Record<PsamCentreState, [zh: string, en: string]> = {
  authorised: ['已授权', 'authorised'],
  revoked: ['已停用（中心拒绝授权）', 'revoked at the centre'],
  never: ['中心无授权记录（开班时授权）', 'never authorised'],
  'other-station': ['中心记录为其他收费站的 PSAM，请核对终端号', "another station's PSAM at the centre"],
  unreachable: ['中心暂无应答，稍后刷新', 'centre unreachable'],
  'not-configured': ['本站未连接省中心', 'no centre configured'],
};

/** The PSAM's authorisation at the centre, as the station just asked it. */
function PsamAuth(props: { state: TerminalPsamState | undefined; loading: boolean }) {
  const { state, loading } = props;
  const text = state
    ? L(...AUTH_LABEL[state.state]) +
      (state.at ? ` · ${beijingTime(state.at)}` : '') +
      (state.laneId ? ` · ${L('车道', 'lane')} ${state.laneId}` : '')
    : loading
      ? L('正在向中心查询…', 'Asking the centre…')
      : L('未知', 'unknown');
  return h(
    'div',
    { 'data-testid': 'psam-auth', 'data-state': state?.state ?? (loading ? 'loading' : 'unknown') },
    `${L('中心授权', 'Centre authorisation')}：`,
    h('strong', null, text),
  );
}

/** 手持终端与PSAM: each handheld, the PSAM bound to it, bind and unbind, register a new handheld. */
export function TerminalsSection(props: { config: ConfigClient; canEdit: boolean }) {
  const { config, canEdit } = props;
  const [terminals, setTerminals] = useState<Terminal[] | null>(null);
  const [auth, setAuth] = useState<Map<string, TerminalPsamState> | null>(null);
  const [psamInput, setPsamInput] = useState<Record<string, string>>({});
  const [fresh, setFresh] = useState({ id: '', psam: '', description: '' });

  const { error, change } = useSection(async () => {
    setTerminals(await config.terminals());
    // Asked once the list is on screen, not awaited: the centre may be slow (the station bounds the wait).
    setAuth(null);
    void config.psamStates().then(
      (states) => setAuth(new Map(states.map((s) => [s.terminalId, s]))),
      () => setAuth(new Map()),
    );
  });

  const bind = (t: Terminal) => {
    const psam = (psamInput[t.id] ?? '').trim().toUpperCase();
    change.ask(L(`将 PSAM ${psam} 绑定到手持终端 ${t.id}？`, `Bind PSAM ${psam} to ${t.id}?`), async () => {
      await config.bindPsam(t.id, psam);
      return L(`已将 PSAM ${psam} 绑定到 ${t.id}`, `PSAM ${psam} bound to ${t.id}`);
    });
  };
  const unbind = (t: Terminal) =>
    change.ask(
      L(
        `解绑手持终端 ${t.id} 的 PSAM ${t.psamTerminalNo ?? ''}？解绑后该终端不能收费，直到重新绑定。`,
        `Unbind the PSAM of ${t.id}? It cannot collect until bound again.`,
      ),
      async () => {
        await config.unbindPsam(t.id);
        return L(`已解绑 ${t.id} 的 PSAM`, `PSAM of ${t.id} unbound`);
      },
    );
  const setEnabled = (t: Terminal, enabled: boolean) =>
    change.ask(
      enabled
        ? L(`启用手持终端 ${t.id}？`, `Enable ${t.id}?`)
        : L(`停用手持终端 ${t.id}？`, `Disable ${t.id}?`),
      async () => {
        if (!t.psamTerminalNo) throw new Error('no PSAM');
        await config.putTerminal(t.id, {
          psamTerminalNo: t.psamTerminalNo,
          description: t.description,
          enabled,
        });
        return enabled ? L(`已启用 ${t.id}`, `${t.id} enabled`) : L(`已停用 ${t.id}`, `${t.id} disabled`);
      },
    );
  const register = () =>
    change.ask(
      L(`登记手持终端 ${fresh.id}，绑定 PSAM ${fresh.psam.toUpperCase()}？`, `Register ${fresh.id}?`),
      async () => {
        await config.putTerminal(fresh.id.trim(), {
          psamTerminalNo: fresh.psam.trim().toUpperCase(),
          description: fresh.description,
          enabled: true,
        });
        setFresh({ id: '', psam: '', description: '' });
        return L(`已登记 ${fresh.id}`, `${fresh.id} registered`);
      },
    );

  return h(
    Panel,
    { title: L('手持终端与PSAM', 'Handhelds and PSAMs'), testId: 'config-terminals' },
    h(ErrorBox, { error }),
    change.view,
    terminals === null
      ? h('p', null, L('正在加载…', 'Loading…'))
      : h(
          'ul',
          { class: 'config-list' },
          terminals.map((t) =>
            h(
              'li',
              { key: t.id, 'data-testid': `terminal-row-${t.id}` },
              h('div', { class: 'big' }, t.id),
              h('div', { class: 'muted' }, t.description || '—'),
              h(
                'div',
                null,
                `PSAM ${L('终端号', 'terminal no.')}：`,
                h('strong', { 'data-testid': 'terminal-psam' }, t.psamTerminalNo ?? L('未绑定', 'none')),
                ` · ${t.enabled ? L('已启用', 'enabled') : L('已停用', 'disabled')}`,
              ),
              t.psamTerminalNo
                ? h(PsamAuth, {
                    state: auth?.get(t.id),
                    loading: auth === null,
                  })
                : null,
              h('div', { class: 'muted' }, `${L('更新于', 'Updated')} ${beijingTime(t.updatedAt)}`),
              canEdit
                ? t.psamTerminalNo
                  ? h(
                      'div',
                      { class: 'row' },
                      h(
                        'button',
                        { type: 'button', 'data-testid': `unbind-${t.id}`, onClick: () => unbind(t) },
                        '【解绑PSAM】',
                      ),
                      h(
                        'button',
                        { type: 'button', onClick: () => setEnabled(t, !t.enabled) },
                        t.enabled ? L('【停用终端】', 'Disable') : L('【启用终端】', 'Enable'),
                      ),
                    )
                  : h(
                      'div',
                      null,
                      h(
                        'label',
                        { for: `psam-${t.id}` },
                        L('PSAM 终端号（12位十六进制）', 'PSAM terminal no.'),
                      ),
                      h('input', {
                        id: `psam-${t.id}`,
                        value: psamInput[t.id] ?? '',
                        autocomplete: 'off',
                        onInput: (e: Event) =>
                          setPsamInput({ ...psamInput, [t.id]: (e.target as HTMLInputElement).value }),
                      }),
                      h(
                        'button',
                        {
                          type: 'button',
                          'data-testid': `bind-${t.id}`,
                          disabled: !PSAM_NO.test((psamInput[t.id] ?? '').trim()),
                          onClick: () => bind(t),
                        },
                        '【绑定PSAM】',
                      ),
                    )
                : null,
            ),
          ),
        ),
    canEdit
      ? h(
          'details',
          null,
          h('summary', null, L('登记新手持终端', 'Register a handheld')),
          h('label', { for: 'new-terminal-id' }, L('终端编号', 'Handheld ID')),
          h('input', {
            id: 'new-terminal-id',
            value: fresh.id,
            onInput: (e: Event) => setFresh({ ...fresh, id: (e.target as HTMLInputElement).value }),
          }),
          h('label', { for: 'new-terminal-psam' }, L('PSAM 终端号（12位十六进制）', 'PSAM terminal no.')),
          h('input', {
            id: 'new-terminal-psam',
            value: fresh.psam,
            onInput: (e: Event) => setFresh({ ...fresh, psam: (e.target as HTMLInputElement).value }),
          }),
          h('label', { for: 'new-terminal-desc' }, L('说明', 'Description')),
          h('input', {
            id: 'new-terminal-desc',
            value: fresh.description,
            onInput: (e: Event) => setFresh({ ...fresh, description: (e.target as HTMLInputElement).value }),
          }),
          h(
            'button',
            {
              type: 'button',
              disabled: fresh.id.trim() === '' || !PSAM_NO.test(fresh.psam.trim()),
              onClick: register,
            },
            L('【登记终端】', 'Register'),
          ),
        )
      : null,
  );
}
