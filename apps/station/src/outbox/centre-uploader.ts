/**
 * One upload of one exit record to the centre (`POST /records`, Idempotency-Key = trade ID), classified:
 * - `acked`: 201 created or 200 replayed (the centre already holds exactly this record), or 202: the
 *   centre keeps it in quarantine (issuer keys not held there) — kept, so the outbox is done with it;
 * - `rejected`: a 4xx refusal carrying a `CTR_ERR_*` code the station cannot fix by retrying;
 * - `retry`: anything else (network error, timeout, 5xx, 429, a 4xx without a centre code — e.g. a proxy).
 */
export type UploadOutcome =
  | { kind: 'acked'; replayed: boolean; tacStatus: string | undefined }
  | { kind: 'rejected'; code: string; detail: string }
  | { kind: 'retry'; reason: string };

/** Centre refusals that are about the request path or the station's credentials, not the record. [P] */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  'CTR_ERR_AUTH_REQUIRED',
  'CTR_ERR_AUTH_CERTIFICATE',
  'CTR_ERR_REQ_NOT_FOUND',
  'CTR_ERR_DB_UNAVAILABLE',
  'CTR_ERR_INTERNAL',
]);

export interface CentreUploaderOptions {
  centreUrl: string;
  /** Bearer token when the centre runs with CENTRE_API_TOKEN. */
  token?: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/**
 * Where each outbox topic goes, and what in the centre's answer acknowledges its key: an exit record answers its
 * trade ID; a 绿通查验 (key = trade ID + `-G`, services/exit/green-inspection-upload.ts) answers its key.
 */
const ROUTES: Readonly<Record<string, { path: string; ackField: string }>> = {
  'exit-record': { path: '/records', ackField: 'tradeId' },
  'green-inspection': { path: '/green-inspections', ackField: 'key' },
  // 补缴: a payback record (services/arrears-payback.service.ts); the centre clears the entries it names once.
  'arrears-payback': { path: '/arrears-paybacks', ackField: 'tradeId' },
};

export function createCentreUploader(opts: CentreUploaderOptions) {
  const base = opts.centreUrl.replace(/\/$/, '');
  const doFetch = opts.fetch ?? fetch;
  return async function upload(
    tradeId: string,
    payload: string,
    topic = 'exit-record',
  ): Promise<UploadOutcome> {
    const route = ROUTES[topic];
    if (!route) return { kind: 'retry', reason: `no route for outbox topic ${topic}` };
    let res: Response;
    let text: string;
    try {
      res = await doFetch(`${base}${route.path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': tradeId,
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        },
        body: payload,
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
      text = await res.text();
    } catch (e) {
      return { kind: 'retry', reason: `network: ${e instanceof Error ? e.message : String(e)}` };
    }
    const body = parseJson(text);
    if (res.status === 200 || res.status === 201 || res.status === 202) {
      // A proxy answering 200 with something else is not an acknowledgement.
      if (body?.[route.ackField] !== tradeId)
        return { kind: 'retry', reason: `HTTP ${res.status} without ack` };
      return {
        kind: 'acked',
        replayed: res.headers.get('idempotent-replayed') === 'true' || res.status === 200,
        tacStatus: typeof body.tacStatus === 'string' ? body.tacStatus : undefined,
      };
    }
    const code = typeof body?.code === 'string' ? body.code : undefined;
    if (
      res.status >= 400 &&
      res.status < 500 &&
      res.status !== 408 &&
      res.status !== 429 &&
      code?.startsWith('CTR_ERR_') &&
      !RETRYABLE_CODES.has(code)
    ) {
      const detail = [body?.message, body?.detail].filter((x) => typeof x === 'string').join(': ');
      return { kind: 'rejected', code, detail: detail || `HTTP ${res.status}` };
    }
    return { kind: 'retry', reason: `HTTP ${res.status}${code ? ` ${code}` : ''}` };
  };
}

export type CentreUpload = ReturnType<typeof createCentreUploader>;

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
