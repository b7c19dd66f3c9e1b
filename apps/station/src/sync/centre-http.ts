/** Small typed HTTP helpers for the centre's publication routes; every failure becomes a SyncFailure. */
export class SyncFailure extends Error {
  constructor(
    readonly code: string,
    readonly reason: string,
  ) {
    super(`${code}: ${reason}`);
    this.name = 'SyncFailure';
  }
}

export interface CentreHttpOptions {
  centreUrl: string;
  token?: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

export function createCentreHttp(opts: CentreHttpOptions) {
  const base = opts.centreUrl.replace(/\/$/, '');
  const doFetch = opts.fetch ?? fetch;
  async function get(path: string): Promise<Response> {
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {},
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
    } catch (e) {
      throw new SyncFailure(
        'SYNC_CENTRE_UNREACHABLE',
        `${path}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new SyncFailure('SYNC_CENTRE_HTTP', `${path}: HTTP ${res.status}`);
    }
    return res;
  }
  return {
    async json<T>(path: string): Promise<T> {
      const res = await get(path);
      try {
        return (await res.json()) as T;
      } catch {
        throw new SyncFailure('SYNC_CENTRE_BAD_BODY', `${path}: not JSON`);
      }
    },
    async text(path: string): Promise<{ text: string; headers: Headers }> {
      const res = await get(path);
      return { text: await res.text(), headers: res.headers };
    },
    async bytes(path: string): Promise<{ bytes: Uint8Array; headers: Headers }> {
      const res = await get(path);
      return { bytes: new Uint8Array(await res.arrayBuffer()), headers: res.headers };
    },
  };
}

export type CentreHttp = ReturnType<typeof createCentreHttp>;
