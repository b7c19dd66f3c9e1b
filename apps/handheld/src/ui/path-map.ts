import type { ExitPath } from '@tollpad/station-api';
import { h } from 'preact';
import { L } from '../i18n';

type At = { x: number; y: number };
interface MapPoint {
  at: At;
  kind: 'entry' | 'gantry' | 'exit';
  label: string;
  observed: boolean;
}

const W = 320;
const H = 200;
const PAD = 18;

/** The path's nodes that the network places (display-only coordinates [P]), in travel order. */
export function mapPoints(path: ExitPath): MapPoint[] {
  const out: MapPoint[] = [];
  if (path.entry?.at)
    out.push({
      at: path.entry.at,
      kind: 'entry',
      label: path.entry.name ?? path.entry.station,
      observed: true,
    });
  for (const g of path.gantries)
    if (g.at) out.push({ at: g.at, kind: 'gantry', label: g.hex, observed: g.observed });
  if (path.exit?.at)
    out.push({ at: path.exit.at, kind: 'exit', label: path.exit.name ?? path.exit.station, observed: true });
  return out;
}

/**
 * A simple map of the path (SVG): entry, gantries and exit where the network's coordinates place them, joined
 * in travel order; gantries reported by the gantry filled, fitted ones hollow. North is up; the scale fits
 * the path into the box (no basemap: the road network's own coordinates are all the handheld has).
 */
export function PathMap(props: { path: ExitPath }) {
  const pts = mapPoints(props.path);
  if (pts.length < 2)
    return h(
      'p',
      { class: 'muted', 'data-testid': 'path-map-none' },
      L('路网未提供坐标，无法画图', 'No coordinates for a map'),
    );
  const xs = pts.map((p) => p.at.x);
  const ys = pts.map((p) => p.at.y);
  const minX = Math.min(...xs);
  const minY = Math.min(...ys);
  const span = Math.max(Math.max(...xs) - minX, Math.max(...ys) - minY, 1);
  const scale = Math.min(W - 2 * PAD, H - 2 * PAD) / span;
  const sx = (x: number) => PAD + (x - minX) * scale;
  // SVG's y grows downwards; north is up on the map.
  const sy = (y: number) => H - PAD - (y - minY) * scale;
  const line = pts.map((p) => `${sx(p.at.x).toFixed(1)},${sy(p.at.y).toFixed(1)}`).join(' ');
  return h(
    'svg',
    {
      viewBox: `0 0 ${W} ${H}`,
      width: '100%',
      role: 'img',
      'aria-label': L('通行路径图', 'Path map'),
      'data-testid': 'path-map',
      style: 'background:#f6f7f9;border-radius:6px',
    },
    h('polyline', { points: line, fill: 'none', stroke: '#2563eb', 'stroke-width': 2.5 }),
    ...pts.map((p, i) =>
      h(
        'g',
        { key: i, 'data-kind': p.kind },
        h('circle', {
          cx: sx(p.at.x),
          cy: sy(p.at.y),
          r: p.kind === 'gantry' ? 4 : 7,
          fill:
            p.kind === 'entry' ? '#16a34a' : p.kind === 'exit' ? '#dc2626' : p.observed ? '#2563eb' : '#fff',
          stroke: '#1e3a8a',
          'stroke-width': 1.5,
        }),
        p.kind === 'gantry'
          ? null
          : h(
              'text',
              { x: sx(p.at.x) + 9, y: sy(p.at.y) - 8, 'font-size': 11, fill: '#111' },
              `${p.kind === 'entry' ? L('入', 'In') : L('出', 'Out')} ${p.label}`,
            ),
      ),
    ),
  );
}
