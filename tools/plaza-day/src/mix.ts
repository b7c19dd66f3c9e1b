import { PlazaDayError } from './errors';
import type { Prng } from './prng';

/**
 * The traffic mix of a mixed plaza day (`--mix`, `--pay`): what each vehicle carries and, for a vehicle that
 * pays other than by its ETC card, how it pays. Shares are percentages that add up to 100. Pure.
 */

/** What the vehicle carries: an ETC card, a CPC, nothing usable, a green-channel truck, an arrears plate. */
export const MEDIA = ['etc', 'cpc', 'none', 'green', 'arrears'] as const;
export type MediumId = (typeof MEDIA)[number];

/**
 * How a vehicle without an ETC debit pays: cash; 被扫 with the driver's QR code of one channel; 主扫 (`qr-shown`:
 * the driver scans the code the station shows, the wallet decides the channel); the driver's own ETC card
 * (`etc-card`, payType 4). Appended in this order: the earlier channels' draws keep their seed's meaning.
 */
export const PAY_CHANNELS = [
  'cash',
  'qr-wechat',
  'qr-alipay',
  'qr-unionpay',
  'qr-shown',
  'etc-card',
] as const;
export type PayChannel = (typeof PAY_CHANNELS)[number];

export type Shares<K extends string> = Readonly<Record<K, number>>;

/**
 * The default traffic of a plaza day (issue #23 item 1), percent. Sources (../shared/reference, beside the project):
 * - etc 65 [S]: ETC usage 64.09 % of expressway vehicles (May 2020) and 67.19 % of exit passenger cars
 *   (Dec 2019), performance-figures.md "Traffic / transactions" — "about two thirds";
 * - cpc 29, none 1, green 3, arrears 2 [P]: no published share found (performance-figures.md, business-rules.md,
 *   cpc-card.md name the cases and rules, not their frequency): most of the rest carry a CPC, a few have no
 *   usable card, some green-channel trucks and arrears plates — settings, to be replaced by a province's figures.
 */
export const DEFAULT_MEDIA_SHARES: Shares<MediumId> = { etc: 65, cpc: 29, none: 1, green: 3, arrears: 2 };

/**
 * [P] Default payment shares of a vehicle that pays at the handheld: no published split by channel found
 * (payments.md §2 says only that every manual lane must take mobile payment since 2019 [S] and that stations
 * take WeChat, Alipay and UnionPay codes [S]): a third cash, most of the rest 被扫 (WeChat ahead of Alipay ahead
 * of UnionPay), some 主扫, a few drivers' ETC cards.
 */
export const DEFAULT_PAY_SHARES: Shares<PayChannel> = {
  cash: 35,
  'qr-wechat': 27,
  'qr-alipay': 18,
  'qr-unionpay': 3,
  'qr-shown': 10,
  'etc-card': 7,
};

/** The shares in a `--mix`/`--pay` value are within 1/1000 of 100 (decimals typed by hand). */
const SUM_TOLERANCE = 0.001;

/**
 * `etc=60,cpc=40` → shares of every key (those not named are 0). Throws PlazaDayError: an unknown key or a
 * value that is not a number is PD_ERR_OPTION_VALUE; a share outside 0..100 or shares not adding up to 100
 * PD_ERR_OPTION_RANGE.
 */
export function parseShares<K extends string>(
  option: string,
  zh: string,
  keys: readonly K[],
  value: string,
): Shares<K> {
  const out = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  const seen = new Set<string>();
  for (const part of value.split(',')) {
    const m = /^\s*([a-z-]+)\s*=\s*([^=\s]+)\s*$/.exec(part);
    if (!m) {
      throw new PlazaDayError(
        'PD_ERR_OPTION_VALUE',
        option,
        `${zh}（--${option}）应写成“名称=百分比”并以逗号分隔（如 ${keys[0]}=60,${keys[1] ?? keys[0]}=40），实为“${part}”`,
      );
    }
    const [, name = '', raw = ''] = m;
    if (!(keys as readonly string[]).includes(name)) {
      throw new PlazaDayError(
        'PD_ERR_OPTION_VALUE',
        option,
        `${zh}（--${option}）中未知的类别“${name}”，可用：${keys.join('、')}`,
      );
    }
    if (seen.has(name)) {
      throw new PlazaDayError('PD_ERR_OPTION_VALUE', option, `${zh}（--${option}）中“${name}”重复出现`);
    }
    seen.add(name);
    const n = Number(raw);
    if (!/^[\d.]+$/.test(raw) || !Number.isFinite(n)) {
      throw new PlazaDayError(
        'PD_ERR_OPTION_VALUE',
        option,
        `${zh}（--${option}）中“${name}”的比例应为数字，实为“${raw}”`,
      );
    }
    if (n < 0 || n > 100) {
      throw new PlazaDayError(
        'PD_ERR_OPTION_RANGE',
        option,
        `${zh}（--${option}）中“${name}”的比例应在 0 到 100 之间，实为 ${n}`,
      );
    }
    out[name as K] = n;
  }
  const sum = keys.reduce((a, k) => a + out[k], 0);
  if (Math.abs(sum - 100) > SUM_TOLERANCE) {
    throw new PlazaDayError(
      'PD_ERR_OPTION_RANGE',
      option,
      `${zh}（--${option}）各项比例之和应为 100，实为 ${Number(sum.toFixed(4))}`,
    );
  }
  return out;
}

/** One draw by the shares (in the keys' order: the order is part of the seed's meaning). */
export function drawShare<K extends string>(rng: Prng, keys: readonly K[], shares: Shares<K>): K {
  let r = rng.next() * 100;
  let last = keys[0]!;
  for (const k of keys) {
    if (shares[k] <= 0) continue;
    last = k;
    r -= shares[k];
    if (r < 0) return k;
  }
  return last;
}

/** `etc=60,cpc=40` for the command line and the report (shares of 0 left out). */
export function formatShares<K extends string>(keys: readonly K[], shares: Shares<K>): string {
  return keys
    .filter((k) => shares[k] > 0)
    .map((k) => `${k}=${shares[k]}`)
    .join(',');
}
