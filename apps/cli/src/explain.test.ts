import { describe, expect, it } from 'vitest';
import { explainId, explainPlate, explainSpecials, explainYuan, listClasses } from './explain';

describe('tollpad CLI explanations', () => {
  it('explains the Shandong trade ID', () => {
    const r = explainId('G002237001003020109102024011715322746');
    expect(r.ok).toBe(true);
    expect(r.lines.join('\n')).toContain('批次 2024011715，批次内流水 322746');
  });
  it('explains a PassID in Beijing time', () => {
    const r = explainId('013701220423235316938920240117122342');
    expect(r.lines.join('\n')).toContain('入口时间 2024-01-17T12:23:42+08:00');
  });
  it('reports typed errors with code and field', () => {
    expect(explainId('G0022')).toMatchObject({ ok: false });
    expect(explainPlate('京A1I345', '0').lines[0]).toMatch(/^错误 PLATE_INVALID \[plate\]: 第4位/);
    expect(explainYuan('1.234').ok).toBe(false);
    expect(explainSpecials('14|x').ok).toBe(false);
  });
  it('lists 16 classes', () => {
    expect(listClasses().lines).toHaveLength(16);
  });
});
