import type { SyncStatus, VersionsInForce } from '@tollpad/station-api';
import { h } from 'preact';
import { useState } from 'preact/hooks';
import type { ConfigClient } from '../../api/config-client';
import { L } from '../../i18n';
import { ErrorBox, Panel, Table } from '../../ui/common';
import { beijingTime, useSection } from './change';

type Item = {
  version: string | null;
  source: string;
  error: { code: string; reason: string; at: string } | null;
};

/** Only a version from the centre took effect after its publisher's signature was verified. */
function signatureText(i: Item | undefined): string {
  if (!i) return '—';
  const state =
    i.source === 'centre'
      ? L('中心签名已验证', 'centre signature verified')
      : L('本站文件（无中心签名）', 'local file (no centre signature)');
  return i.error
    ? `${state}；${L('最近一次被拒', 'last refused')}：${i.error.code} ${i.error.reason}`
    : state;
}

/** 版本与同步: the tariff and status-list versions in force, their signatures' state, the last sync, 立即同步. */
export function VersionsSection(props: { config: ConfigClient; canSync: boolean }) {
  const { config, canSync } = props;
  const [versions, setVersions] = useState<VersionsInForce | null>(null);
  const [sync, setSync] = useState<SyncStatus | null | undefined>(undefined);

  const { error, change } = useSection(async () => {
    const [v, s] = await Promise.all([config.versions(), config.syncStatus()]);
    setVersions(v);
    setSync(s);
  });
  const syncNow = () =>
    change.ask(
      L('立即从中心同步费率和名单？通过验签的新版本会立即生效。', 'Sync from the centre now?'),
      async () => {
        const s = await config.syncNow();
        return s.lastSuccessAt === s.lastRunAt
          ? L(`同步完成（${beijingTime(s.lastRunAt)}）`, 'Sync done')
          : L(`同步未成功，仍使用原版本（${beijingTime(s.lastRunAt)}）`, 'Sync failed; versions unchanged');
      },
    );

  const rows = versions
    ? [
        {
          key: 'tariff',
          cells: [
            L('费率', 'Tariff'),
            versions.tariff.version,
            beijingTime(versions.tariff.loadedAt),
            signatureText(sync?.tariff),
          ],
        },
        ...Object.entries(versions.lists).map(([kind, v]) => ({
          key: kind,
          cells: [
            `${L('名单', 'List')} ${kind}`,
            v,
            beijingTime(versions.listsLoadedAt),
            signatureText(sync?.lists[kind]),
          ],
        })),
      ]
    : [];
  return h(
    Panel,
    { title: L('在用版本与同步', 'Versions in force and sync'), testId: 'config-versions' },
    h(ErrorBox, { error }),
    change.view,
    h(Table, {
      head: [L('项目', 'Item'), L('版本', 'Version'), L('生效时间', 'Loaded'), L('签名', 'Signature')],
      rows,
      empty: L('正在加载…', 'Loading…'),
    }),
    h(
      'p',
      { 'data-testid': 'sync-state' },
      sync === undefined
        ? '…'
        : sync === null
          ? L('本站未连接中心：只使用本站文件', 'No centre configured: local files only')
          : `${L('最近同步', 'Last sync')}：${beijingTime(sync.lastRunAt)} · ${L('最近成功', 'last success')}：${beijingTime(sync.lastSuccessAt)}`,
    ),
    canSync && sync !== null
      ? h(
          'button',
          { type: 'button', 'data-testid': 'sync-now', onClick: syncNow },
          L('【立即同步】', 'Sync now'),
        )
      : null,
  );
}
