import { describe, expect, it } from 'vitest';
import { progressMessage } from './progress';
import { PHASES } from './states';

describe('progressMessage', () => {
  it('tells the collector why they wait while the payer confirms', () => {
    expect(progressMessage('user-paying')).toBe('请顾客在手机上输入支付密码');
    expect(progressMessage('user-paying', 'dynamic')).toContain('扫描');
    expect(progressMessage('unknown')).toContain('勿重复收费');
  });

  it('has a Chinese line for every phase', () => {
    for (const phase of PHASES) expect(progressMessage(phase)).toMatch(/[\u4e00-\u9fff]/);
  });
});
