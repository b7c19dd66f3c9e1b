import { bytesToHex, hexToBytes } from '@tollpad/card';
import { VirtualPsam } from '@tollpad/card/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness';
import { DIALECTS } from '../testing/test-db';

const TERMINAL = '0137000099AA';
const PSAM_NO = `9999${TERMINAL}0001`;

describe.each(DIALECTS)('PSAM online authorisation on %s', (dialect) => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness(dialect, { revokedPsams: ['99990137000099BB0001'] });
  });
  afterAll(async () => h?.close());

  it("answers a challenge with an APDU the card package's virtual PSAM accepts", async () => {
    const psam = new VirtualPsam({ terminalId: hexToBytes(TERMINAL), requireAuthorisation: true });
    psam.powerOn();
    const r = psam.transmit(hexToBytes('0084000004'));
    expect(bytesToHex(r.subarray(4))).toBe('9000');
    const random = bytesToHex(r.subarray(0, 4));
    const res = await h.call('POST', '/psam/auth', {
      body: { laneId: 'G00223700100302010910', terminalNo: TERMINAL, psamNo: PSAM_NO, random },
    });
    expect(res.statusCode).toBe(200);
    const { apdu, expectSw } = res.json();
    expect(apdu).toMatch(/^0082000008[0-9A-F]{16}$/);
    expect(expectSw).toBe('9000');
    expect(psam.isAuthorised).toBe(false);
    expect(bytesToHex(psam.transmit(hexToBytes(apdu)))).toBe('9000');
    expect(psam.isAuthorised).toBe(true);
  });

  it('an answer for another challenge is refused by the PSAM', async () => {
    const psam = new VirtualPsam({ terminalId: hexToBytes(TERMINAL), requireAuthorisation: true });
    psam.powerOn();
    const random = bytesToHex(psam.transmit(hexToBytes('0084000004')).subarray(0, 4));
    const other = random === '00000000' ? '00000001' : '00000000';
    const res = await h.call('POST', '/psam/auth', {
      body: { laneId: 'L1', terminalNo: TERMINAL, psamNo: PSAM_NO, random: other },
    });
    expect(bytesToHex(psam.transmit(hexToBytes(res.json().apdu)))).toBe('6300');
    expect(psam.isAuthorised).toBe(false);
  });

  it('refuses a revoked PSAM and a malformed challenge, logging every attempt', async () => {
    const revoked = await h.call('POST', '/psam/auth', {
      body: { laneId: 'L1', terminalNo: '0137000099BB', psamNo: '99990137000099BB0001', random: '01020304' },
    });
    expect(revoked.statusCode).toBe(403);
    expect(revoked.json().code).toBe('CTR_ERR_PSAM_REVOKED');
    const bad = await h.call('POST', '/psam/auth', {
      body: { laneId: 'L1', terminalNo: TERMINAL, psamNo: PSAM_NO, random: 'XYZ' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('CTR_ERR_REQ_INVALID');
    const log = await h.centre.services.db.db
      .selectFrom('psam_auth_log')
      .select(['result'])
      .orderBy('id')
      .execute();
    expect(log.map((l) => l.result)).toEqual(['authorised', 'authorised', 'revoked']);
  });
});
