import { describe, expect, it } from 'vitest';
import { HandheldError } from '../errors';
import { StationClient, toExitTxn } from './station-client';

/** A transaction as the station's ExitSchema answers it (TEST data). */
const PRICED = {
  id: 'txn-1',
  state: 'priced',
  laneId: 'G90013700100202010010',
  terminalId: 'HH-TEST-01',
  shiftId: 's-1',
  cardId: '99010000000000000666',
  card: {},
  checks: {
    specials: [{ code: 14, description: '卡状态名单' }],
    imageSpecials: [{ code: 52, description: '入出口车牌不一致' }],
    listHits: [{ list: 'card', type: 1, version: 'V', reason: '卡挂失 (TEST)' }],
    suggested: { vehicleClass: 1, vehicleKind: 0 },
    actions: ['请联系班长'],
    blocked: false,
    needsRelease: true,
  },
  image: { plate: '鲁A33338', plateColour: 0, photoSha256: 'a'.repeat(64) },
  fee: {
    vehicleClass: 1,
    vehicleKind: 0,
    fee: 12_955,
    payFee: 13_637,
    discountFee: 682,
    exitFeeType: 2,
    specials: [{ code: 30, description: '卡累计金额小于最小费额' }],
    etcPayable: true,
    notPayableReason: null,
    decision: {},
  },
  authorisation: {
    status: 'required',
    reasons: [{ code: 'LIST_RELEASE', text: '需班长授权' }],
    by: null,
    reason: null,
    at: null,
  },
  tradeId: null,
  debit: null,
  cancelReason: null,
  createdAt: '2026-11-23T08:00:00.000Z',
  updatedAt: '2026-11-23T08:00:00.000Z',
};

function fakeFetch(status: number, body: unknown): typeof fetch {
  return (async () => new Response(JSON.stringify(body), { status })) as typeof fetch;
}

describe('StationClient', () => {
  it('maps the exit transaction: red checks with their codes, the fee, the authorisation', () => {
    const t = toExitTxn(PRICED);
    expect(t).toMatchObject({
      id: 'txn-1',
      state: 'priced',
      cardNo: '99010000000000000666',
      plate: '鲁A33338',
    });
    const bad = t.checks.filter((c) => !c.ok);
    expect(bad.map((c) => c.special)).toEqual([14, 52, null]);
    expect(bad[2]?.name).toContain('卡片状态名单');
    expect(t.fee).toMatchObject({
      amount: 12_955,
      payFee: 13_637,
      discount: 682,
      specialTypes: [30],
      etcPayable: true,
    });
    expect(t.auth).toEqual({ status: 'required', by: null, reason: null });
    expect(t.fee?.authReasons).toEqual(['需班长授权']);
  });

  it('refuses an answer that is not a transaction', () => {
    expect(() => toExitTxn({ id: 'x', state: 'flying' })).toThrow(HandheldError);
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

describe('StationClient lane states', () => {
  it("reads the linkage: a lost link is UNKNOWN, an online lane shows its barrier and the camera's plate", async () => {
    const c = new StationClient({
      baseUrl: 'http://station.test',
      fetchImpl: fakeFetch(200, {
        connected: true,
        lanes: [
          {
            laneId: 'L1',
            link: 'online',
            monitorState: 'CLOSED',
            vehicle: { plate: '鲁A12345', plateColour: 0 },
          },
          { laneId: 'L2', link: 'silent', monitorState: 'UNKNOWN', vehicle: null },
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
