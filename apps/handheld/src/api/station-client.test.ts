import { describe, expect, it } from 'vitest';
import { HandheldError } from '../errors';
import { StationClient } from './station-client';
import { PRICED } from './testing';

function fakeFetch(status: number, body: unknown): typeof fetch {
  return (async () => new Response(JSON.stringify(body), { status })) as typeof fetch;
}

describe('StationClient', () => {
  it('refuses an answer that is not a transaction', async () => {
    const c = new StationClient({
      baseUrl: 'http://station.test',
      fetchImpl: fakeFetch(200, { id: 'x', state: 'flying' }),
    });
    const e = await c.getExit('x').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HandheldError);
    expect(e).toMatchObject({ code: 'HH_ERR_BAD_RESPONSE' });
  });

  it("takes an answer that has the contract's shape", async () => {
    const c = new StationClient({ baseUrl: 'http://station.test', fetchImpl: fakeFetch(200, PRICED) });
    await expect(c.getExit('txn-1')).resolves.toMatchObject({ id: 'txn-1', state: 'priced' });
  });

  it('turns a station error into its code, Chinese message, next step and field', async () => {
    const c = new StationClient({
      baseUrl: 'http://station.test',
      fetchImpl: fakeFetch(400, {
        statusCode: 400,
        code: 'STN_ERR_EXIT_PLATE_INVALID',
        error: 'StationError',
        message: '车牌号码与车牌颜色不符，请检查',
        detail: 'plate: 蓝牌应为7位',
      }),
    });
    const e = await c.getExit('x').catch((x: unknown) => x);
    expect(e).toMatchObject({
      code: 'STN_ERR_EXIT_PLATE_INVALID',
      message: '车牌号码与车牌颜色不符，请检查',
      action: '请按车牌颜色重新输入车牌',
      field: 'plate',
      status: 400,
    });
  });

  it('says the network is down (HH_ERR_NETWORK) rather than throwing a raw TypeError', async () => {
    const c = new StationClient({
      baseUrl: 'http://station.test',
      fetchImpl: (async () => {
        throw new TypeError('fetch failed');
      }) as typeof fetch,
    });
    await expect(c.lanes()).rejects.toMatchObject({
      code: 'HH_ERR_NETWORK',
      message: '无法连接收费站服务器',
    });
  });

  it('gives up after its timeout (HH_ERR_TIMEOUT), never hangs', async () => {
    const c = new StationClient({
      baseUrl: 'http://station.test',
      timeoutMs: 20,
      fetchImpl: ((_u: RequestInfo | URL, init?: RequestInit) =>
        new Promise((_r, reject) =>
          init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
        )) as typeof fetch,
    });
    await expect(c.lanes()).rejects.toMatchObject({ code: 'HH_ERR_TIMEOUT' });
  });

  it('a missing lane-state route reads as "all lanes UNKNOWN" (empty), not as an error', async () => {
    const c = new StationClient({
      baseUrl: 'http://station.test',
      fetchImpl: fakeFetch(404, {
        statusCode: 404,
        code: 'STN_ERR_REQ_NOT_FOUND',
        error: 'x',
        message: '接口不存在',
      }),
    });
    await expect(c.laneStates()).resolves.toEqual([]);
  });
});

/** A linked lane as GET /linkage/lanes answers it (TEST data). */
const LANE = { name: '出口1 (TEST)', handheldEnabled: true, lastSeenAt: null, lastCommand: null };

describe('StationClient lane states', () => {
  it("reads the linkage: a lost link is UNKNOWN, an online lane shows its barrier and the camera's plate", async () => {
    const c = new StationClient({
      baseUrl: 'http://station.test',
      fetchImpl: fakeFetch(200, {
        connected: true,
        brokerRefusal: null,
        lanes: [
          {
            ...LANE,
            laneId: 'L1',
            link: 'online',
            monitorState: 'CLOSED',
            vehicle: {
              detectionId: 'd-1',
              plate: '鲁A12345',
              plateColour: 0,
              imageRef: 'cam-1',
              at: '2026-11-23T08:00:00.000Z',
            },
          },
          { ...LANE, laneId: 'L2', link: 'silent', monitorState: 'UNKNOWN', vehicle: null },
        ],
      }),
    });
    expect(await c.laneStates()).toEqual([
      {
        laneId: 'L1',
        link: 'UP',
        vehiclePresent: true,
        barrier: 'closed',
        capturedPlate: '鲁A12345',
        capturedPlateColour: 0,
      },
      {
        laneId: 'L2',
        link: 'UNKNOWN',
        vehiclePresent: null,
        barrier: 'unknown',
        capturedPlate: null,
        capturedPlateColour: null,
      },
    ]);
  });
});

describe('StationClient session', () => {
  it('reports a lost session once the station says it expired', async () => {
    const c = new StationClient({
      baseUrl: 'http://station.test',
      signedIn: true,
      fetchImpl: fakeFetch(401, {
        statusCode: 401,
        code: 'STN_ERR_AUTH_SESSION_EXPIRED',
        error: 'StationError',
        message: '登录已过期，请重新登录',
      }),
    });
    let lost = 0;
    c.onSessionLost = () => lost++;
    await expect(c.lanes()).rejects.toMatchObject({
      code: 'STN_ERR_AUTH_SESSION_EXPIRED',
      action: '请重新登录',
    });
    expect(lost).toBe(1);
  });
});
