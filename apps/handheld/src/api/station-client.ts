import {
  type CardRead,
  type Commit,
  CommitAnswer,
  type CpcCommit,
  type CpcPaymentIntent,
  type CpcRead,
  type DebitIntent,
  DebitIntentAnswer,
  type ExitFeeRequest,
  type ExitImage,
  ExitListSchema,
  type ExitPath,
  ExitPathSchema,
  ExitSchema,
  GreenChannelViewSchema,
  GreenInspectionAnswerSchema,
  type GreenInspectionRequest,
  isWire,
  type Lane,
  LinkageSchema,
  type LoginResult,
  LoginResultSchema,
  type Me,
  MeSchema,
  type NoCardRead,
  type NoneCommit,
  type PaymentAttempt,
  type PaymentStatus,
  PaymentStatusSchema,
  RecordListSchema,
  RecordSchema,
  RecoverAnswer,
  type Recovery,
  type Shift,
  ShiftListSchema,
  type ShiftReport,
  ShiftReportSchema,
  ShiftSchema,
  type Static,
  type StationErrorBody,
  type StationInfo,
  StationSchema,
  StoredImageSchema,
  type StoredRecord,
  type TSchema,
} from '@tollpad/station-api';
import { HandheldError, handheldError, stationAction } from '../errors';
import {
  type ExitRecordSummary,
  type ExitTxn,
  type LaneState,
  type PendingAuthorisation,
  toExitTxn,
  toLaneStates,
  toPendingAuthorisation,
  toRecordSummary,
} from './views';

export interface StationClientOptions {
  baseUrl: string;
  /** A login survives from an earlier page (its HttpOnly cookie is the browser's to send). */
  signedIn?: boolean;
  /** Per-request timeout; patchy Wi-Fi must fail fast and say so rather than hang. [P] */
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * On every call: the station accepts its session cookie only beside this header, which a cross-site form
 * or link cannot add (apps/station/src/http/session-cookie.ts). It also asks the login for the cookie.
 */
const SESSION_HEADERS: Readonly<Record<string, string>> = { 'x-tollpad-csrf': '1' };

/**
 * The ONE typed client of the station API. Every screen calls the station through here; every failure
 * comes out as a HandheldError carrying the station's code and Chinese message plus what to do next.
 */
export class StationClient {
  baseUrl: string;
  /** Whether a login is believed live; the token itself stays in the browser's HttpOnly cookie. */
  signedIn: boolean;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  /** Called when the station says the session is gone (expired, revoked): the shell goes to 登录. */
  onSessionLost: (() => void) | null = null;

  constructor(opts: StationClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/$/, '');
    this.signedIn = opts.signedIn ?? false;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.fetchImpl = opts.fetchImpl ?? ((...a) => fetch(...a));
  }

