import type { Commit } from '@tollpad/station-api';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExitResult } from '../../scripts/sim/handheld';
import { addCollector, stationCall } from './another-collector';
import { carAtTheExit, DEMO, loginToken, useTopology } from './topology';

/** Collector B: a second collector with a handheld of their own, made by the admin as an admin would. TEST. */
const B = {
  username: 'hostile-collector-b',
  password: 'hostile-collector-b-TEST',
  displayName: '第二收费员 (TEST)',
  terminalId: 'HH-HOSTILE-02',
  psamTerminalNo: '0151000119F9',
  terminalDescription: '第二台手持机 (TEST)',
};

/**
 * Two collectors of the same station, each on their own handheld and shift. While A's card is debited and
 * A's 【提交数据】 has not yet arrived, B (a genuine, logged-in collector) tries every step of A's exit; A's own
 * handheld then sends proofs from another PSAM. Each is refused, and A's genuine commit is accepted and
 * verified by the centre afterwards: the attempts cost A nothing.
 */
describe('hostile: one collector against another collector’s exit', () => {
  const t = useTopology();
  let bToken: string;
  let monitorToken: string;
  let a: ExitResult;
  const attempts: Record<string, string> = {};
  const psamAttempts: Record<string, string> = {};

  const call = stationCall(t);
  const answer = (r: { status: number; code: string }) => `${r.status} ${r.code}`;

  beforeAll(async () => {
    bToken = await addCollector(t, B);
    monitorToken = await loginToken(t().stationFetch, t().stationUrl, DEMO.monitor);
  }, 120_000);

  it('A’s exit goes through while B tries every step of it between A’s debit and A’s commit', async () => {
    const { car, card, hh } = await carAtTheExit(t());

    const pendingDebit = async (id: string, genuine: Commit) => {
      const madeUp = { ...genuine, tac: genuine.tac === '00000000' ? '11111111' : '00000000' };
      const ownPsam = { ...genuine, psamTerminalNo: B.psamTerminalNo };
      const tries: [string, string, unknown?][] = [
        ['read', 'GET'],
        ['image', 'POST', { plate: car.plate, plateColour: car.colour, photoSha256: 'a'.repeat(64) }],
        ['fee', 'POST', { vehicleClass: car.vehicleClass, vehicleKind: 0 }],
        [
          'debit-intent',
          'POST',
          {
            cardId: card.cardNumber,
            cardAtc: genuine.cardTransNo,
            amount: genuine.preBalance - genuine.postBalance,
            psamTerminalNo: B.psamTerminalNo,
            terminalTransNo: '00000001',
            datetime: '20260101120000',
          },
        ],
        ['commit', 'POST', madeUp],
        ['commit', 'POST', ownPsam],
        ['commit', 'POST', genuine],
        ['recover', 'POST', { outcome: 'debited', commit: madeUp }],
        ['recover', 'POST', { outcome: 'not-debited', cardAtc: genuine.cardTransNo }],
        ['cancel', 'POST', { reason: '恶意取消 (TEST)' }],
      ];
      for (const [i, [step, method, body]] of tries.entries()) {
        const path = step === 'read' ? `/exits/${id}` : `/exits/${id}/${step}`;
        attempts[`${i} B ${step}`] = answer(await call(bToken, method, path, body));
      }
      // A's own session, but a proof from another PSAM than the one A's debit intent announced.
      const serial = (Number.parseInt(genuine.terminalTransNo, 16) + 1).toString(16).toUpperCase();
      const others: [string, Commit][] = [
        ['another PSAM terminal', ownPsam],
        ['another PSAM serial', { ...genuine, terminalTransNo: serial.padStart(8, '0') }],
      ];
      for (const [name, body] of others) {
        psamAttempts[`commit from ${name}`] = answer(
          await call(hh.token, 'POST', `/exits/${id}/commit`, body),
        );
        psamAttempts[`recover from ${name}`] = answer(
          await call(hh.token, 'POST', `/exits/${id}/recover`, { outcome: 'debited', commit: body }),
        );
      }
    };

    a = await hh.exit(car, card, { approve: async () => monitorToken, beforeCommit: pendingDebit });
    const notYours = '403 STN_ERR_EXIT_NOT_YOURS';
    expect(attempts).toEqual({
      '0 B read': notYours,
      '1 B image': notYours,
      '2 B fee': notYours,
      '3 B debit-intent': notYours,
      '4 B commit': notYours,
      '5 B commit': notYours,
      '6 B commit': notYours,
      '7 B recover': notYours,
      '8 B recover': notYours,
      '9 B cancel': notYours,
    });
    const mismatch = '409 STN_ERR_EXIT_PSAM_MISMATCH';
    expect(psamAttempts).toEqual({
      'commit from another PSAM terminal': mismatch,
      'recover from another PSAM terminal': mismatch,
      'commit from another PSAM serial': mismatch,
      'recover from another PSAM serial': mismatch,
    });
    expect(a.record).toBeTruthy();
  }, 90_000);

  it('A’s record is kept and the centre verifies its TAC (nothing accepted was lost)', async () => {
    expect(a).toBeDefined();
    const mine = await call(monitorToken, 'GET', `/records/${a.tradeId}`);
    expect(mine.status).toBe(200);
    let ack: { tacStatus?: string } | undefined;
    for (let i = 0; i < 300 && ack?.tacStatus === undefined; i++) {
      const r = await t().publisherFetch(`${t().centreUrl}/records/${a.tradeId}`);
      if (r.ok) ack = ((await r.json()) as { ack: { tacStatus: string } }).ack;
      else await new Promise((res) => setTimeout(res, 200));
    }
    expect(ack?.tacStatus).toBe('verified');
    const txn = await call(monitorToken, 'GET', `/exits/${a.txnId}`);
    expect(txn.json.state).toBe('committed');
  }, 90_000);

  it('B sees neither A’s transaction nor A’s record', async () => {
    expect(a).toBeDefined();
    expect(answer(await call(bToken, 'GET', `/exits/${a.txnId}`))).toBe('403 STN_ERR_EXIT_NOT_YOURS');
    const record = await call(bToken, 'GET', `/records/${a.tradeId}`);
    expect(record.status).toBeGreaterThanOrEqual(403);
    expect(record.status).toBeLessThan(405);
    const list = await call(bToken, 'GET', '/records');
    expect(JSON.stringify(list.json)).not.toContain(a.tradeId);
  });

  it('every server is still up', async () => {
    expect(t().ended()).toEqual([]);
    expect(await t().health()).toEqual({ station: 200, centre: 200, page: 200, laneSim: 200 });
  });
});
