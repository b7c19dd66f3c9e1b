import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, testPayId } from '../testing/harness';
import { SETTLEMENT_HEADER, TOTALS_HEADER } from './settlement';

describe('daily settlement file', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('lists every payment, reverse and refund of the Beijing day with both numbers, totals per channel', async () => {
    const pay = async (serial: number, authCode: string, amount: number) => {
      const payId = testPayId(serial);
      return (
        await h.signed('POST', '/v1/micropay', { outTradeNo: `${payId}-1`, payId, amount, authCode })
      ).json();
    };
    const w1 = await pay(500, '134500000000005001', 1000);
    const w2 = await pay(501, '134500000000005011', 2500);
    const a1 = await pay(502, '2812345678905021', 700);
    await pay(503, '134500000000000004', 999); // declined: no line
    // Another merchant's payment never shows.
    const payId = testPayId(504);
    await h.signed(
      'POST',
      '/v1/micropay',
      { outTradeNo: `${payId}-1`, payId, amount: 5, authCode: '134500000000005041' },
      { merchant: h.other },
    );
    h.clock.advance(20_000);
    await h.signed('POST', `/v1/orders/${w2.outTradeNo}/reverse`);
    await h.signed('POST', `/v1/orders/${a1.outTradeNo}/refunds`, { outRefundNo: 'R502', amount: 200 });

    const early = await h.signed('GET', '/v1/settlements/2026-12-06');
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({
      code: 'PGW_ERR_SETTLEMENT_NOT_READY',
      detail: '2026-12-07T01:00:00.000Z',
    });

    h.clock.freeze(new Date('2026-12-07T01:00:00.000Z')); // 09:00 Beijing the next day
    const res = await h.signed('GET', '/v1/settlements/2026-12-06');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.body.trim().split('\n');
    expect(lines[0]).toContain('TEST');
    const header = lines.indexOf(SETTLEMENT_HEADER);
    const totals = lines.indexOf(TOTALS_HEADER);
    const rows = lines.slice(header + 1, totals - 1).map((l) => l.split(','));
    expect(rows.map((r) => [r[1], r[2], r[3], r[8]])).toEqual([
      ['PAY', 'WECHAT', w1.outTradeNo, '1000'],
      ['PAY', 'WECHAT', w2.outTradeNo, '2500'],
      ['PAY', 'ALIPAY', a1.outTradeNo, '700'],
      ['REVERSE', 'WECHAT', w2.outTradeNo, '2500'],
      ['REFUND', 'ALIPAY', a1.outTradeNo, '200'],
    ]);
    expect(rows[0]?.[4]).toBe(w1.orderNo);
    expect(rows[4]?.[6]).toBe('R502');
    expect(rows[4]?.[7]).toMatch(/^TEST5000/);
    expect(lines.slice(totals + 1)).toEqual([
      'ALIPAY,1,700,1,200,500',
      'WECHAT,2,3500,1,2500,1000',
      'ALL,3,4200,2,2700,1500',
    ]);

    const otherDay = await h.signed('GET', '/v1/settlements/2026-12-05');
    expect(otherDay.body).toContain('ALL,0,0,0,0,0');
  });

  it('the other merchant gets only its own lines', async () => {
    const res = await h.signed('GET', '/v1/settlements/2026-12-06', undefined, { merchant: h.other });
    expect(res.body).toContain(`merchant=${h.other.id}`);
    expect(res.body.trim().split('\n').at(-1)).toBe('ALL,1,5,0,0,5');
  });
});
