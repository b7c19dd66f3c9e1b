import type { PaymentPhase } from './states';

/**
 * What the collector reads while an attempt runs, in plain Chinese: in particular why they wait while
 * the platform waits for the payer (payments.md §4: "请在手机上确认支付").
 */
export function progressMessage(phase: PaymentPhase, mode: 'code' | 'dynamic' = 'code'): string {
  switch (phase) {
    case 'intent':
      return '正在发起支付…';
    case 'submitted':
      return '正在等待支付平台结果，请稍候';
    case 'user-paying':
      return mode === 'code' ? '请顾客在手机上输入支付密码' : '请顾客用手机扫描屏幕上的二维码并确认支付';
    case 'unknown':
      return '支付结果未明，正在查询，请勿放行、勿重复收费';
    case 'unpaid':
    case 'cancelling':
      return '顾客未完成支付，正在撤销本笔订单，请稍候';
    case 'succeeded':
      return '支付成功';
    case 'failed':
      return '支付未成功，请让顾客换一个付款码，或改用现金、ETC卡支付';
    case 'cancelled':
      return '本笔订单已撤销，未扣款；请重新扫码或改用现金、ETC卡支付';
    case 'reversed':
      return '本笔订单已撤销，款项已原路退回；请重新扫码或改用现金、ETC卡支付';
  }
}
