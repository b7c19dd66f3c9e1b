import { describe, expect, it } from 'vitest';
import { barChart, escapeXml, lineChart, niceStep } from './svg-chart';

describe('svg charts', () => {
  it('picks 1-2-5 steps', () => {
    expect(niceStep(100, 5)).toBe(20);
    expect(niceStep(7, 5)).toBe(2);
    expect(niceStep(0.9, 5)).toBeCloseTo(0.2);
    expect(niceStep(0)).toBe(1);
  });

  it('escapes text so a label cannot break the markup', () => {
    expect(escapeXml('<a & "b">')).toBe('&lt;a &amp; &quot;b&quot;&gt;');
    const svg = lineChart({ title: 'x<y', xLabel: 's', yLabel: 'n', series: [] });
    expect(svg).toContain('x&lt;y');
    expect(svg).not.toContain('x<y');
  });

  it('draws one path per series, scaled into the plot, with bands and marks', () => {
    const svg = lineChart({
      title: 'backlog',
      xLabel: 's',
      yLabel: 'records',
      width: 400,
      height: 200,
      series: [
        {
          name: 'backlog',
          colour: '#c00',
          points: [
            [0, 0],
            [10, 50],
            [20, 0],
          ],
        },
        { name: 'other', colour: '#00c', points: [[0, 1]] },
      ],
      bands: [{ from: 5, to: 15, colour: '#f00', label: 'centre outage' }],
      marks: [{ at: 12, colour: '#000', label: 'station SIGKILL' }],
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/class="series"/g)).toHaveLength(2);
    expect(svg.match(/class="band"/g)).toHaveLength(1);
    expect(svg.match(/class="mark"/g)).toHaveLength(1);
    // x: 0..20 over 56..388 (width 400 − margins); y: 0 at 160, the peak (10, 50) at the top (28).
    expect(svg).toContain('M56.0,160.0L222.0,28.0L388.0,160.0');
    expect(svg).toContain('centre outage');
  });

  it('draws bars proportional to their values', () => {
    const svg = barChart({
      title: 'faults',
      width: 500,
      bars: [
        { label: 'tear', value: 100 },
        { label: 'swap', value: 50 },
      ],
    });
    const widths = [...svg.matchAll(/class="bar" x="220" y="[\d.]+" width="([\d.]+)"/g)].map((m) =>
      Number(m[1]),
    );
    expect(widths).toEqual([220, 110]);
  });
});
