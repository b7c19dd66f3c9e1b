import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type PlateColour, validatePlate } from '@tollpad/domain';
import Type from 'typebox';
import { Compile } from 'typebox/compile';
import type { LaneController } from './lane-controller';

/**
 * The simulator's local control port (demo and tests): make a vehicle arrive, pass, or fault the arm.
 * Bound to loopback; it stands in for the loop detectors and camera a real lane has.
 *   POST /vehicle {laneId?, plate?, plateColour?, imageRef?}  POST /passed {laneId?}
 *   POST /fault {laneId?, reason}  GET /lanes
 */
const MAX_BODY = 4 * 1024;

const VehicleBody = Compile(
  Type.Object(
    {
      laneId: Type.Optional(Type.String({ maxLength: 21 })),
      plate: Type.Optional(Type.String({ minLength: 1, maxLength: 16 })),
      plateColour: Type.Optional(Type.Integer({ minimum: 0, maximum: 99 })),
      imageRef: Type.Optional(Type.String({ pattern: '^[!-~]{1,512}$' })),
    },
    { additionalProperties: false },
  ),
);
const LaneBody = Compile(
  Type.Object({ laneId: Type.Optional(Type.String({ maxLength: 21 })) }, { additionalProperties: false }),
);
const FaultBody = Compile(
  Type.Object(
    {
      laneId: Type.Optional(Type.String({ maxLength: 21 })),
      reason: Type.String({ minLength: 1, maxLength: 64 }),
    },
    { additionalProperties: false },
  ),
);

interface HttpError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

const bad = (code: string, message: string, status = 400): HttpError => ({ status, code, message });

function readBody(req: IncomingMessage): Promise<unknown | HttpError> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        resolve(bad('BODY_TOO_LARGE', '请求体过大', 413));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve({});
      try {
        resolve(JSON.parse(text) as unknown);
      } catch {
        resolve(bad('BODY_NOT_JSON', '请求体不是合法的JSON'));
      }
    });
    req.on('error', () => resolve(bad('BODY_UNREADABLE', '请求体读取失败')));
  });
}

function isHttpError(v: unknown): v is HttpError {
  return typeof v === 'object' && v !== null && 'status' in v && 'code' in v && 'message' in v;
}

export interface ControlServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startControlServer(
  lanes: ReadonlyMap<string, LaneController>,
  port: number,
  host = '127.0.0.1',
): Promise<ControlServer> {
  const pick = (laneId: string | undefined): LaneController | HttpError => {
    if (laneId === undefined) {
      if (lanes.size === 1) return [...lanes.values()][0]!;
      return bad('LANE_REQUIRED', '有多条车道，请指定laneId');
    }
    return lanes.get(laneId) ?? bad('LANE_UNKNOWN', `本模拟器没有车道${laneId}`, 404);
  };

  const route = async (req: IncomingMessage): Promise<{ status: number; body: unknown }> => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/lanes') {
      return {
        status: 200,
        body: [...lanes.values()].map((l) => ({
          laneId: l.laneId,
          barrier: l.barrierState,
          display: l.display.current,
        })),
      };
    }
    if (req.method !== 'POST' || !['/vehicle', '/passed', '/fault'].includes(path ?? '')) {
      return { status: 404, body: { code: 'NOT_FOUND', message: '无此接口' } };
    }
    const body = await readBody(req);
    if (isHttpError(body)) return { status: body.status, body: { code: body.code, message: body.message } };
    if (path === '/vehicle') {
      if (!VehicleBody.Check(body))
        return { status: 400, body: { code: 'BODY_INVALID', message: '参数不符合要求' } };
      const lane = pick(body.laneId);
      if (isHttpError(lane)) return { status: lane.status, body: { code: lane.code, message: lane.message } };
      let plate: { plate: string; plateColour: PlateColour } | undefined;
      if (body.plate !== undefined || body.plateColour !== undefined) {
        const v = validatePlate(body.plate ?? '', body.plateColour ?? -1, { allowUnrecognised: true });
        if (!v.ok) return { status: 400, body: { code: v.error.code, message: v.error.reason } };
        plate = { plate: v.value.plate, plateColour: v.value.colour };
      }
      const r = await lane.vehicleArrived({
        ...(plate ?? {}),
        ...(body.imageRef !== undefined ? { imageRef: body.imageRef } : {}),
      });
      return { status: 202, body: r };
    }
    if (path === '/passed') {
      if (!LaneBody.Check(body))
        return { status: 400, body: { code: 'BODY_INVALID', message: '参数不符合要求' } };
      const lane = pick(body.laneId);
      if (isHttpError(lane)) return { status: lane.status, body: { code: lane.code, message: lane.message } };
      await lane.vehiclePassed();
      return { status: 202, body: { barrier: lane.barrierState } };
    }
    if (!FaultBody.Check(body))
      return { status: 400, body: { code: 'BODY_INVALID', message: '参数不符合要求' } };
    const lane = pick(body.laneId);
    if (isHttpError(lane)) return { status: lane.status, body: { code: lane.code, message: lane.message } };
    lane.fault(body.reason);
    return { status: 202, body: { barrier: lane.barrierState } };
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    route(req).then(
      ({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(body));
      },
      () => {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ code: 'INTERNAL', message: '模拟器内部错误' }));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host}:${actual}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
