import { type ComponentChild, h } from 'preact';
import { useMemo } from 'preact/hooks';
import { ConfigClient } from '../../api/config-client';
import { L } from '../../i18n';
import { type AppServices, type ConfigSection, navigate } from '../../services';
import { ErrorBox, TopBar } from '../../ui/common';
import { AccountsSection } from './accounts';
import { LanesSection } from './lanes';
import { TerminalsSection } from './terminals';
import { VersionsSection } from './versions';
import './config.css';

const SECTIONS: readonly { id: ConfigSection; zh: string; en: string }[] = [
  { id: 'lanes', zh: '车道', en: 'Lanes' },
  { id: 'terminals', zh: '终端与PSAM', en: 'Handhelds' },
  { id: 'accounts', zh: '账号', en: 'Accounts' },
  { id: 'versions', zh: '版本与同步', en: 'Versions' },
];

/**
 * 系统配置: for an admin every section with its changes; a monitor sees them and may unlock collectors; a
 * collector is refused (the station refuses their calls too). Phone first; a desktop gets a side menu.
 */
export function ConfigScreen(props: { services: AppServices; section: ConfigSection }) {
  const { services, section } = props;
  const config = useMemo(() => new ConfigClient(services.client), [services.client]);
  const account = services.session.account;
  const role = account?.role;
  const back = () => navigate({ name: role === 'monitor' ? 'monitor' : 'home' });

  if (role !== 'admin' && role !== 'monitor') {
    return h(
      'div',
      { 'data-testid': 'config-refused' },
      h(TopBar, { title: L('系统配置', 'Configuration'), onBack: back }),
      h(
        'main',
        null,
        h(ErrorBox, {
          error: {
            code: 'STN_ERR_AUTH_FORBIDDEN',
            message: L(
              '系统配置仅限管理员和班长使用，收费员无权查看',
              'Configuration is for admins and monitors',
            ),
            action: L('请返回ETC联动主页；如需修改配置请联系管理员', 'Go back to the home screen'),
          },
        }),
        h('button', { type: 'button', class: 'primary', onClick: back }, L('返回主页', 'Home')),
      ),
    );
  }
  const isAdmin = role === 'admin';
  let body: ComponentChild;
  switch (section) {
    case 'terminals':
      body = h(TerminalsSection, { config, canEdit: isAdmin });
      break;
    case 'accounts':
      body = h(AccountsSection, { config, isAdmin, selfId: account?.id });
      break;
    case 'versions':
      body = h(VersionsSection, { config, canSync: isAdmin });
      break;
    default:
      body = h(LanesSection, { config, client: services.client, canEdit: isAdmin });
  }
  return h(
    'div',
    { class: 'config', 'data-testid': 'config' },
    h(TopBar, { title: L('系统配置', 'Configuration'), onBack: back }),
    h(
      'div',
      { class: 'config-body' },
      h(
        'nav',
        { class: 'config-nav', 'aria-label': L('系统配置分区', 'Configuration sections') },
        SECTIONS.map((s) =>
          h(
            'a',
            {
              key: s.id,
              class: 'btn',
              href: `#/config/${s.id}`,
              'data-testid': `config-nav-${s.id}`,
              'aria-current': s.id === section ? 'page' : undefined,
            },
            L(s.zh, s.en),
          ),
        ),
      ),
      h('main', null, body),
    ),
  );
}
