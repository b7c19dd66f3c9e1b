import { PathEntrySourceSchema, PathFitSchema } from '@tollpad/domain';
import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const PhotoRef = Nullable(
  Type.Object({
    id: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    source: Type.Union([Type.Literal('lane'), Type.Literal('gantry')]),
  }),
);
const Point = {
  station: Type.String({ maxLength: 14 }),
  stationHex: Nullable(Type.String({ maxLength: 8 })),
  name: Nullable(Type.String({ maxLength: 64 })),
  time: Nullable(Type.String({ maxLength: 40 })),
  photo: PhotoRef,
};

/** The centre's answer to `GET /passes/:passId/path` and `GET /plates/:plate/path` (apps/centre INTERFACES.md). */
const CentrePathSchema = Type.Object({
  passId: Nullable(Type.String()),
  plate: Nullable(Type.String()),
  version: Type.String(),
  fit: PathFitSchema,
  entry: Nullable(
    Type.Object({
      ...Point,
      source: PathEntrySourceSchema,
    }),
  ),
  // A province's path is far shorter than this; a longer answer is not a path.
  gantries: Type.Array(
    Type.Object({
      id: Type.String({ maxLength: 19 }),
      hex: Type.String({ maxLength: 6 }),
      time: Nullable(Type.String({ maxLength: 40 })),
      fee: Nullable(Type.Integer()),
      observed: Type.Boolean(),
      photo: PhotoRef,
    }),
    { maxItems: 500 },
  ),
  exit: Nullable(Type.Object(Point)),
});
export type CentrePath = Static<typeof CentrePathSchema>;

/** The exit the centre may not hold yet (an exit in progress), and the trip's facts the station knows. */
export interface CentrePathQuery {
  exitStation: string;
  exitTime: string;
  entryStation?: string;
  vehicleClass?: number;
  plate?: string;
  colour?: number;
}

export type PathAnswer =
  | { ok: true; value: CentrePath }
  | { ok: false; reason: string /** The centre holds nothing of the pass or plate. */; notFound?: boolean };
export type PhotoAnswer = { ok: true; bytes: Buffer } | { ok: false; reason: string };

/** The centre's paths and photos for this station. Never throws: every failure is an answer. */
export interface CentrePathPort {
  ofPass(passId: string, q: CentrePathQuery, signal: AbortSignal): Promise<PathAnswer>;
  ofPlate(plate: string, q: CentrePathQuery, signal: AbortSignal): Promise<PathAnswer>;
  /** A photo's JPEG, read no further than `maxBytes` (a larger one is refused, not truncated). */
  photo(id: string, maxBytes: number, signal: AbortSignal): Promise<PhotoAnswer>;
}

/** Reads a body up to `max` bytes; null when it is longer. */
async function boundedBody(res: Response, max: number): Promise<Buffer | null> {
  const declared = Number(res.headers.get('content-length') ?? 'NaN');
  if (declared > max) {
    await res.body?.cancel();
    return null;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
}

/** [P] The most a path answer may weigh: a path of 500 gantries is well under it. */
const PATH_MAX_BYTES = 256 * 1024;

/** The centre over mutual TLS (the `fetch` of sync/centre-tls.ts): this station's certificate says who asks. */
export function centrePath(
  baseUrl: string,
  apiToken?: string,
  doFetch: typeof fetch = fetch,
): CentrePathPort {
  const base = baseUrl.replace(/\/$/, '');
  const headers: Record<string, string> = apiToken ? { authorization: `Bearer ${apiToken}` } : {};
  const query = (q: CentrePathQuery, extra: Record<string, string>) => {
    const p = new URLSearchParams(extra);
    p.set('exitStation', q.exitStation);
    if (q.entryStation !== undefined) p.set('entryStation', q.entryStation);
    if (q.vehicleClass !== undefined) p.set('vehicleClass', String(q.vehicleClass));
    return p.toString();
  };
  const get = async (url: string, signal: AbortSignal): Promise<PathAnswer> => {
    try {
      const res = await doFetch(url, { signal, headers });
      const raw = await boundedBody(res, PATH_MAX_BYTES);
      const body: unknown = raw === null ? null : JSON.parse(raw.toString('utf8') || 'null');
      if (!res.ok) {
        const code = (body as { code?: unknown } | null)?.code;
        return {
          ok: false,
          reason: `centre HTTP ${res.status}${typeof code === 'string' ? ` ${code}` : ''}`,
          ...(code === 'CTR_ERR_PATH_NOT_FOUND' ? { notFound: true } : {}),
        };
      }
      if (!Value.Check(CentrePathSchema, body)) return { ok: false, reason: 'centre answer malformed' };
      return { ok: true, value: body };
    } catch (e) {
      return { ok: false, reason: e instanceof Error ? e.message : 'centre unreachable' };
    }
  };
  return {
    ofPass: (passId, q, signal) =>
      get(
        `${base}/passes/${encodeURIComponent(passId)}/path?${query(q, {
          exitTime: q.exitTime,
          ...(q.plate !== undefined ? { plate: q.plate } : {}),
        })}`,
        signal,
      ),
    ofPlate: (plate, q, signal) =>
      get(
        `${base}/plates/${encodeURIComponent(plate)}/path?${query(q, {
          before: q.exitTime,
          ...(q.colour !== undefined ? { colour: String(q.colour) } : {}),
        })}`,
        signal,
      ),
    async photo(id, maxBytes, signal) {
      try {
        const res = await doFetch(`${base}/photos/${encodeURIComponent(id)}`, { signal, headers });
        if (!res.ok) {
          await res.body?.cancel();
          return { ok: false, reason: `centre HTTP ${res.status}` };
        }
        const bytes = await boundedBody(res, maxBytes);
        if (bytes === null) return { ok: false, reason: `photo over ${maxBytes} bytes` };
        // A JPEG (SOI … EOI), as the centre stores them: anything else is not served on.
        if (
          bytes.length < 4 ||
          bytes[0] !== 0xff ||
          bytes[1] !== 0xd8 ||
          bytes.at(-2) !== 0xff ||
          bytes.at(-1) !== 0xd9
        )
          return { ok: false, reason: 'not a JPEG' };
        return { ok: true, bytes };
      } catch (e) {
        return { ok: false, reason: e instanceof Error ? e.message : 'centre unreachable' };
      }
    },
  };
}
