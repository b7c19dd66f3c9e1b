import { h } from 'preact';
import { useEffect } from 'preact/hooks';
// The reference platform's own TEST codes (one list, not a copy): their last four digits choose its scenario.
import { TEST_CODES } from '../../../paygate/src/fixtures/test-codes';
import { L } from '../i18n';

/** What each TEST code does at the reference platform (apps/paygate fixtures, payments.md §10). */
const LABELS: Record<keyof typeof TEST_CODES, string> = {
  wechatPaid: '微信：支付成功',
  wechatPassword: '微信：需输入密码，随后成功',
  wechatAbandon: '微信：需输入密码，顾客放弃',
  wechatInsufficient: '微信：余额不足',
  alipayPaid: '支付宝：支付成功',
  alipayPassword: '支付宝：需输入密码，随后成功',
  unionpayPaid: '云闪付：支付成功',
  foreign: '无法识别的付款码',
};

const EVENT = 'tollpad:training-scan';

/** Listens for a TEST code "scanned" from the training panel while a payment field is open. */
export function useTrainingScan(onCode: (code: string) => void) {
  useEffect(() => {
    const f = (e: Event) => {
      if (e instanceof CustomEvent && typeof e.detail === 'string') onCode(e.detail);
    };
    window.addEventListener(EVENT, f);
    return () => window.removeEventListener(EVENT, f);
  }, [onCode]);
}

/**
 * 训练付款码: a trainee pays without a phone — tapping a code sends it to the open 【扫码支付】 field as a
 * hardware scanner would (its digits are shown too, to type by hand). TEST codes: they move no real money.
 */
export function TrainingPayCodes() {
  return h(
    'div',
    { 'data-testid': 'training-pay-codes' },
    h(
      'h3',
      null,
      L('训练付款码（测试，先选【扫码支付】）', 'TEST payment codes (choose 【扫码支付】 first)'),
    ),
    h(
      'ul',
      { style: 'list-style:none;padding:0' },
      (Object.keys(TEST_CODES) as (keyof typeof TEST_CODES)[]).map((k) =>
        h(
          'li',
          { key: k },
          h(
            'button',
            {
              type: 'button',
              'data-testid': `training-code-${k}`,
              style: 'width:100%;text-align:left;margin-top:4px',
              onClick: () => window.dispatchEvent(new CustomEvent(EVENT, { detail: TEST_CODES[k] })),
            },
            `${LABELS[k]} · ${TEST_CODES[k]}`,
          ),
        ),
      ),
    ),
  );
}
