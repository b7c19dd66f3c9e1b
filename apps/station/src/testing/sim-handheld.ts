import {
  type CardSnapshot,
  type Ef0019,
  ExitPurchase,
  encodeBalance,
  hexToBytes,
  MemoryJournal,
  type PendingEntry,
  PsamDriver,
  type PurchaseJournal,
  type PurchaseOutcome,
  pollingWaiter,
  vehicleClassOf,
} from '@tollpad/card';
import { issueCard, VirtualPsam, VirtualReader } from '@tollpad/card/sim';
import { type ExitRecord, type Fen, MEDIA_TYPE, toBeijingSeconds } from '@tollpad/domain';
import type {
  CommitResult,
  CreateExit,
  DebitIntent,
  DebitIntentResult,
  ExitFeeRequest,
  ExitTransaction,
  StoredImage,
} from '@tollpad/station-api';
import { PNG } from 'pngjs';
import { type CommitBody, commitBodyOf, debitIntentOf } from './exit-bodies';

export { type CommitBody, commitBodyOf } from './exit-bodies';

/**
 * A simulated handheld (TEST): a TEST-issued virtual card in a virtual reader and a virtual PSAM, driving
 * the station API through the real exit lifecycle — 【读卡】, 【提交图片数据】, 【算费】, the debit intent
 * announced from the purchase journal just before DEBIT, the real composite purchase, 【提交数据】.
 */
