import { beforeAll, describe, expect, it } from 'vitest';
import type { ExitResult } from '../../scripts/sim/handheld';
import { addCollector, stationCall } from './another-collector';
import { carAtTheExit, DEMO, loginToken, useTopology } from './topology';

/** Collector C: another collector of the station on a handheld of their own, made as an admin would. TEST. */
const C = {
  username: 'hostile-collector-c',
  password: 'hostile-collector-c-TEST',
  displayName: '第三收费员 (TEST)',
  terminalId: 'HH-HOSTILE-03',
  psamTerminalNo: '0151000119FA',
  terminalDescription: '第三台手持机 (TEST)',
};

/**
 * The routes of issue #21 (hand-over, shift records, receipt log, refunds, settlement) over the network as a
 * stranger would try them: no session, another collector on A's shift and A's record, a collector on the
 * monitors' money routes, and A's own 【交班】 sent four times at once. Each refusal has its stable code and
 * changes nothing; the hand-over happens once.
 */
describe('hostile: the shift’s hand-over, its records and receipts, refunds and settlement', () => {
  const t = useTopology();
  let cToken: string;
  let aToken: string;
  let shiftA: string;
  let a: ExitResult;

  const call = stationCall(t);
  const answer = (r: { status: number; code: string }) => `${r.status} ${r.code}`.trim();

  beforeAll(async () => {
    cToken = await addCollector(t, C);
    const monitor = await loginToken(t().stationFetch, t().stationUrl, DEMO.monitor);
    const { car, card, hh } = await carAtTheExit(t());
    a = await hh.exit(car, card, { approve: async () => monitor });
    aToken = hh.token;
    const current = await call(aToken, 'GET', '/shifts/current');
    expect(current.status).toBe(200);
    shiftA = current.json.id as string;
  }, 120_000);

  const routes = () =>
    [
      ['GET', `/shifts/${shiftA}/handover`],
      ['POST', `/shifts/${shiftA}/handover`, { cashCounted: 0, remark: '替他交班 (TEST)' }],
      ['GET', `/shifts/${shiftA}/records`],
      ['POST', `/records/${a.tradeId}/receipts`, { kind: 'reprint' }],
      ['GET', `/payments?q=${a.tradeId}`],
      ['GET', `/payments/${a.tradeId}/refunds`],
      [
        'POST',
        `/payments/${a.tradeId}/refunds`,
        { amountFen: 1, reason: '恶意退款 (TEST)', refundRequestId: 'hostile-0001' },
      ],
      ['GET', '/payments/settlement?date=2026-01-01'],
    ] as [string, string, unknown?][];

  it('without a session every one of them is 401 STN_ERR_AUTH_REQUIRED', async () => {
    const got: Record<string, string> = {};
    for (const [method, path, body] of routes())
      got[`${method} ${path}`] = answer(await call(null, method, path, body));
    expect(new Set(Object.values(got))).toEqual(new Set(['401 STN_ERR_AUTH_REQUIRED']));
  });

  it('another collector: A’s shift and A’s receipt are not theirs, the money routes are the monitors’', async () => {
    const got: string[] = [];
    for (const [method, path, body] of routes()) got.push(answer(await call(cToken, method, path, body)));
    expect(got).toEqual([
      '403 STN_ERR_AUTH_FORBIDDEN',
      '403 STN_ERR_AUTH_FORBIDDEN',
      '403 STN_ERR_AUTH_FORBIDDEN',
      '403 STN_ERR_EXIT_NOT_YOURS',
      '403 STN_ERR_AUTH_FORBIDDEN',
      '403 STN_ERR_AUTH_FORBIDDEN',
      '403 STN_ERR_AUTH_FORBIDDEN',
      '403 STN_ERR_AUTH_FORBIDDEN',
    ]);
    // Nothing C sent closed or handed over A's shift.
    const report = await call(aToken, 'GET', `/shifts/${shiftA}/handover`);
    expect(report.status).toBe(200);
    expect(report.json).toMatchObject({
      shift: { closedAt: null },
      handover: null,
      receipts: { reprinted: 0 },
    });
  });

  it('A’s 【交班】 sent four times at once: handed over once, the others STN_ERR_HANDOVER_ALREADY_DONE', async () => {
    const answers = await Promise.all(
      [0, 1, 2, 3].map((n) => call(aToken, 'POST', `/shifts/${shiftA}/handover`, { cashCounted: n })),
    );
    expect(answers.map(answer).sort()).toEqual([
      '200',
      '409 STN_ERR_HANDOVER_ALREADY_DONE',
      '409 STN_ERR_HANDOVER_ALREADY_DONE',
      '409 STN_ERR_HANDOVER_ALREADY_DONE',
    ]);
  });

  it('every server is still up', async () => {
    expect(t().ended()).toEqual([]);
    expect(await t().health()).toEqual({ station: 200, centre: 200, page: 200, laneSim: 200 });
  });
});
