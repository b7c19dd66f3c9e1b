import { HandheldError, handheldError, stationAction } from '../errors';
import type {
  AuthStatus,
  CardCheck,
  CardReadPayload,
  CommitInput,
  DebitIntent,
  ExitRecordSummary,
  ExitState,
  ExitTxn,
  Fee,
  Lane,
  LaneState,
  LoginResult,
  PendingAuthorisation,
  Shift,
  ShiftReport,
  StationErrorBody,
  StationInfo,
} from './types';

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

  private async request<T>(
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
      const b = json as Partial<StationErrorBody> | undefined;
      if (b && typeof b.code === 'string' && typeof b.message === 'string') {
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

  // --- auth -------------------------------------------------------------------------------------
  async login(username: string, password: string, terminalId?: string): Promise<LoginResult> {
    const r = await this.request<LoginResult>('POST', '/auth/login', {
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

  me(): Promise<LoginResult['account'] & { terminalId: string | null }> {
    return this.request('GET', '/auth/me');
  }

  // --- configuration ----------------------------------------------------------------------------
  station(): Promise<StationInfo> {
    return this.request('GET', '/config/station');
  }

  lanes(): Promise<Lane[]> {
    return this.request('GET', '/config/lanes');
  }

  /**
   * Live lane state from the station's lane linkage (GET /linkage/lanes): link, barrier, the camera's
   * plate. A lost link reads UNKNOWN; a station without linkage (404) → every lane UNKNOWN.
   */
  async laneStates(): Promise<LaneState[]> {
    let raw: unknown;
    try {
      raw = await this.request<unknown>('GET', '/linkage/lanes');
    } catch (e) {
      if (e instanceof HandheldError && e.code === 'STN_ERR_REQ_NOT_FOUND') return [];
      throw e;
    }
    return arr(obj(raw).lanes).map((x) => {
      const l = obj(x);
      const up = str(l.link) === 'online';
      const barrier = (str(l.monitorState) ?? '').toUpperCase();
      const vehicle = l.vehicle === null || l.vehicle === undefined ? null : obj(l.vehicle);
      return {
        laneId: str(l.laneId) ?? '',
        link: up ? 'UP' : 'UNKNOWN',
        vehiclePresent: up ? vehicle !== null : null,
        barrier: !up
          ? 'unknown'
          : barrier.includes('OPEN') || barrier.includes('UP')
            ? 'open'
            : barrier.includes('CLOS') || barrier.includes('DOWN')
              ? 'closed'
              : 'unknown',
        capturedPlate: vehicle ? str(vehicle.plate) : null,
        capturedPlateColour: vehicle ? num(vehicle.plateColour) : null,
      };
    });
  }

  // --- shifts -----------------------------------------------------------------------------------
  async currentShift(): Promise<Shift | null> {
    try {
      return await this.request<Shift>('GET', '/shifts/current');
    } catch (e) {
      if (e instanceof HandheldError && (e.code === 'STN_ERR_SHIFT_NOT_OPEN' || e.status === 404))
        return null;
      throw e;
    }
  }

  openShift(): Promise<Shift> {
    return this.request('POST', '/shifts');
  }

  shiftReport(id: string): Promise<ShiftReport> {
    return this.request('GET', `/shifts/${encodeURIComponent(id)}/report`);
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
  async createExit(laneId: string, card: CardReadPayload): Promise<ExitTxn> {
    return toExitTxn(await this.request<unknown>('POST', '/exits', { laneId, card }));
  }

  async getExit(id: string): Promise<ExitTxn> {
    return toExitTxn(await this.request<unknown>('GET', `/exits/${encodeURIComponent(id)}`));
  }

  /** Uploads the photo; resolves with the image's sha256. Reports progress where XHR is available. */
  uploadImage(blob: Blob, onProgress?: (fraction: number) => void): Promise<{ sha256: string }> {
    if (typeof XMLHttpRequest === 'undefined' || !onProgress) {
      return this.request('POST', '/images', undefined, {
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
        const o = obj(json);
        if (xhr.status >= 200 && xhr.status < 300 && typeof o.sha256 === 'string') {
          onProgress(1);
          resolve({ sha256: o.sha256 });
          return;
        }
        if (typeof o.code === 'string' && typeof o.message === 'string')
          reject(new HandheldError(o.code, o.message, stationAction(o.code), { status: xhr.status }));
        else reject(handheldError('HH_ERR_BAD_RESPONSE', { detail: `HTTP ${xhr.status}` }));
      };
      xhr.send(blob);
    });
  }

  async submitImage(
    id: string,
    body: { plate: string; plateColour: number; photoSha256: string },
  ): Promise<ExitTxn> {
    return toExitTxn(await this.request<unknown>('POST', `/exits/${encodeURIComponent(id)}/image`, body));
  }

  async computeFee(id: string, body: { vehicleClass: number; vehicleKind: number }): Promise<ExitTxn> {
    return toExitTxn(await this.request<unknown>('POST', `/exits/${encodeURIComponent(id)}/fee`, body));
  }

  /** Long-poll for the monitor's decision: returns when decided or after `waitMs`. */
  async waitAuthorisation(id: string, waitMs = 20_000): Promise<ExitTxn> {
    const raw = await this.request<unknown>(
      'GET',
      `/exits/${encodeURIComponent(id)}/authorisation?waitMs=${waitMs}`,
      undefined,
      { timeoutMs: waitMs + 5_000 },
    );
    return toExitTxn(raw);
  }

  /** Announces the DEBIT before it is sent; the station answers with the exit trade ID. */
  async debitIntent(id: string, intent: DebitIntent): Promise<{ txn: ExitTxn; tradeId: string }> {
    const raw = obj(
      await this.request<unknown>('POST', `/exits/${encodeURIComponent(id)}/debit-intent`, intent),
    );
    const txn = toExitTxn(raw.transaction);
    const tradeId = str(raw.tradeId) || txn.tradeId;
    if (!tradeId) throw handheldError('HH_ERR_BAD_RESPONSE', { detail: 'debit-intent without tradeId' });
    return { txn, tradeId };
  }

  /** The final record; idempotent on the trade ID (a replay answers with the same record). */
  async commit(id: string, c: CommitInput): Promise<{ tradeId: string; replayed: boolean }> {
    const r = obj(
      await this.request<unknown>('POST', `/exits/${encodeURIComponent(id)}/commit`, c, {
        headers: { 'idempotency-key': c.tradeId },
      }),
    );
    return { tradeId: str(r.tradeId) ?? c.tradeId, replayed: r.replayed === true };
  }

  /** The card's proof after a tear or reload: debited (commit) or not (the intent is void). */
  async recover(
    id: string,
    proof: { outcome: 'debited'; commit: CommitInput } | { outcome: 'not-debited'; cardAtc: number },
  ): Promise<ExitTxn> {
    const raw = obj(await this.request<unknown>('POST', `/exits/${encodeURIComponent(id)}/recover`, proof));
    return toExitTxn(raw.transaction);
  }

  async cancel(id: string, reason: string): Promise<ExitTxn> {
    return toExitTxn(
      await this.request<unknown>('POST', `/exits/${encodeURIComponent(id)}/cancel`, { reason }),
    );
  }

  // --- monitor ----------------------------------------------------------------------------------
  async pendingAuthorisations(): Promise<PendingAuthorisation[]> {
    const list = arr(await this.request<unknown>('GET', '/exits?authStatus=required&state=priced&limit=50'));
    return list.map(toExitTxn).map((t) => ({
      txnId: t.id,
      laneId: t.laneId,
      cardNo: t.cardNo,
      plate: t.plate,
      amount: t.fee?.amount ?? null,
      specialTypes: t.fee?.specialTypes ?? [],
      reasons: t.fee?.authReasons ?? [],
    }));
  }

  async decide(id: string, approve: boolean, reason: string): Promise<ExitTxn> {
    return toExitTxn(
      await this.request<unknown>('POST', `/exits/${encodeURIComponent(id)}/authorisation`, {
        approve,
        reason,
      }),
    );
  }

  async records(limit = 20): Promise<ExitRecordSummary[]> {
    const list = arr(await this.request<unknown>('GET', `/records?limit=${limit}`));
    return list.map(toRecord);
  }
}

// --- wire → view mapping (tolerant of camelCase rows with parsed JSON or snake_case rows) ----------

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

const LIST_NAMES: Record<string, string> = { card: '卡片状态', obu: 'OBU状态', vehicle: '车辆状态' };

const STATES: readonly ExitState[] = ['read', 'imaged', 'priced', 'debit_pending', 'committed', 'cancelled'];
const AUTH: readonly AuthStatus[] = ['none', 'required', 'approved', 'refused'];

/** The station's exit transaction (ExitSchema in exits.routes.ts) as the screens use it. */
export function toExitTxn(raw: unknown): ExitTxn {
  const o = obj(raw);
  const id = str(o.id);
  const state = str(o.state) as ExitState | null;
  if (!id || !state || !STATES.includes(state))
    throw handheldError('HH_ERR_BAD_RESPONSE', { detail: 'exit txn' });
  const checks = obj(o.checks);
  const actions = arr(checks.actions).filter((a): a is string => typeof a === 'string');
  const specials = arr(checks.specials).map(obj);
  const imageSpecials = arr(checks.imageSpecials).map(obj);
  const cardChecks: CardCheck[] = [];
  for (const sp of [...specials, ...imageSpecials]) {
    cardChecks.push({
      name: str(sp.description) ?? `特情 ${num(sp.code) ?? ''}`,
      ok: false,
      special: num(sp.code),
    });
  }
  for (const hit of arr(checks.listHits).map(obj)) {
    cardChecks.push({
      name: `${LIST_NAMES[str(hit.list) ?? ''] ?? '状态'}名单：${str(hit.reason) ?? ''}（类型 ${num(hit.type) ?? '?'}）`,
      ok: false,
      special: num(hit.special) ?? num(hit.code),
      action: '请联系班长核实，授权放行或改用其他方式收费',
    });
  }
  const failed = new Set(cardChecks.map((c) => c.special));
  // The checks that passed, shown green so the collector sees what was verified.
  const passed: [string, number[]][] = [
    ['卡片与OBU/入口信息一致', [41, 51, 52, 53, 54, 55]],
    ['卡片有效（有效期、状态）', [21, 22, 23, 24, 25, 26]],
    ['不在状态名单', [101, 102, 103, 104, 118]],
  ];
  for (const [name, codes] of passed)
    if (!codes.some((c) => failed.has(c))) cardChecks.push({ name, ok: true });
  if (actions.length > 0) {
    const firstBad = cardChecks.find((c) => !c.ok);
    if (firstBad) firstBad.action = actions.join('；');
  }
  const f = o.fee === null || o.fee === undefined ? null : obj(o.fee);
  const auth = obj(o.authorisation);
  const reasons = arr(auth.reasons).map(obj);
  const fee: Fee | null = f
    ? {
        amount: num(f.fee) ?? 0,
        fee: num(f.fee) ?? 0,
        payFee: num(f.payFee) ?? 0,
        discount: num(f.discountFee) ?? 0,
        exitFeeType: num(f.exitFeeType) ?? 0,
        specialTypes: arr(f.specials)
          .map((x) => (typeof x === 'number' ? x : num(obj(x).code)))
          .filter((c): c is number => c !== null),
        authReasons: reasons.map((r) => str(r.text) ?? str(r.code) ?? ''),
        etcPayable: f.etcPayable !== false,
        notPayableReason: str(f.notPayableReason),
      }
    : null;
  const authStatus = (str(auth.status) ?? 'none') as AuthStatus;
  const suggested = obj(checks.suggested);
  const image = o.image === null || o.image === undefined ? null : obj(o.image);
  return {
    id,
    state,
    laneId: str(o.laneId) ?? '',
    cardNo: str(o.cardId) ?? '',
    checks: cardChecks,
    blocked: checks.blocked === true,
    actions,
    suggested: { vehicleClass: num(suggested.vehicleClass), vehicleKind: num(suggested.vehicleKind) },
    plate: image ? str(image.plate) : null,
    plateColour: image ? num(image.plateColour) : null,
    vehicleClass: f ? num(f.vehicleClass) : null,
    vehicleKind: f ? num(f.vehicleKind) : null,
    fee,
    auth: {
      status: AUTH.includes(authStatus) ? authStatus : 'none',
      by: str(auth.by),
      reason: str(auth.reason),
    },
    tradeId: str(o.tradeId),
  };
}

export function toRecord(raw: unknown): ExitRecordSummary {
  const o = obj(raw);
  const rec = obj(o.record);
  return {
    tradeId: str(o.tradeId) ?? '',
    laneId: str(o.laneId) ?? '',
    cardNo: str(o.cardId) ?? '',
    vehicleId: str(o.vehicleId) ?? '',
    exTime: str(o.exTime) ?? '',
    fee: num(o.fee) ?? 0,
    payFee: num(rec.payFee) ?? num(o.fee) ?? 0,
    vehicleClass: num(rec.vehicleType) ?? 0,
    vehicleKind: num(rec.vehicleClass) ?? 0,
    specialTypes: arr(o.specialTypes).join('|'),
  };
}

/** A station `detail` like "plate: reason" names the field to mark. */
function fieldOf(detail: string): string | undefined {
  const m = /^([A-Za-z][\w.]*):/.exec(detail);
  return m?.[1];
}