  /** Every call to the station; the per-area clients (config-client.ts) go through it too. */
  async request<T>(
    method: Method,
    path: string,
    body?: unknown,
    extra: { headers?: Record<string, string>; timeoutMs?: number; raw?: BodyInit } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { ...(extra.headers ?? {}), ...SESSION_HEADERS };
    let payload: BodyInit | undefined = extra.raw;
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), extra.timeoutMs ?? this.timeoutMs);
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        ...(payload === undefined ? {} : { body: payload }),
        signal: ctl.signal,
      });
    } catch (e) {
      throw handheldError(ctl.signal.aborted ? 'HH_ERR_TIMEOUT' : 'HH_ERR_NETWORK', { cause: e });
    } finally {
      clearTimeout(timer);
    }
    const text = await res.text().catch(() => '');
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const b = errorBodyOf(json);
      if (b) {
        if (
          b.code === 'STN_ERR_AUTH_SESSION_EXPIRED' ||
          (b.code === 'STN_ERR_AUTH_REQUIRED' && this.signedIn)
        ) {
          this.onSessionLost?.();
        }
        throw new HandheldError(b.code, b.message, stationAction(b.code), {
          status: res.status,
          ...(b.detail ? { detail: b.detail, field: fieldOf(b.detail) } : {}),
        });
      }
      throw handheldError('HH_ERR_BAD_RESPONSE', { detail: `HTTP ${res.status}` });
    }
    return json as T;
  }

  /** A call whose answer must have the contract's shape: anything else is a bad response, not a crash later. */
  private async call<S extends TSchema>(
    answer: S,
    method: Method,
    path: string,
    body?: unknown,
    extra: { headers?: Record<string, string>; timeoutMs?: number; raw?: BodyInit } = {},
  ): Promise<Static<S>> {
    const value = await this.request<unknown>(method, path, body, extra);
    if (!isWire(answer, value)) throw handheldError('HH_ERR_BAD_RESPONSE', { detail: `${method} ${path}` });
    return value;
  }

  // --- auth -------------------------------------------------------------------------------------
  async login(username: string, password: string, terminalId?: string): Promise<LoginResult> {
    const r = await this.call(LoginResultSchema, 'POST', '/auth/login', {
      username,
      password,
      ...(terminalId ? { terminalId } : {}),
    });
    this.signedIn = true;
    return r;
  }

  async logout(): Promise<void> {
    await this.request('POST', '/auth/logout').catch(() => undefined);
    this.signedIn = false;
  }

  me(): Promise<Me> {
    return this.call(MeSchema, 'GET', '/auth/me');
  }

  // --- configuration ----------------------------------------------------------------------------
  station(): Promise<StationInfo> {
    return this.call(StationSchema, 'GET', '/config/station');
  }

  lanes(): Promise<Lane[]> {
    return this.request('GET', '/config/lanes');
  }

  /**
   * Live lane state from the station's lane linkage (GET /linkage/lanes): link, barrier, the camera's
   * plate. A lost link reads UNKNOWN; a station without linkage (404) → every lane UNKNOWN.
   */
  async laneStates(): Promise<LaneState[]> {
    try {
      return toLaneStates(await this.call(LinkageSchema, 'GET', '/linkage/lanes'));
    } catch (e) {
      if (e instanceof HandheldError && e.code === 'STN_ERR_REQ_NOT_FOUND') return [];
      throw e;
    }
  }

  // --- shifts -----------------------------------------------------------------------------------
  async currentShift(): Promise<Shift | null> {
    try {
      return await this.call(ShiftSchema, 'GET', '/shifts/current');
    } catch (e) {
      if (e instanceof HandheldError && (e.code === 'STN_ERR_SHIFT_NOT_OPEN' || e.status === 404))
        return null;
      throw e;
    }
  }

  openShift(): Promise<Shift> {
    return this.call(ShiftSchema, 'POST', '/shifts');
  }

  /** Recent shifts of the station (monitor, admin), newest first. */
  shifts(limit = 20): Promise<Shift[]> {
    return this.call(ShiftListSchema, 'GET', `/shifts?limit=${limit}`);
  }

  shiftReport(id: string): Promise<ShiftReport> {
    return this.call(ShiftReportSchema, 'GET', `/shifts/${encodeURIComponent(id)}/report`);
  }

  /** The printable report (HTML), fetched with the session so it can be opened as a blob. */
  async shiftReportHtml(id: string): Promise<Blob> {
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.baseUrl}/shifts/${encodeURIComponent(id)}/report.html`, {
        headers: SESSION_HEADERS,
        credentials: 'same-origin',
      });
    } catch (e) {
      throw handheldError('HH_ERR_NETWORK', { cause: e });
    }
    if (!res.ok) throw handheldError('HH_ERR_BAD_RESPONSE', { detail: `HTTP ${res.status}` });
    return new Blob([await res.text()], { type: 'text/html;charset=utf-8' });
  }

  // --- exit transaction -------------------------------------------------------------------------
  async createExit(laneId: string, card: CardRead): Promise<ExitTxn> {
    return toExitTxn(await this.call(ExitSchema, 'POST', '/exits', { laneId, card }));
  }

  /** 【读卡】 of a CPC: the five files as read; the station decodes and checks them itself. */
  async createCpcExit(laneId: string, cpc: CpcRead): Promise<ExitTxn> {
    return toExitTxn(await this.call(ExitSchema, 'POST', '/exits', { laneId, cpc }));
  }

  /** 【无卡登记】: a vehicle without a usable card (the reason, a damaged CPC's label ID, the stated entry). */
  async createNoneExit(laneId: string, none: NoCardRead): Promise<ExitTxn> {
    return toExitTxn(await this.call(ExitSchema, 'POST', '/exits', { laneId, none }));
  }

  async getExit(id: string): Promise<ExitTxn> {
    return toExitTxn(await this.call(ExitSchema, 'GET', `/exits/${encodeURIComponent(id)}`));
  }

  /** 【通行路径】 of an exit: the centre's fitted path, or the station's own when the centre does not answer. */
  exitPath(id: string): Promise<ExitPath> {
    return this.call(ExitPathSchema, 'GET', `/exits/${encodeURIComponent(id)}/path`);
  }

  /**
   * A photo of the exit's path as a Blob: an <img> cannot carry the session header the station requires, so
   * the panel shows it through an object URL.
   */
  async pathPhoto(id: string, ref: string): Promise<Blob> {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), this.timeoutMs);
    try {
      const res = await this.fetchImpl(
        `${this.baseUrl}/exits/${encodeURIComponent(id)}/path/photos/${encodeURIComponent(ref)}`,
        { headers: { ...SESSION_HEADERS }, credentials: 'same-origin', signal: ctl.signal },
      );
      if (res.ok) return await res.blob();
      const b = errorBodyOf(await res.json().catch(() => undefined));
      if (b) throw new HandheldError(b.code, b.message, stationAction(b.code), { status: res.status });
      throw handheldError('HH_ERR_BAD_RESPONSE', { detail: `HTTP ${res.status}` });
    } catch (e) {
      if (e instanceof HandheldError) throw e;
      throw handheldError(ctl.signal.aborted ? 'HH_ERR_TIMEOUT' : 'HH_ERR_NETWORK', { cause: e });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Uploads the photo; resolves with the image's sha256. Reports progress where XHR is available. */
  uploadImage(blob: Blob, onProgress?: (fraction: number) => void): Promise<{ sha256: string }> {
    if (typeof XMLHttpRequest === 'undefined' || !onProgress) {
      return this.call(StoredImageSchema, 'POST', '/images', undefined, {
        raw: blob,
        headers: { 'content-type': blob.type || 'image/jpeg' },
        timeoutMs: 30_000,
      });
    }
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `${this.baseUrl}/images`);
      xhr.timeout = 30_000;
      // Same-origin XHR sends the session cookie; the header makes the station accept it.
      for (const [k, v] of Object.entries(SESSION_HEADERS)) xhr.setRequestHeader(k, v);
      xhr.setRequestHeader('content-type', blob.type || 'image/jpeg');
      xhr.upload.onprogress = (ev) => {
        if (ev.lengthComputable) onProgress(ev.loaded / ev.total);
      };
      xhr.onerror = () => reject(handheldError('HH_ERR_NETWORK'));
      xhr.ontimeout = () => reject(handheldError('HH_ERR_TIMEOUT'));
      xhr.onload = () => {
        let json: unknown;
        try {
          json = JSON.parse(xhr.responseText);
        } catch {
          json = undefined;
        }
        if (xhr.status >= 200 && xhr.status < 300 && isWire(StoredImageSchema, json)) {
          onProgress(1);
          resolve({ sha256: json.sha256 });
          return;
        }
        const b = errorBodyOf(json);
        if (b) reject(new HandheldError(b.code, b.message, stationAction(b.code), { status: xhr.status }));
        else reject(handheldError('HH_ERR_BAD_RESPONSE', { detail: `HTTP ${xhr.status}` }));
      };
      xhr.send(blob);
    });
  }

  async submitImage(id: string, body: ExitImage): Promise<ExitTxn> {
    return toExitTxn(await this.call(ExitSchema, 'POST', `/exits/${encodeURIComponent(id)}/image`, body));
  }

  /** 绿通查验: the plate's appointment and ban, the photos asked for, the exit's latest inspection. */
  greenChannel(id: string) {
    return this.call(GreenChannelViewSchema, 'GET', `/exits/${encodeURIComponent(id)}/green-inspection`);
  }

  /** 【绿通查验】: the inspection kept; a priced exit comes back re-priced. */
  async greenInspect(id: string, body: GreenInspectionRequest) {
    const r = await this.call(
      GreenInspectionAnswerSchema,
      'POST',
      `/exits/${encodeURIComponent(id)}/green-inspection`,
      body,
    );
    return { inspection: r.inspection, txn: toExitTxn(r.transaction) };
  }

  async computeFee(id: string, body: ExitFeeRequest): Promise<ExitTxn> {
    return toExitTxn(await this.call(ExitSchema, 'POST', `/exits/${encodeURIComponent(id)}/fee`, body));
  }

  /** Long-poll for the monitor's decision: returns when decided or after `waitMs`. */
  async waitAuthorisation(id: string, waitMs = 20_000): Promise<ExitTxn> {
    const t = await this.call(
      ExitSchema,
      'GET',
      `/exits/${encodeURIComponent(id)}/authorisation?waitMs=${waitMs}`,
      undefined,
      { timeoutMs: waitMs + 5_000 },
    );
    return toExitTxn(t);
  }

  /** Announces the DEBIT before it is sent; the station answers with the exit trade ID. */
  async debitIntent(id: string, intent: DebitIntent): Promise<{ txn: ExitTxn; tradeId: string }> {
    const r = await this.call(
      DebitIntentAnswer,
      'POST',
      `/exits/${encodeURIComponent(id)}/debit-intent`,
      intent,
    );
    if (!r.tradeId) throw handheldError('HH_ERR_BAD_RESPONSE', { detail: 'debit-intent without tradeId' });
    return { txn: toExitTxn(r.transaction), tradeId: r.tradeId };
  }

  /**
   * A CPC exit's payment intent (QR 被扫/主扫, or cash with the tendered amount; station-api payments.ts): the
   * station answers with the trade ID and the payment's status (cash: already succeeded, with the change).
   */
  async cpcPaymentIntent(
    id: string,
    intent: CpcPaymentIntent,
  ): Promise<{ txn: ExitTxn; tradeId: string; payment: PaymentStatus | null }> {
    const r = await this.call(
      DebitIntentAnswer,
      'POST',
      `/exits/${encodeURIComponent(id)}/debit-intent`,
      intent,
    );
    if (!r.tradeId) throw handheldError('HH_ERR_BAD_RESPONSE', { detail: 'payment intent without tradeId' });
    return { txn: toExitTxn(r.transaction), tradeId: r.tradeId, payment: r.payment ?? null };
  }

  /**
   * The payment of an exit, by long poll: answers at once when its version is above `since`, else after
   * `waitMs` with the same status (payments.ts step 3).
   */
  async payment(id: string, since = -1, waitMs = 25_000): Promise<PaymentStatus> {
    return this.call(
      PaymentStatusSchema,
      'GET',
      `/exits/${encodeURIComponent(id)}/payment?waitMs=${waitMs}&since=${since}`,
      undefined,
      { timeoutMs: waitMs + 5_000 },
    );
  }

  /** The collector stops waiting: the station queries, then cancels. Follow with `payment()`. */
  async stopPayment(id: string): Promise<void> {
    await this.request<unknown>('POST', `/exits/${encodeURIComponent(id)}/payment/stop`, {});
  }

  /** Another code for the same pay ID and amount, after the last attempt ended not paid. Follow with `payment()`. */
  async paymentAttempt(id: string, attempt: PaymentAttempt): Promise<void> {
    await this.request<unknown>('POST', `/exits/${encodeURIComponent(id)}/payment/attempts`, attempt);
  }

  /** A CPC exit's record with the card write's outcome; idempotent on the trade ID like the ETC commit. */
  async commitCpc(id: string, c: CpcCommit | NoneCommit): Promise<{ tradeId: string; replayed: boolean }> {
    const r = await this.call(CommitAnswer, 'POST', `/exits/${encodeURIComponent(id)}/commit`, c, {
      headers: { 'idempotency-key': c.tradeId },
    });
    return { tradeId: r.tradeId, replayed: r.replayed };
  }

  /** The final record; idempotent on the trade ID (a replay answers with the same record). */
  async commit(id: string, c: Commit): Promise<{ tradeId: string; replayed: boolean }> {
    const r = await this.call(CommitAnswer, 'POST', `/exits/${encodeURIComponent(id)}/commit`, c, {
      headers: { 'idempotency-key': c.tradeId },
    });
    return { tradeId: r.tradeId, replayed: r.replayed };
  }

  /** The card's proof after a tear or reload: debited (commit) or not (the intent is void). */
  async recover(id: string, proof: Recovery): Promise<ExitTxn> {
    const r = await this.call(RecoverAnswer, 'POST', `/exits/${encodeURIComponent(id)}/recover`, proof);
    return toExitTxn(r.transaction);
  }

  async cancel(id: string, reason: string): Promise<ExitTxn> {
    return toExitTxn(
      await this.call(ExitSchema, 'POST', `/exits/${encodeURIComponent(id)}/cancel`, { reason }),
    );
  }

  // --- monitor ----------------------------------------------------------------------------------
  async pendingAuthorisations(): Promise<PendingAuthorisation[]> {
    const list = await this.call(ExitListSchema, 'GET', '/exits?authStatus=required&state=priced&limit=50');
    return list.map((t) => toPendingAuthorisation(toExitTxn(t)));
  }

  async decide(id: string, approve: boolean, reason: string): Promise<ExitTxn> {
    return toExitTxn(
      await this.call(ExitSchema, 'POST', `/exits/${encodeURIComponent(id)}/authorisation`, {
        approve,
        reason,
      }),
    );
  }

  /** One committed exit's record (a receipt is printed from it). */
  async record(tradeId: string): Promise<StoredRecord> {
    return this.call(RecordSchema, 'GET', `/records/${encodeURIComponent(tradeId)}`);
  }

  /** The shift's records, newest first (receipts reprinted from them). */
  async shiftRecords(shiftId: string, limit = 200): Promise<StoredRecord[]> {
    return this.call(
      RecordListSchema,
      'GET',
      `/records?shiftId=${encodeURIComponent(shiftId)}&limit=${limit}`,
    );
  }

  async records(limit = 20): Promise<ExitRecordSummary[]> {
    const list = await this.call(RecordListSchema, 'GET', `/records?limit=${limit}`);
    return list.map(toRecordSummary);
  }
}

/**
 * An error answer's code and message. Any code is taken, not only the codes this build knows
 * (StationErrorCode): a newer station's code still reaches the collector with its message.
 */
function errorBodyOf(v: unknown): (Pick<StationErrorBody, 'message' | 'detail'> & { code: string }) | null {
  if (v === null || typeof v !== 'object') return null;
  const b = v as Partial<Record<keyof StationErrorBody, unknown>>;
  if (typeof b.code !== 'string' || typeof b.message !== 'string') return null;
  return { code: b.code, message: b.message, ...(typeof b.detail === 'string' ? { detail: b.detail } : {}) };
}

/** A station `detail` like "plate: reason" names the field to mark. */
function fieldOf(detail: string): string | undefined {
  const m = /^([A-Za-z][\w.]*):/.exec(detail);
  return m?.[1];
}
