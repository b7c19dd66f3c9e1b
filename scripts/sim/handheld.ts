import {
  type CardSnapshot,
  type Ef0019,
  ExitPurchase,
  hexToBytes,
  MemoryJournal,
  type PendingEntry,
  PsamDriver,
  type PurchaseJournal,
  pollingWaiter,
} from '@tollpad/card';
import { type IssuedCard, type TrainingVehicleSpec, VirtualPsam, VirtualReader } from '@tollpad/card/sim';
import { type ExitRecord, type Fen, MEDIA_TYPE } from '@tollpad/domain';
import type {
  Commit,
  CommitResult,
  DebitIntentResult,
  ExitTransaction,
  LoginResult,
  Shift,
  StoredImage,
} from '@tollpad/station-api';
import { commitBodyOf, debitIntentOf, exitCardBody } from '../../apps/station/src/testing/exit-bodies';
import { api } from './http';
import { testPng } from './test-png';

export interface SimHandheldOptions {
  stationUrl: string;
  centreUrl: string;
  username: string;
  password: string;
  terminalId: string;
  /** PSAM terminal number (0016), registered for the terminal at the station. */
  psamTerminalNo: string;
  laneId: string;
}

export interface ExitResult {
  txnId: string;
  tradeId: string;
  fee: number;
  record: ExitRecord;
  commitMs: number;
}

/**
 * A simulated handheld over real HTTP (TEST): a virtual PSAM that refuses MAC1 until authorised online
 * through the centre's `/psam/auth`, TEST-issued virtual cards (`issueTestVehicleCard`), and the station's
 * exit API driven through 【读卡】 → 【提交图片数据】 → 【算费】 → debit intent (journal) → composite purchase →
 * 【提交数据】.
 */
export class SimHandheld {
  private psam: PsamDriver | undefined;
  private photoSha: string | undefined;

  private constructor(
    readonly opts: SimHandheldOptions,
    readonly token: string,
  ) {}

  static async login(opts: SimHandheldOptions): Promise<SimHandheld> {
    const r = await api<LoginResult>(opts.stationUrl, 'POST', '/auth/login', {
      body: { username: opts.username, password: opts.password, terminalId: opts.terminalId },
    });
    if (!r.token) throw new Error('the station gave the simulated handheld no bearer token');
    const h = new SimHandheld(opts, r.token);
    const current = await h.call<Shift>('GET', '/shifts/current').catch(() => null);
    if (!current) await h.call<Shift>('POST', '/shifts');
    return h;
  }

