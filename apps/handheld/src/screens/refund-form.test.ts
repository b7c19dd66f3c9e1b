import type { Refund } from '@tollpad/station-api';
import { describe, expect, it } from 'vitest';
import { newRefundRequestId, reasonProblem, refundAmount, refundOutcome } from './refund-form';

const REFUND: Refund = {
  refundRequestId: 'rf-TEST0001',
  refundNo: 'TP37012443010120261123160000001-1R1',
  payId: 'TP3701244301202611231600000001',
  outTradeNo: 'TP3701244301202611231600000001-1',
  amountFen: 550,
  reason: '重复扣款 (TEST)',
  state: 'refunded',
  message: '',
  refusal: null,
  by: 'monitor-1',
  refundedAt: '2026-12-06T02:00:00.000Z',
  createdAt: '2026-12-06T02:00:00.000Z',
  updatedAt: '2026-12-06T02:00:00.000Z',
};

describe('the monitor’s 【退款】 form', () => {
  it('takes the amount in yuan, never more than is refundable, never zero', () => {
    expect(refundAmount('5.5', 1000)).toEqual({ ok: true, fen: 550 });
    expect(refundAmount('10', 1000)).toEqual({ ok: true, fen: 1000 });
    expect(refundAmount('10.01', 1000)).toMatchObject({
      ok: false,
      message: expect.stringContaining('¥10.00'),
    });
    expect(refundAmount('0', 1000)).toMatchObject({ ok: false });
    expect(refundAmount('五元', 1000)).toMatchObject({ ok: false });
  });

  it('wants a reason a later reader understands', () => {
    expect(reasonProblem(' 退 ')).toContain('至少4个字');
    expect(reasonProblem('重复扣款退回')).toBeNull();
  });

  it('mints a request ID the station accepts, a new one per form', () => {
    const id = newRefundRequestId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(newRefundRequestId()).not.toBe(id);
  });

  it('says each outcome in plain Chinese', () => {
    expect(refundOutcome(REFUND)).toEqual({ tone: 'ok', text: '退款成功 ¥5.50，款项将原路退回顾客' });
    expect(refundOutcome({ ...REFUND, state: 'unknown' }).text).toContain('请勿重复退款');
    expect(refundOutcome({ ...REFUND, state: 'refused', refusal: 'window' }).text).toBe(
      '支付平台拒绝退款（已超过退款期限），未退任何款项',
    );
  });
});
