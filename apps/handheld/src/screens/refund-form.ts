import { type Fen, formatYuan } from '@tollpad/domain';
import { type PaymentRefunds, REFUND_REASON_MIN, type Refund } from '@tollpad/station-api';
import { parseTendered } from '../exit/cpc-payment';

/**
 * The rules of the monitor's 【退款】 form (pure; screens/refund.ts shows them): the amount in yuan as typed,
 * the reason, the request ID that makes a retried tap the same refund, and each outcome in plain Chinese.
 */

export const yuan = (fen: number) => `¥${formatYuan(fen as Fen)}`;

/** The amount typed in yuan ("5", "5.5", "5.50") as fen, or why it cannot be refunded. */
export function refundAmount(
  text: string,
  refundableFen: number,
): { ok: true; fen: number } | { ok: false; message: string } {
  const fen = parseTendered(text);
  if (fen === null) return { ok: false, message: '请输入退款金额（元），如 5 或 5.50' };
  if (fen <= 0) return { ok: false, message: '退款金额必须大于0' };
  if (fen > refundableFen) return { ok: false, message: `退款金额不能超过可退金额 ${yuan(refundableFen)}` };
  return { ok: true, fen };
}

/** Why the reason is not enough, or null (the station refuses the same with STN_ERR_REFUND_REASON). */
export function reasonProblem(reason: string): string | null {
  return reason.trim().length < REFUND_REASON_MIN ? `请填写退款原因（至少${REFUND_REASON_MIN}个字）` : null;
}

/** One per opened form: the station answers a repeat of it with the refund it already made. */
export function newRefundRequestId(random: () => string = () => crypto.randomUUID()): string {
  return `rf-${random().replace(/-/g, '')}`;
}

const CHANNELS: Record<PaymentRefunds['channel'], string> = {
  WECHAT: '微信',
  ALIPAY: '支付宝',
  UNIONPAY_QR: '银联云闪付',
  OTHER_QR: '其他扫码',
};
export const channelName = (c: PaymentRefunds['channel']) => CHANNELS[c];

const REFUSALS: Record<string, string> = {
  'not-paid': '该订单未支付成功',
  exceeds: '超过可退金额',
  'too-many': '退款次数已达上限',
  window: '已超过退款期限',
};

const CONFLICTS: Record<string, string> = {
  'amount-differs': '平台所退金额不同',
  'number-used': '退款单号已用于另一笔退款',
};

/** What the monitor reads of one refund. */
export function refundOutcome(r: Refund): { tone: 'ok' | 'wait' | 'fail'; text: string } {
  switch (r.state) {
    case 'refunded':
      return { tone: 'ok', text: `退款成功 ${yuan(r.amountFen)}，款项将原路退回顾客` };
    case 'refused':
      return {
        tone: 'fail',
        text: `支付平台拒绝退款（${REFUSALS[r.refusal ?? ''] ?? r.refusal ?? '原因未说明'}），未退任何款项`,
      };
    case 'conflict':
      return {
        tone: 'fail',
        text: `支付平台的答复与本笔退款不符（${CONFLICTS[r.refusal ?? ''] ?? r.refusal ?? '原因未说明'}），系统不再自动重试；金额 ${yuan(r.amountFen)} 暂不可再退，请联系支付平台核实`,
      };
    default:
      return {
        tone: 'wait',
        text: `退款 ${yuan(r.amountFen)} 已提交，支付平台暂未确认；系统会自动查询结果，请勿重复退款`,
      };
  }
}