  /** One call; `T` names the contract's answer (TEST code trusts the station it drives to answer with it). */
  call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return api<T>(this.opts.stationUrl, method, path, {
      token: this.token,
      ...(body !== undefined ? { body } : {}),
    });
  }

  /** Start of shift for the PSAM: GET CHALLENGE → centre → EXTERNAL AUTHENTICATE. */
  async openPsam(): Promise<PsamDriver> {
    if (this.psam) return this.psam;
    const reader = new VirtualReader('psam');
    reader.insert(
      new VirtualPsam({ terminalId: hexToBytes(this.opts.psamTerminalNo), requireAuthorisation: true }),
    );
    const driver = new PsamDriver(reader, {
      authoriser: {
        authorise: async (req) => {
          const r = await api<{ apdu: string }>(this.opts.centreUrl, 'POST', '/psam/auth', {
            body: {
              laneId: this.opts.laneId,
              terminalNo: req.terminalId,
              psamNo: req.psamSerial,
              version: req.version,
              keyType: req.keyType,
              random: req.challenge.slice(0, 8),
            },
          });
          return hexToBytes(r.apdu);
        },
      },
    });
    await driver.open();
    this.psam = driver;
    return driver;
  }

  /** 【读卡】 → 【提交图片数据】 → 【算费】 for one vehicle; returns the priced transaction and its purchase. */
  private async begin(v: TrainingVehicleSpec, card: IssuedCard, ids: { txnId: string; tradeId: string }) {
    const psam = await this.openPsam();
    const cardReader = new VirtualReader('card');
    cardReader.insert(card.card);
    const base = new MemoryJournal();
    const journal: PurchaseJournal = {
      writePending: async (entry: PendingEntry) => {
        await base.writePending(entry);
        const r = await this.call<DebitIntentResult>(
          'POST',
          `/exits/${ids.txnId}/debit-intent`,
          debitIntentOf(entry),
        );
        ids.tradeId = r.tradeId;
      },
      markDone: (e, r) => base.markDone(e, r),
      markNotDebited: (e) => base.markNotDebited(e),
    };
    const purchase = new ExitPurchase({
      card: cardReader,
      psam,
      journal,
      waiter: pollingWaiter({ attempts: 1, intervalMs: 0 }),
      config: { readAccountBalance: true },
    });
    const snap: CardSnapshot = await purchase.readCard();
    const created = await this.call<ExitTransaction>('POST', '/exits', {
      laneId: this.opts.laneId,
      card: exitCardBody(snap, v),
    });
    ids.txnId = created.id;
    if (!this.photoSha) {
      const img = await api<StoredImage>(this.opts.stationUrl, 'POST', '/images', {
        token: this.token,
        raw: { data: testPng(), type: 'image/png' },
      });
      this.photoSha = img.sha256;
    }
    await this.call<ExitTransaction>('POST', `/exits/${ids.txnId}/image`, {
      plate: v.actualPlate ?? v.plate,
      plateColour: v.colour,
      photoSha256: this.photoSha,
    });
    const priced = await this.call<ExitTransaction>('POST', `/exits/${ids.txnId}/fee`, {
      vehicleClass: v.vehicleClass,
      vehicleKind: 0,
    });
    return { purchase, snap, priced };
  }

  /** Up to 【算费】 only (benchmarks re-price it); returns the transaction ID. */
  async prepareFee(v: TrainingVehicleSpec, card: IssuedCard): Promise<string> {
    const ids = { txnId: '', tradeId: '' };
    await this.begin(v, card, ids);
    return ids.txnId;
  }

  /**
   * One whole exit; `approve` lets a monitor account authorise when the fee step asks for it; `beforeCommit`
   * runs once the card is debited and before 【提交数据】 (what others may try against a pending debit).
   */
  async exit(
    v: TrainingVehicleSpec,
    card: IssuedCard,
    o: {
      approve?: () => Promise<string>;
      beforeCommit?: (txnId: string, commit: Commit) => Promise<void>;
    } = {},
  ): Promise<ExitResult> {
    const ids = { txnId: '', tradeId: '' };
    const started = await this.begin(v, card, ids);
    const { purchase, snap } = started;
    let priced = started.priced;
    const txnId = ids.txnId;
    if (priced.authorisation.status === 'required') {
      if (!o.approve) throw new Error(`交易需班长授权：${JSON.stringify(priced.authorisation)}`);
      const monitorToken = await o.approve();
      await api(this.opts.stationUrl, 'POST', `/exits/${txnId}/authorisation`, {
        token: monitorToken,
        body: { approve: true, reason: '演示授权 (TEST)' },
      });
      priced = await this.call<ExitTransaction>('GET', `/exits/${txnId}`);
    }
    if (!priced.fee) throw new Error(`交易 ${txnId} 未计费（${priced.state}）`);
    const fee = priced.fee.fee;
    const exit0019 = { ...snap.ef0019, status: 0x04 } as Ef0019;
    const outcome = await purchase.purchase(snap, { amount: fee as Fen, exit0019 });
    const t0 = performance.now();
    const tradeId = ids.tradeId;
    const body = commitBodyOf(tradeId, outcome);
    await o.beforeCommit?.(txnId, body);
    const committed = await this.call<CommitResult>('POST', `/exits/${txnId}/commit`, body);
    const { record } = committed;
    if (record.mediaType !== MEDIA_TYPE.OBU)
      throw new Error(`an ETC exit committed mediaType ${record.mediaType}`);
    return { txnId, tradeId, fee, record, commitMs: performance.now() - t0 };
  }
}
