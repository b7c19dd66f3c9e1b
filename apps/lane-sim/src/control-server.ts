import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import type { Duplex } from 'node:stream';
import { type PlateColour, validatePlate } from '@tollpad/domain';
import Type from 'typebox';
import { Compile } from 'typebox/compile';
import { ControlError, controlAnswer, controlError } from './control-errors';
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

function isControlError(v: unknown): v is ControlError {
  return v instanceof ControlError;
}

/**
 * The body as JSON, read up to MAX_BODY bytes. That bound is also the depth bound: nothing runs over
 * the parsed value but the compiled schema checks, which stop at the first node the schema does not
 * allow, so no body that fits can recurse deeply.
 */
function readBody(req: IncomingMessage): Promise<unknown> {
  const announced = Number(req.headers['content-length'] ?? 0);
  if (announced > MAX_BODY) return Promise.resolve(controlError('BODY_TOO_LARGE', `${announced} bytes`));
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        // Answered now; the rest is not read (the answer closes the connection).
        req.removeAllListeners('data');
        req.pause();
        resolve(controlError('BODY_TOO_LARGE', `more than ${MAX_BODY} bytes`));
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
        resolve(controlError('BODY_NOT_JSON'));
      }
    });
    req.on('error', () => resolve(controlError('BODY_UNREADABLE')));
  });
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
  const pick = (laneId: string | undefined): LaneController | ControlError => {
    if (laneId === undefined) {
      if (lanes.size === 1) return [...lanes.values()][0]!;
      return controlError('LANE_REQUIRED');
    }
    return lanes.get(laneId) ?? controlError('LANE_UNKNOWN', laneId);
  };

  const route = async (req: IncomingMessage): Promise<{ status: number; body: unknown } | ControlError> => {
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
      return controlError('NOT_FOUND', `${req.method} ${path}`);
    }
    const body = await readBody(req);
    if (isControlError(body)) return body;
    if (path === '/vehicle') {
      if (!VehicleBody.Check(body)) return controlError('BODY_INVALID');
      const lane = pick(body.laneId);
      if (isControlError(lane)) return lane;
      let plate: { plate: string; plateColour: PlateColour } | undefined;
      if (body.plate !== undefined || body.plateColour !== undefined) {
        const v = validatePlate(body.plate ?? '', body.plateColour ?? -1, { allowUnrecognised: true });
        if (!v.ok) return controlError('PLATE_INVALID', `${v.error.code}: ${v.error.reason}`);
        plate = { plate: v.value.plate, plateColour: v.value.colour };
      }
      const r = await lane.vehicleArrived({
        ...(plate ?? {}),
        ...(body.imageRef !== undefined ? { imageRef: body.imageRef } : {}),
      });
      return { status: 202, body: r };
    }
    if (path === '/passed') {
      if (!LaneBody.Check(body)) return controlError('BODY_INVALID');
      const lane = pick(body.laneId);
      if (isControlError(lane)) return lane;
      await lane.vehiclePassed();
      return { status: 202, body: { barrier: lane.barrierState } };
    }
    if (!FaultBody.Check(body)) return controlError('BODY_INVALID');
    const lane = pick(body.laneId);
    if (isControlError(lane)) return lane;
    lane.fault(body.reason);
    return { status: 202, body: { barrier: lane.barrierState } };
  };

  const send = (res: ServerResponse, { status, body }: { status: number; body: unknown }) => {
    // A refusal may leave the request body unread: the connection ends with the answer.
    if (status >= 400) res.setHeader('connection', 'close');
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    res.on('error', () => {}); // a client gone before its answer ends only its own exchange
    route(req).then(
      (r) => send(res, isControlError(r) ? controlAnswer(r) : r),
      () => send(res, controlAnswer(controlError('INTERNAL'))),
    );
  });
  // What Node refuses before a request exists (not HTTP, headers too large) gets a catalogue body too.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const { status, body } = controlAnswer(
      controlError(err.code === 'HPE_HEADER_OVERFLOW' ? 'HEADERS_TOO_LARGE' : 'REQUEST_MALFORMED'),
    );
    const text = JSON.stringify(body);
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
      );
    }
    socket.destroy();
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
