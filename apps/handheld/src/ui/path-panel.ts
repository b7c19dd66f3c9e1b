import { type Fen, formatYuan, toIsoBeijing } from '@tollpad/domain';
import type { ExitPath, PathPhoto } from '@tollpad/station-api';
import { type ComponentChildren, h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { StationClient } from '../api/station-client';
import { toUserFacing, type UserFacingError } from '../errors';
import { L } from '../i18n';
import { ErrorBox, Panel } from './common';
import { PathMap } from './path-map';

/** What the panel asks of the station. */
export type PathClient = Pick<StationClient, 'exitPath' | 'pathPhoto'>;

const SOURCE_TEXT: Record<NonNullable<ExitPath['entry']>['source'], string> = {
  card: '卡内入口',
  stated: '司机所述',
  'lane-capture': '入口车道抓拍',
  gantry: '首个门架推定',
};

/** Beijing wall clock, as the collector reads times (records are ISO). */
const clock = (iso: string | null) =>
  iso ? toIsoBeijing(new Date(iso)).slice(5, 19).replace('T', ' ') : '—';

/** A photo of the path: fetched through the station when shown, opened full size on a tap. */
function Thumb(props: { client: PathClient; exitId: string; photo: PathPhoto }) {
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState<UserFacingError | null>(null);
  const [big, setBig] = useState(false);
  useEffect(() => {
    let alive = true;
    let made: string | null = null;
    props.client
      .pathPhoto(props.exitId, props.photo.ref)
      .then((b) => {
        if (!alive) return;
        made = URL.createObjectURL(b);
        setUrl(made);
      })
      .catch((e) => alive && setFailed(toUserFacing(e)));
    return () => {
      alive = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [props.exitId, props.photo.ref]);
  if (failed)
    return h(
      'span',
      { class: 'muted', title: failed.message, 'data-code': failed.code },
      L('照片不可用', 'no photo'),
    );
  if (!url) return h('span', { class: 'muted' }, L('照片加载中', 'loading'));
  return h(
    'span',
    null,
    h('img', {
      src: url,
      alt: L('照片', 'photo'),
      'data-testid': 'path-thumb',
      'data-source': props.photo.source,
      style: 'height:40px;cursor:zoom-in;vertical-align:middle',
      onClick: () => setBig(true),
    }),
    big
      ? h(
          'div',
          {
            role: 'dialog',
            'data-testid': 'path-photo-full',
            style:
              'position:fixed;inset:0;background:rgba(0,0,0,.85);display:flex;align-items:center;justify-content:center;z-index:50',
            onClick: () => setBig(false),
          },
          h('img', {
            src: url,
            alt: L('照片（原图）', 'photo (full size)'),
            style: 'max-width:100%;max-height:100%',
          }),
        )
      : null,
  );
}

/** 【通行路径】: the exit's path as a list (entry, gantries with time and fee, exit) and a map, with its photos. */
export function PathPanel(props: { client: PathClient; exitId: string }) {
  const [path, setPath] = useState<ExitPath | null>(null);
  const [error, setError] = useState<UserFacingError | null>(null);
  useEffect(() => {
    let alive = true;
    props.client
      .exitPath(props.exitId)
      .then((p) => alive && setPath(p))
      .catch((e) => alive && setError(toUserFacing(e)));
    return () => {
      alive = false;
    };
  }, [props.exitId]);
  if (error) return h(ErrorBox, { error, testId: 'path-error' });
  if (!path) return h('p', { class: 'muted' }, L('正在查询通行路径…', 'Asking for the path…'));
  const thumb = (p: PathPhoto | null) =>
    p ? h(Thumb, { client: props.client, exitId: props.exitId, photo: p }) : '';
  const rows: ComponentChildren[] = [];
  if (path.entry)
    rows.push(
      h(
        'tr',
        { key: 'entry', 'data-kind': 'entry' },
        h('td', null, L('入口', 'Entry')),
        h(
          'td',
          null,
          path.entry.name ?? path.entry.station,
          h('div', { class: 'muted' }, SOURCE_TEXT[path.entry.source]),
        ),
        h('td', null, clock(path.entry.time)),
        h('td', null, ''),
        h('td', null, thumb(path.entry.photo)),
      ),
    );
  for (const [i, g] of path.gantries.entries())
    rows.push(
      h(
        'tr',
        { key: `g${i}`, 'data-kind': 'gantry', 'data-observed': String(g.observed) },
        h('td', null, L('门架', 'Gantry')),
        h(
          'td',
          null,
          g.hex,
          h('div', { class: 'muted' }, g.observed ? L('实际通行', 'observed') : L('拟合补全', 'fitted')),
        ),
        h('td', null, clock(g.time)),
        h('td', null, g.fee === null ? '—' : `¥${formatYuan(g.fee as Fen)}`),
        h('td', null, thumb(g.photo)),
      ),
    );
  if (path.exit)
    rows.push(
      h(
        'tr',
        { key: 'exit', 'data-kind': 'exit' },
        h('td', null, L('出口', 'Exit')),
        h('td', null, path.exit.name ?? path.exit.station),
        h('td', null, clock(path.exit.time)),
        h('td', null, ''),
        h('td', null, thumb(path.exit.photo)),
      ),
    );
  return h(
    Panel,
    { title: L('通行路径', 'Path'), testId: 'path-panel' },
    path.note ? h('div', { class: 'alert', 'data-testid': 'path-note' }, path.note) : null,
    h(
      'p',
      { 'data-testid': 'path-source', 'data-source': path.source },
      path.source === 'centre'
        ? L('来源：省中心拟合路径', 'From the centre')
        : L('来源：本站（卡内信息）', 'From the station'),
      path.fit?.ok
        ? ` · ${L('全程', 'total')} ¥${formatYuan(path.fit.fee as Fen)} · ${(path.fit.mileageM / 1000).toFixed(1)} km`
        : '',
    ),
    h(
      'table',
      { 'data-testid': 'path-list' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ...[
            L('节点', 'Node'),
            L('名称', 'Name'),
            L('时间', 'Time'),
            L('费用', 'Fee'),
            L('照片', 'Photo'),
          ].map((t) => h('th', null, t)),
        ),
      ),
      h('tbody', null, ...rows),
    ),
    h(PathMap, { path }),
  );
}
