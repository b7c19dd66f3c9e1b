import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../apdu/hex';
import { ScriptedApduCard } from '../sim/scripted-card';
import { testAuthorisationApdu, VirtualPsam } from '../sim/virtual-psam';
import { VirtualReader } from '../sim/virtual-reader';
import { PsamDriver } from './psam-driver';

const TERMINAL = '0151000119F8';

describe('PsamDriver', () => {
  it('opens with the exact start-of-shift sequence, including online authorisation', async () => {
    const authApdu = testAuthorisationApdu(hexToBytes('11223344'));
    const script = new ScriptedApduCard([
      ['00A40000023F00', '9000'],
      ['00B0960006', `${TERMINAL}9000`],
      ['00B095000E', '99990151000119F80001 01 01 0000 9000'],
      ['0084000004', '112233449000'],
      [bytesToHex(authApdu), '9000'],
      ['00A4000002DF01', '9000'],
    ]);
    const reader = new VirtualReader('psam');
    reader.insert(script);
    const seen: unknown[] = [];
    const driver = new PsamDriver(reader, {
      authoriser: {
        authorise: async (req) => {
          seen.push(req);
          return testAuthorisationApdu(hexToBytes(req.challenge));
        },
      },
    });
    const info = await driver.open();
    expect(script.done).toBe(true);
    expect(info).toMatchObject({ terminalIdHex: TERMINAL, serial: '99990151000119F80001', authorised: true });
    expect(seen).toEqual([
      {
        terminalId: TERMINAL,
        psamSerial: '99990151000119F80001',
        version: 1,
        keyType: 1,
        challenge: '11223344',
      },
    ]);
  });

  it('the virtual PSAM refuses MAC1 with 6985 until authorised, then accepts', async () => {
    const psam = new VirtualPsam({ terminalId: hexToBytes(TERMINAL), requireAuthorisation: true });
    const reader = new VirtualReader('psam');
    reader.insert(psam);
    const request = {
      random: hexToBytes('1A2B3C4D'),
      atc: 1,
      amount: 1000,
      transactionType: 9,
      datetime: hexToBytes('20240101120000'),
      keyVersion: 1,
      algorithmId: 0,
      cardNumber8: hexToBytes('0000000000000001'),
      issuerFactor8: hexToBytes('B2E2CAD4B2E2CAD4'),
    };
    const unauth = new PsamDriver(reader);
    await unauth.open();
    await expect(unauth.computeMac1(request)).rejects.toMatchObject({ code: 'PSAM_NOT_AUTHORISED' });
    const driver = new PsamDriver(reader, {
      authoriser: { authorise: async (r) => testAuthorisationApdu(hexToBytes(r.challenge)) },
    });
    await driver.open();
    expect(psam.isAuthorised).toBe(true);
    const r = await driver.computeMac1(request);
    expect(r.mac1.length).toBe(4);
    expect(r.terminalSerial).toBe(1);
    await expect(driver.verifyMac2(hexToBytes('00000000'))).rejects.toMatchObject({
      code: 'MAC2_INVALID',
      messageZh: 'MAC2校验失败，请联系监控',
    });
  });

  it('a wrong authorisation cryptogram is a typed error', async () => {
    const reader = new VirtualReader('psam');
    reader.insert(new VirtualPsam({ terminalId: hexToBytes(TERMINAL), requireAuthorisation: true }));
    const driver = new PsamDriver(reader, {
      authoriser: { authorise: async () => hexToBytes('00820000080000000000000000') },
    });
    await expect(driver.open()).rejects.toMatchObject({
      code: 'PSAM_NOT_AUTHORISED',
      messageZh: 'PSAM卡授权失败，请联系监控',
    });
  });
});
