import type { PaymentPort } from '@tollpad/payment';
import { REFUND_REASON_MAX } from '@tollpad/station-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPaygate, type TestPaygate } from '../testing/paygate';
import { paygatePort } from './paygate-port';

/**
 * The port's refund against the reference platform (payments.md §5, §10.9): what the station's refund worker
 * relies on — the same refund number sent again is the same refund, a lost answer is unknown (never a
 * refusal), and the platform's refusals arrive as the port's reasons.
 */
describe('paygate port: refunds', () => {
  let pg: TestPaygate;
  let port: PaymentPort;
  let serial = 500;

  /** A TEST order paid at once for `amountFen`: its out-trade-no. */
  const paid = async (amountFen = 2000) => {
    const payId = `TP0101AB01012026120610${String(serial++).padStart(6, '0')}`;
    const r = {
      outTradeNo: `${payId}-1`,
      payId,
      amountFen,
      authCode: pg.code(),
      channel: 'WECHAT' as const,
      subject: 'TEST',
    };
    expect(await port.payByCode(r)).toMatchObject({ kind: 'paid' });
    return r.outTradeNo;
  };

  beforeAll(async () => {
    pg = await startTestPaygate();
    port = paygatePort(pg.port);
  });
  afterAll(async () => {
    await pg?.close();
  });

  it('the same refund number again answers the one refund it made; the order shows it once', async () => {
    const outTradeNo = await paid();
    const req = { outTradeNo, refundNo: `${outTradeNo}R1`, amountFen: 700, reason: 'TEST' };
    const first = await port.refund(req);
    expect(first).toMatchObject({ kind: 'refunded', refundNo: req.refundNo, amountFen: 700 });
    expect(await port.refund(req)).toEqual(first);
    expect(await port.query(outTradeNo)).toMatchObject({ kind: 'paid', refundedFen: 700 });
  });

  it('an answer lost after the platform refunded is unknown; the resend under the same number finds it', async () => {
    const outTradeNo = await paid();
    const req = { outTradeNo, refundNo: `${outTradeNo}R1`, amountFen: 500, reason: 'TEST' };
    await pg.fault({ kind: 'lost-after-capture', merchantId: pg.port.merchantId, ops: ['refund'], times: 1 });
    expect(await port.refund(req)).toMatchObject({ kind: 'unknown' });
    expect(await port.refund(req)).toMatchObject({ kind: 'refunded', amountFen: 500 });
    expect(await port.query(outTradeNo)).toMatchObject({ refundedFen: 500 });
  });

  it('a reason as long as the station takes (its full text stays in the audit) is refunded, not left unknown', async () => {
    const outTradeNo = await paid();
    // TEST: a monitor's reason of the station's maximum, with a character outside the BMP at the platform's cut.
    const reason = `${'顾客投诉重复扣款'.repeat(15)}退款退款退款退😀${'款'.repeat(REFUND_REASON_MAX)}`.slice(
      0,
      REFUND_REASON_MAX,
    );
    const req = { outTradeNo, refundNo: `${outTradeNo}R1`, amountFen: 300, reason };
    expect(await port.refund(req)).toMatchObject({ kind: 'refunded', amountFen: 300 });
    expect(await port.query(outTradeNo)).toMatchObject({ refundedFen: 300 });
  });

  it('more than is left is refused as exceeds; nothing moves', async () => {
    const outTradeNo = await paid(1000);
    expect(
      await port.refund({ outTradeNo, refundNo: `${outTradeNo}R1`, amountFen: 1001, reason: 'TEST' }),
    ).toMatchObject({ kind: 'refused', reason: 'exceeds' });
    expect(await port.query(outTradeNo)).toMatchObject({ refundedFen: 0 });
  });

  it('the number already another refund (another amount) is number-used, never unknown: asking again cannot change it', async () => {
    const outTradeNo = await paid(1000);
    const req = { outTradeNo, refundNo: `${outTradeNo}R1`, amountFen: 100, reason: 'TEST' };
    expect(await port.refund(req)).toMatchObject({ kind: 'refunded', amountFen: 100 });
    expect(await port.refund({ ...req, amountFen: 200 })).toEqual({
      kind: 'number-used',
      refundNo: req.refundNo,
    });
    expect(await port.query(outTradeNo)).toMatchObject({ refundedFen: 100 });
  });
});
