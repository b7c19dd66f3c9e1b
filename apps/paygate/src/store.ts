import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Order } from './http/schemas';

/** An order with what the platform keeps to itself: the full code and where a password wait stands. */
export interface OrderRecord {
  order: Order;
  authCode: string | null;
  /** USERPAYING: queries left before `thenPaid` decides; the wait also ends at `userPayingUntil`. */
  pollsLeft: number;
  thenPaid: boolean;
  userPayingUntil: string | null;
}

interface Snapshot {
  version: 1;
  seq: number;
  orders: OrderRecord[];
  usedCodes: [string, string][];
  mintedCodes: [string, string][];
  nonces: [string, number][];
  /** Absent in files written before closed numbers were kept. */
  closedNumbers?: [string, string][];
}

const key = (merchantId: string, id: string) => `${merchantId}\n${id}`;

/**
 * The platform's state, in memory for the life of the process [P]: enough for a stand-in. With a data file
 * every change is written through (whole snapshot, write-then-rename so a crash leaves the old or the new
 * file, never half of one) and read back on start.
 */
export class Store {
  private readonly orders = new Map<string, OrderRecord>();
  private readonly byPayId = new Map<string, string[]>();
  private readonly byQr = new Map<string, string>();
  private readonly byRefundNo = new Map<string, string>();
  /** payment code → the order that used it (a code works once, payments.md §10.3). */
  readonly usedCodes = new Map<string, string>();
  /** TEST codes minted by the control API → when (they expire after the code TTL). */
  readonly mintedCodes = new Map<string, string>();
  /**
   * merchant + out-trade-no cancelled before any order existed under it → when. Alipay: such a cancel
   * succeeds and the number can no longer be paid (payments.md §5), so a pay request arriving late under it
   * is refused — never a capture after the station gave the exit up or took cash.
   */
  private readonly closedNumbers = new Map<string, string>();
  private seq = 0;
  /** While reading the file back, puts are not written through (one write per order would be quadratic). */
  private restoring = false;

  constructor(
    private readonly file: string | undefined,
    private readonly nonces: {
      snapshot(): [string, number][];
      restore(e: readonly [string, number][]): void;
    },
  ) {
    if (file && existsSync(file)) this.restore(JSON.parse(readFileSync(file, 'utf8')) as Snapshot);
  }

  nextSerial(): number {
    this.seq += 1;
    return this.seq;
  }

  get(merchantId: string, outTradeNo: string): OrderRecord | undefined {
    return this.orders.get(key(merchantId, outTradeNo));
  }

  byPay(merchantId: string, payId: string): OrderRecord[] {
    return (this.byPayId.get(key(merchantId, payId)) ?? []).flatMap((k) => {
      const r = this.orders.get(k);
      return r ? [r] : [];
    });
  }

  byQrToken(token: string): OrderRecord | undefined {
    const k = this.byQr.get(token);
    return k === undefined ? undefined : this.orders.get(k);
  }

  refundOwner(merchantId: string, outRefundNo: string): OrderRecord | undefined {
    const k = this.byRefundNo.get(key(merchantId, outRefundNo));
    return k === undefined ? undefined : this.orders.get(k);
  }

  /** When this never-created number was cancelled (and so closed), or undefined. */
  closedNumber(merchantId: string, outTradeNo: string): string | undefined {
    return this.closedNumbers.get(key(merchantId, outTradeNo));
  }

  /** Closes a number no order was ever created under (first cancel wins; idempotent). */
  closeNumber(merchantId: string, outTradeNo: string, at: string): void {
    const k = key(merchantId, outTradeNo);
    if (this.closedNumbers.has(k)) return;
    this.closedNumbers.set(k, at);
    this.save();
  }

  merchantOrders(merchantId: string): OrderRecord[] {
    return [...this.orders.values()].filter((r) => r.order.merchantId === merchantId);
  }

  /** Adds a new order, or re-indexes a changed one (new refunds), then writes the file. */
  put(r: OrderRecord): void {
    const k = key(r.order.merchantId, r.order.outTradeNo);
    if (!this.orders.has(k)) {
      const pk = key(r.order.merchantId, r.order.payId);
      this.byPayId.set(pk, [...(this.byPayId.get(pk) ?? []), k]);
      if (r.order.qr) this.byQr.set(r.order.qr.token, k);
    }
    this.orders.set(k, r);
    for (const refund of r.order.refunds) {
      if (refund.outRefundNo !== null) this.byRefundNo.set(key(r.order.merchantId, refund.outRefundNo), k);
    }
    this.save();
  }

  save(): void {
    if (!this.file || this.restoring) return;
    const snapshot: Snapshot = {
      version: 1,
      seq: this.seq,
      orders: [...this.orders.values()],
      usedCodes: [...this.usedCodes],
      mintedCodes: [...this.mintedCodes],
      nonces: this.nonces.snapshot(),
      closedNumbers: [...this.closedNumbers],
    };
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(snapshot));
    renameSync(tmp, this.file);
  }

  private restore(s: Snapshot): void {
    if (s.version !== 1) throw new Error(`paygate data file: unknown version ${String(s.version)}`);
    this.seq = s.seq;
    this.restoring = true;
    for (const r of s.orders) this.put(r);
    this.restoring = false;
    for (const [c, o] of s.usedCodes) this.usedCodes.set(c, o);
    for (const [c, t] of s.mintedCodes) this.mintedCodes.set(c, t);
    for (const [k, at] of s.closedNumbers ?? []) this.closedNumbers.set(k, at);
    this.nonces.restore(s.nonces);
  }
}
