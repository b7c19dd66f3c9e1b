/**
 * Hand-written SVG charts for the report (no dependency): a time-series line chart with shaded
 * windows (outages, slow links) and tick marks (kills), and a horizontal bar chart.
 */

export interface Series {
  name: string;
  colour: string;
  /** stroke-dasharray, e.g. `4,3` (a p95 beside its p50 in the same colour). */
  dash?: string;
  points: readonly (readonly [number, number])[];
}

export interface Band {
  from: number;
  to: number;
  colour: string;
  label: string;
}

export interface LineChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  bands?: readonly Band[];
  /** Vertical markers (e.g. station kills). */
  marks?: readonly { at: number; colour: string; label: string }[];
  width?: number;
  height?: number;
}

export function escapeXml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** 1-2-5 "nice" tick step for a span divided into about `n` parts. */
export function niceStep(span: number, n = 5): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

const dash = (s: Series) => (s.dash ? ` stroke-dasharray="${escapeXml(s.dash)}"` : '');

const fmt = (v: number) => (Math.abs(v) >= 1000 ? `${Math.round(v)}` : `${Number(v.toPrecision(3))}`);

export function lineChart(spec: LineChartSpec): string {
  const W = spec.width ?? 760;
  const H = spec.height ?? 260;
  const m = { l: 56, r: 12, t: 28, b: 40 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const xs = spec.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = spec.series.flatMap((s) => s.points.map((p) => p[1]));
  const x0 = xs.length ? Math.min(...xs) : 0;
  const x1 = xs.length ? Math.max(...xs) : 1;
  const yMax = ys.length ? Math.max(...ys, 0) : 1;
  const xSpan = x1 > x0 ? x1 - x0 : 1;
  const yStep = niceStep(yMax || 1);
  const yTop = Math.max(yStep, Math.ceil((yMax || 1) / yStep) * yStep);
  const sx = (x: number) => m.l + ((x - x0) / xSpan) * pw;
  const sy = (y: number) => m.t + ph - (y / yTop) * ph;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="sans-serif" font-size="11" role="img" aria-label="${escapeXml(spec.title)}">`,
  );
  out.push(`<title>${escapeXml(spec.title)}</title>`);
  out.push(`<text x="${m.l}" y="16" font-size="13" font-weight="bold">${escapeXml(spec.title)}</text>`);
  for (const b of spec.bands ?? []) {
    const a = sx(Math.max(b.from, x0));
    const z = sx(Math.min(b.to, x1));
    if (z <= a) continue;
    out.push(
      `<rect class="band" x="${a.toFixed(1)}" y="${m.t}" width="${(z - a).toFixed(1)}" height="${ph}" fill="${b.colour}" fill-opacity="0.18"><title>${escapeXml(b.label)}</title></rect>`,
    );
  }
  for (let y = 0; y <= yTop + 1e-9; y += yStep) {
    out.push(
      `<line x1="${m.l}" x2="${m.l + pw}" y1="${sy(y).toFixed(1)}" y2="${sy(y).toFixed(1)}" stroke="#ddd"/>`,
    );
    out.push(`<text x="${m.l - 4}" y="${(sy(y) + 4).toFixed(1)}" text-anchor="end">${fmt(y)}</text>`);
  }
  const xStep = niceStep(xSpan, 8);
  for (let x = Math.ceil(x0 / xStep) * xStep; x <= x1 + 1e-9; x += xStep) {
    out.push(`<text x="${sx(x).toFixed(1)}" y="${m.t + ph + 14}" text-anchor="middle">${fmt(x)}</text>`);
  }
  for (const mk of spec.marks ?? []) {
    if (mk.at < x0 || mk.at > x1) continue;
    out.push(
      `<line class="mark" x1="${sx(mk.at).toFixed(1)}" x2="${sx(mk.at).toFixed(1)}" y1="${m.t}" y2="${m.t + ph}" stroke="${mk.colour}" stroke-dasharray="2,2"><title>${escapeXml(mk.label)}</title></line>`,
    );
  }
  out.push(
    `<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`,
    `<text x="${m.l + pw / 2}" y="${H - 6}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`,
    `<text x="12" y="${m.t + ph / 2}" text-anchor="middle" transform="rotate(-90 12 ${m.t + ph / 2})">${escapeXml(spec.yLabel)}</text>`,
  );
  spec.series.forEach((s, i) => {
    if (s.points.length > 0) {
      const d = s.points
        .map((p, j) => `${j === 0 ? 'M' : 'L'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`)
        .join('');
      out.push(
        `<path class="series" d="${d}" fill="none" stroke="${s.colour}" stroke-width="1.5"${dash(s)}/>`,
      );
    }
    const lx = m.l + pw - 150;
    const ly = m.t + 12 + i * 14;
    out.push(
      `<line x1="${lx}" x2="${lx + 16}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.colour}" stroke-width="2"${dash(s)}/>`,
      `<text x="${lx + 20}" y="${ly}">${escapeXml(s.name)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}

export function barChart(spec: {
  title: string;
  bars: readonly { label: string; value: number; colour?: string }[];
  width?: number;
}): string {
  const W = spec.width ?? 760;
  const row = 20;
  const m = { l: 220, r: 60, t: 28 };
  const H = m.t + spec.bars.length * row + 10;
  const max = Math.max(1, ...spec.bars.map((b) => b.value));
  const pw = W - m.l - m.r;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="sans-serif" font-size="11" role="img" aria-label="${escapeXml(spec.title)}">`,
    `<title>${escapeXml(spec.title)}</title>`,
    `<text x="4" y="16" font-size="13" font-weight="bold">${escapeXml(spec.title)}</text>`,
  ];
  spec.bars.forEach((b, i) => {
    const y = m.t + i * row;
    const w = Math.max(0, (b.value / max) * pw);
    out.push(
      `<text x="${m.l - 6}" y="${y + 14}" text-anchor="end">${escapeXml(b.label)}</text>`,
      `<rect class="bar" x="${m.l}" y="${y + 3}" width="${w.toFixed(1)}" height="${row - 6}" fill="${b.colour ?? '#4a7ab5'}"/>`,
      `<text x="${(m.l + w + 4).toFixed(1)}" y="${y + 14}">${b.value}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}
