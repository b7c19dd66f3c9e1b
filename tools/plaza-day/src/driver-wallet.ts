import type { QrBehaviour } from './cpc-vehicles';

/**
 * 主扫 (payments.md §3): the driver scans the code the station shows with a wallet app; the wallet, not the
 * collector, decides the channel. On a plaza day the driver's app is the paygate's TEST driver route
 * (`POST /driver/qr/:token/pay`), reached through DayPaygate.driverPays.
 */
export const WALLETS = ['WECHAT', 'ALIPAY', 'UNIONPAY'] as const;
export type Wallet = (typeof WALLETS)[number];

/** [P] Which wallet a 主扫 driver opens: 12 in 20 WeChat, 7 Alipay, 1 UnionPay (by the vehicle index, no draw). */
export function walletOf(index: number): Wallet {
  const k = index % 20;
  return k < 12 ? 'WECHAT' : k < 19 ? 'ALIPAY' : 'UNIONPAY';
}

/** What the driver's wallet answers for a scanned code. */
export interface WalletAnswer {
  state: string;
  /** The wallet declined (too little in it): the order stays open, the collector stops the wait. */
  declined: boolean;
}

/** The driver's phone: pays the shown code from `wallet`, behaving as `behaviour` (password, too little). */
export type DriverWallet = (
  codeUrl: string,
  wallet: Wallet,
  behaviour: QrBehaviour,
  authCode: string,
) => Promise<WalletAnswer>;
