import type { TrainingCpcSpec } from '@tollpad/card/sim';
import { drawShare, PAY_CHANNELS, type PayChannel, type Shares } from './mix';
import type { Prng } from './prng';
import { plateOf } from './vehicles';

/**
 * The CPC vehicles of a mixed day (SYNTHETIC TEST DATA): each its own TEST CPC (unique CPC ID, so the
 * reconciliation can follow every card), written by the synthetic entry and gantries of a planned trip,
 * and how its driver pays. Shares are [P]: most are cars, a few trucks; a few QR payers make the collector
 * wait for the password, a few have too little in their wallet and pay cash instead.
 */
export type CpcCaseId = 'cpc-car' | 'cpc-truck';

/** What the driver's QR code does at the platform (its last four digits, apps/paygate's TEST scenarios). */
export type QrBehaviour = 'paid' | 'password' | 'insufficient';

export interface CpcVehicle {
  index: number;
  caseId: CpcCaseId;
  spec: TrainingCpcSpec;
  /** The channel the driver offers first. */
  channel: PayChannel;
  qr: QrBehaviour;
  /** Cash handed over, as a share of the fee rounded up: exact, or the next 10 / 50 / 100 yuan. */
  tenderStep: 1 | 1_000 | 5_000 | 10_000;
}

/** [P] shares within the CPC vehicles, percent. */
const TRUCK_SHARE = 10;
const QR_PASSWORD_SHARE = 8;
const QR_INSUFFICIENT_SHARE = 2;

/** A TEST CPC ID per vehicle: the synthetic province's network 3701, 99 (TEST), the vehicle index. */
export function cpcIdOf(index: number): string {
  return `370199${String(index).padStart(10, '0')}`;
}

export function makeCpcVehicle(index: number, rng: Prng, pay: Shares<PayChannel>): CpcVehicle {
  const truck = rng.next() * 100 < TRUCK_SHARE;
  const channel = drawShare(rng, PAY_CHANNELS, pay);
  const q = rng.next() * 100;
  const qr: QrBehaviour =
    q < QR_INSUFFICIENT_SHARE
      ? 'insufficient'
      : q < QR_INSUFFICIENT_SHARE + QR_PASSWORD_SHARE
        ? 'password'
        : 'paid';
  const tenderSteps = [1, 1_000, 5_000, 10_000] as const;
  return {
    index,
    caseId: truck ? 'cpc-truck' : 'cpc-car',
    spec: {
      id: truck ? 'cpc-truck' : 'cpc-car',
      label: truck ? 'CPC货车（plaza-day TEST）' : 'CPC小客车（plaza-day TEST）',
      plate: plateOf(index),
      colour: truck ? 1 : 0,
      vehicleClass: truck ? 12 : 1,
      cpcId: cpcIdOf(index),
      batteryPercent: rng.int(40, 100),
      entryOffset: rng.int(1, 3),
      entryHoursAgo: rng.int(2, 6) / 2,
    },
    channel,
    qr,
    tenderStep: tenderSteps[rng.int(0, 3)]!,
  };
}

/** Apps/paygate's scenario suffixes: 0001 pays at once, 0002 asks for the password, 0004 has too little. */
const SUFFIX: Record<QrBehaviour, string> = { paid: '0001', password: '0002', insufficient: '0004' };

/**
 * The driver's TEST 付款码 for attempt `attempt` (1..9), unique in the run, in its channel's format (payments.md
 * §2): WeChat 18 digits from 13, Alipay 17 digits from 28, UnionPay 17 digits from 62. A later attempt pays.
 */
export function qrCodeOf(
  channel: Exclude<PayChannel, 'cash'>,
  index: number,
  attempt: number,
  behaviour: QrBehaviour,
): string {
  const body = `${attempt}${String(index).padStart(10, '0')}${SUFFIX[attempt === 1 ? behaviour : 'paid']}`;
  switch (channel) {
    case 'qr-wechat':
      return `134${body}`;
    case 'qr-alipay':
      return `28${body}`;
    case 'qr-unionpay':
      return `62${body}`;
  }
}

/** The cash handed over for `fee`: the fee rounded up to the vehicle's note. */
export function tenderedFor(fee: number, step: CpcVehicle['tenderStep']): number {
  return Math.ceil(fee / step) * step;
}
