import type { Fen } from '@tollpad/domain';
import { describe, expect, it } from 'vitest';
import { FeeDisplay, renderDisplay } from './fee-display';

const AT = '2024-01-17T07:30:00.000Z';

describe('fee display', () => {
  it('renders what the driver sees for a fee with a negative account balance', () => {
    expect(
      renderDisplay({
        v: 1,
        at: AT,
        kind: 'fee',
        plate: '鲁A12345',
        plateColour: 0,
        amountFen: 8810 as Fen,
        balanceFen: -25876 as Fen,
        message: '一路顺风',
      }),
    ).toBe('鲁A12345 应收 88.10元 余额 -258.76元 一路顺风');
  });

  it('omits a missing balance and an empty message', () => {
    expect(
      renderDisplay({
        v: 1,
        at: AT,
        kind: 'fee',
        plate: '京A12345',
        plateColour: 0,
        amountFen: 5 as Fen,
        message: '',
      }),
    ).toBe('京A12345 应收 0.05元');
  });

  it('shows notices and clears', () => {
    const lines: string[] = [];
    const d = new FeeDisplay('车道09', (l) => lines.push(l));
    d.show({ v: 1, at: AT, kind: 'notice', message: '请稍候' });
    expect(d.current).toBe('请稍候');
    d.show({ v: 1, at: AT, kind: 'clear' });
    expect(d.current).toBe('');
    expect(lines).toEqual(['[车道09 显示屏] 请稍候', '[车道09 显示屏] （空白）']);
  });
});