export type HttpCall = (
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<{ status: number; body: unknown }>;

export interface Json {
  [k: string]: unknown;
}

/** A small valid PNG (TEST photo), 64×48 gradient, made with pngjs. */
export const TEST_PNG: Buffer = (() => {
  const png = new PNG({ width: 64, height: 48 });
  for (let i = 0; i < 64 * 48; i++) png.data.set([i % 256, (i * 3) % 256, 128, 255], i * 4);
  return PNG.sync.write(png);
})();

export interface VehicleSpec {
  serial: number;
  plate: string;
  colour: number;
  vehicleClass: number;
  cardType: 'stored-value' | 'account';
  balance: number;
  entryStationHex: string;
  entryTime: Date;
  /** 0019 accumulated amount (fen). */
  cumulativeAmount?: number;
  /** When set, OBU EF04 data is sent with this after-discount total (fen). */
  obuDiscountTotal?: number;
  /** Plate the collector types (default: the card's). */
  actualPlate?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}: ${JSON.stringify(body)}`);
  }
}

export class SimHandheld {
  readonly psamTerminalNo: string;
  private readonly psamReader = new VirtualReader('psam');
  private psam: PsamDriver | undefined;
  photoSha: string | undefined;

  constructor(
    private readonly http: HttpCall,
    readonly token: string,
    private readonly laneId: string,
    psamTerminalNo: string,
    /** The handheld's clock (synchronised with the station's): the purchase datetime sent to the card. */
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.psamTerminalNo = psamTerminalNo.toUpperCase();
    this.psamReader.insert(new VirtualPsam({ terminalId: hexToBytes(this.psamTerminalNo) }));
  }

  /** One call; `T` names the contract's answer (TEST code trusts the station it tests to answer with it). */
  async call<T = Json>(
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const r = await this.http(method, url, body, { authorization: `Bearer ${this.token}`, ...headers });
    if (r.status >= 400) throw new ApiError(r.status, r.body);
    return r.body as T;
  }

  /** The fee 【算费】 priced, or an error naming the transaction when it was not priced. */
  private feeOf(t: ExitTransaction): number {
    if (!t.fee) throw new Error(`TEST transaction ${t.id} has no fee (state ${t.state})`);
    return t.fee.fee;
  }

  /** The TEST photo, uploaded once per handheld. */
  private async photo(): Promise<string> {
    this.photoSha ??= (
      await this.call<StoredImage>('POST', '/images', TEST_PNG, { 'content-type': 'image/png' })
    ).sha256;
    return this.photoSha;
  }

  /** Issues the TEST card for one vehicle, with an entry record written at `entryStationHex`. */
  issue(v: VehicleSpec) {
    const entry: Ef0019 = {
      layout: '2019',
      lock: 0,
      network: v.entryStationHex.slice(0, 4),
      station: v.entryStationHex.slice(4, 8),
      lane: 1,
      time: toBeijingSeconds(v.entryTime),
      vehicleClass: vehicleClassOf(v.vehicleClass),
      status: 0x03,
      gantryId: '000000',
      gantryTime: 0,
      plate: v.plate,
      plateColour: { raw: v.colour, code: null },
      axles: 2,
      totalWeightKg: 0,
      vehicleStatusFlag: 0xff,
      cumulativeAmount: v.cumulativeAmount ?? 0,
    };
    return issueCard({
      plate: v.plate,
      colour: v.colour,
      class: v.vehicleClass,
      cardType: v.cardType,
      algorithm: v.serial % 2 === 0 ? '3des' : 'sm4',
      balance: v.balance,
      serial: v.serial,
      ef0019: entry,
    });
  }

  /** One full exit. `hooks.afterFee` lets a test act between the fee and the purchase (e.g. authorise). */
  async runExit(
    v: VehicleSpec,
    hooks: {
      afterFee?: (txn: ExitTransaction) => Promise<void>;
      onCommitTime?: (ms: number) => void;
      commit?: boolean;
    } = {},
  ): Promise<{
    txnId: string;
    tradeId: string;
    record: ExitRecord;
    outcome: PurchaseOutcome;
    fee: number;
    commitBody: CommitBody;
  }> {
    let txnId = '';
    let tradeId = '';
    // The handheld's journal announces the pending entry to the station just before DEBIT.
    const purchase = await this.purchaseOf(v, async (entry) => {
      const r = await this.call<DebitIntentResult>(
        'POST',
        `/exits/${txnId}/debit-intent`,
        debitIntentOf(entry),
      );
      tradeId = r.tradeId;
    });
    const snap: CardSnapshot = await purchase.readCard();
    const created = await this.call<ExitTransaction>('POST', '/exits', createBodyOf(this.laneId, v, snap));
    txnId = created.id;
    await this.call('POST', `/exits/${txnId}/image`, {
      plate: v.actualPlate ?? v.plate,
      plateColour: v.colour,
      photoSha256: await this.photo(),
    });
    let priced = await this.call<ExitTransaction>('POST', `/exits/${txnId}/fee`, feeBodyOf(v));
    if (hooks.afterFee) {
      await hooks.afterFee(priced);
      priced = await this.call<ExitTransaction>('GET', `/exits/${txnId}`);
    }
    const fee = this.feeOf(priced);
    const exit0019 = { ...snap.ef0019, status: 0x04 } as Ef0019;
    const outcome = await purchase.purchase(snap, { amount: fee as Fen, exit0019 });
    const commitBody = commitBodyOf(tradeId, outcome);
    if (hooks.commit === false) return { txnId, tradeId, record: {} as ExitRecord, outcome, fee, commitBody };
    const t0 = performance.now();
    const committed = await this.call<CommitResult>('POST', `/exits/${txnId}/commit`, commitBody);
    hooks.onCommitTime?.(performance.now() - t0);
    const { record } = committed;
    if (record.mediaType !== MEDIA_TYPE.OBU)
      throw new Error(`an ETC exit committed mediaType ${record.mediaType}`);
    return { txnId, tradeId, record, outcome, fee, commitBody };
  }
  /**
   * The card half of an exit, done before the clock starts: the handheld's card work runs on the handheld,
   * so a station benchmark must not count it as station time. The fee must be known up front (same tariff
   * case for every vehicle); runPrepared checks the station priced it the same.
   */
  async prepare(v: VehicleSpec, amount: number): Promise<PreparedExit> {
    let pending: PendingEntry | undefined;
    const purchase = await this.purchaseOf(v, async (entry) => {
      pending = entry;
    });
    const snap = await purchase.readCard();
    const outcome = await purchase.purchase(snap, {
      amount: amount as Fen,
      exit0019: { ...snap.ef0019, status: 0x04 } as Ef0019,
    });
    if (!pending) throw new Error('TEST purchase wrote no pending entry');
    return {
      spec: v,
      createBody: createBodyOf(this.laneId, v, snap),
      imageBody: { plate: v.actualPlate ?? v.plate, plateColour: v.colour },
      feeBody: feeBodyOf(v),
      intentBody: debitIntentOf(pending),
      outcome,
    };
  }

  /** A TEST card for the vehicle in a fresh reader, this handheld's PSAM, and a journal that calls `onPending`. */
  private async purchaseOf(v: VehicleSpec, onPending: (e: PendingEntry) => Promise<void>) {
    const cardReader = new VirtualReader('card');
    cardReader.insert(this.issue(v).card);
    if (!this.psam) {
      this.psam = new PsamDriver(this.psamReader);
      await this.psam.open();
    }
    const base = new MemoryJournal();
    const journal: PurchaseJournal = {
      writePending: async (entry) => {
        await base.writePending(entry);
        await onPending(entry);
      },
      markDone: (e, r) => base.markDone(e, r),
      markNotDebited: (e) => base.markNotDebited(e),
    };
    return new ExitPurchase({
      card: cardReader,
      psam: this.psam,
      journal,
      waiter: pollingWaiter({ attempts: 1, intervalMs: 0 }),
      config: { readAccountBalance: true, clock: this.clock },
    });
  }

  /** The station half of a prepared exit: the same HTTP calls, in the same order, as runExit. */
  async runPrepared(
    x: PreparedExit,
    hooks: {
      onCommitTime?: (ms: number) => void;
      /** 【提交数据】 → result as the station makes it: debit intent through commit (the card's DEBIT was done ahead). */
      onSubmitTime?: (ms: number) => void;
      commit?: boolean;
    } = {},
  ): Promise<{ txnId: string; tradeId: string; commitBody: CommitBody }> {
    const created = await this.call<ExitTransaction>('POST', '/exits', x.createBody);
    const txnId = created.id;
    await this.call('POST', `/exits/${txnId}/image`, { ...x.imageBody, photoSha256: await this.photo() });
    const priced = await this.call<ExitTransaction>('POST', `/exits/${txnId}/fee`, x.feeBody);
    const fee = this.feeOf(priced);
    if (fee !== x.intentBody.amount) throw new Error(`TEST fee ${fee} ≠ prepared ${x.intentBody.amount}`);
    const submitted = performance.now();
    const r = await this.call<DebitIntentResult>('POST', `/exits/${txnId}/debit-intent`, x.intentBody);
    const tradeId = r.tradeId;
    const commitBody = commitBodyOf(tradeId, x.outcome);
    if (hooks.commit === false) return { txnId, tradeId, commitBody };
    const t0 = performance.now();
    await this.call('POST', `/exits/${txnId}/commit`, commitBody);
    const t1 = performance.now();
    hooks.onCommitTime?.(t1 - t0);
    hooks.onSubmitTime?.(t1 - submitted);
    return { txnId, tradeId, commitBody };
  }
}

/** A vehicle whose card work (read + composite purchase) was done ahead, for station-only benchmarks. */
export interface PreparedExit {
  spec: VehicleSpec;
  createBody: CreateExit;
  imageBody: { plate: string; plateColour: number };
  feeBody: ExitFeeRequest;
  intentBody: DebitIntent;
  outcome: PurchaseOutcome;
}

/** 【读卡】's body: the card files as read, and the OBU data when the vehicle has one. */
function createBodyOf(laneId: string, v: VehicleSpec, snap: CardSnapshot): CreateExit {
  const obu =
    v.obuDiscountTotal !== undefined
      ? {
          obuId: `0000${String(v.serial).padStart(12, '0')}`,
          removed: false,
          ef04: {
            status: 'ok' as const,
            totalAmount: Math.round((v.obuDiscountTotal * 100) / 95),
            totalDiscountAmount: v.obuDiscountTotal,
            provinceCount: 1,
          },
        }
      : undefined;
  return {
    laneId,
    card: {
      ef0015: snap.raw0015,
      ef0019: snap.raw0019,
      balance: encodeBalance(snap.balance ?? 0),
      ...(obu ? { obu } : {}),
    },
  };
}

/** 【算费】's body: the card's class, kind 0 (普通). */
const feeBodyOf = (v: VehicleSpec): ExitFeeRequest => ({ vehicleClass: v.vehicleClass, vehicleKind: 0 });
