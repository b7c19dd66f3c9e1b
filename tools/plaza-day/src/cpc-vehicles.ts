import type { TrainingCpcSpec } from '@tollpad/card/sim';
import type { CpcFault } from './cpc-faults';
import type { Payer } from './handheld-payment';
import { drawShare, PAY_CHANNELS, type PayChannel, type Shares } from './mix';
import type { Prng } from './prng';
import { plateOf } from './vehicles';

/**
 * The CPC vehicles of a mixed day (SYNTHETIC TEST DATA): each its own TEST CPC (unique CPC ID, so the
 * reconciliation can follow every card), written by the synthetic entry and gantries of a planned trip,
 * and how its driver pays. Shares are [P]: most are cars, a few trucks; a few QR payers make the collector
 * wait for the password, a few have too little in their wallet and pay cash instead.
 */
export type CpcCaseId =
  | 'cpc-car'
  | 'cpc-truck'
  | 'green-pass'
  | 'green-fail'
  | 'green-mixed'
  | 'green-banned'
  | 'arrears';

/** A green-channel truck's load as the collector will judge it (绿通查验), with the catalogue's cargo codes. */
export interface GreenLoad {
  result: 'pass' | 'fail' | 'mixed';
  cargo: string[];
  /** The plate is on the green-channel ban list the day publishes before the traffic: never free. */
  banned?: boolean;
}

/** What the driver's QR code does at the platform (its last four digits, apps/paygate's TEST scenarios). */
export type QrBehaviour = 'paid' | 'password' | 'insufficient';

export interface CpcVehicle extends Payer {
  caseId: CpcCaseId;
  spec: TrainingCpcSpec;
  /** A green-channel truck: the inspection comes between 【算费】 and the payment. */
  green?: GreenLoad;
  /** The CPC fault this vehicle's card meets (the day's CpcFaultPlan gives it at issue). */
  cpcFault?: CpcFault;
}

/** [P] shares within the CPC vehicles, percent. */
const TRUCK_SHARE = 10;
const QR_PASSWORD_SHARE = 8;
const QR_INSUFFICIENT_SHARE = 2;

/** A TEST CPC ID per vehicle: the synthetic province's network 3701, 99 (TEST), the vehicle index. */
export function cpcIdOf(index: number): string {
  return `370199${String(index).padStart(10, '0')}`;
}

/** How the driver pays: the channel by the shares, the QR code's behaviour, the note handed over. */
export function makePayer(index: number, rng: Prng, pay: Shares<PayChannel>): Payer {
  const channel = drawShare(rng, PAY_CHANNELS, pay);
  const q = rng.next() * 100;
  const qr: QrBehaviour =
    q < QR_INSUFFICIENT_SHARE
      ? 'insufficient'
      : q < QR_INSUFFICIENT_SHARE + QR_PASSWORD_SHARE
        ? 'password'
        : 'paid';
  const tenderSteps = [1, 1_000, 5_000, 10_000] as const;
  return { index, channel, qr, tenderStep: tenderSteps[rng.int(0, 3)]! };
}

export function makeCpcVehicle(index: number, rng: Prng, pay: Shares<PayChannel>): CpcVehicle {
  const truck = rng.next() * 100 < TRUCK_SHARE;
  return {
    ...makePayer(index, rng, pay),
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
  };
}

/** The 被扫 channels: the driver's 付款码 is in the channel's own format. */
export type CodeChannel = Extract<PayChannel, 'qr-wechat' | 'qr-alipay' | 'qr-unionpay'>;

/** Apps/paygate's scenario suffixes: 0001 pays at once, 0002 asks for the password, 0004 has too little. */
const SUFFIX: Record<QrBehaviour, string> = { paid: '0001', password: '0002', insufficient: '0004' };

/**
 * The driver's TEST 付款码 for attempt `attempt` (1..9: a code works once, so an exit and a payback of one
 * vehicle use attempts of their own), unique in the run, in its channel's format (payments.md §2): WeChat 18
 * digits from 13, Alipay 17 digits from 28, UnionPay 17 digits from 62.
 */
export function qrCodeOf(
  channel: CodeChannel,
  index: number,
  attempt: number,
  behaviour: QrBehaviour,
): string {
  const body = `${attempt}${String(index).padStart(10, '0')}${SUFFIX[behaviour]}`;
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

/** [P] how green-channel loads are judged: most pass, some fail, a few are mixed loads (fail here). */
const GREEN_RESULT_SHARES = { pass: 80, fail: 15, mixed: 5 } as const;
/** Cargo of the published catalogue (packages/domain green-cargo.ts): vegetables and fruit. */
const GREEN_CARGO = ['V01', 'V02', 'V05', 'V06', 'F01', 'F02'] as const;

/** [P] Green trucks whose plate is banned (多次假冒绿通), percent: by the index, so no draw moves. */
const GREEN_BANNED_SHARE = 10;

/** Whether green truck `index` is on the day's ban list (its load looks right: the collector judges it pass). */
export const isGreenBanned = (index: number) => ((index * 2_654_435_761) >>> 0) % 100 < GREEN_BANNED_SHARE;

/** A green-channel truck (a CPC truck) with its load. */
export function makeGreenVehicle(index: number, rng: Prng, pay: Shares<PayChannel>): CpcVehicle {
  const base = makeCpcVehicle(index, rng, pay);
  const r = rng.next() * 100;
  const banned = isGreenBanned(index);
  const result = banned
    ? 'pass'
    : r < GREEN_RESULT_SHARES.pass
      ? 'pass'
      : r < 100 - GREEN_RESULT_SHARES.mixed
        ? 'fail'
        : 'mixed';
  const first = GREEN_CARGO[rng.int(0, GREEN_CARGO.length - 1)]!;
  const second = GREEN_CARGO[rng.int(0, GREEN_CARGO.length - 1)]!;
  return {
    ...base,
    caseId: banned ? 'green-banned' : `green-${result}`,
    spec: { ...base.spec, id: 'green', label: '绿通货车（plaza-day TEST）', colour: 1, vehicleClass: 12 },
    green: { result, cargo: [...new Set([first, second])], ...(banned ? { banned } : {}) },
  };
}
