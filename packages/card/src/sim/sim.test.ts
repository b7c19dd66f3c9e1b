import { describe, expect, it } from 'vitest';
import { apduCardTransmitter, CardChannel } from '../apdu/channel';
import { readBinarySfi, readRecord, selectFile } from '../apdu/commands';
import { bytesToHex, hexToBytes } from '../apdu/hex';
import { decodeEf0015 } from '../codec/ef0015';
import { decodeEf0018 } from '../codec/ef0018';
import { verifyTac } from '../fixtures/test-keys';
import { PsamDriver } from '../psam/psam-driver';
import { TearingCard } from './tearing-card';
import { issueTestCard } from './test-card';
import { VirtualPsam } from './virtual-psam';
import { VirtualReader } from './virtual-reader';

const TERMINAL = hexToBytes('0151000119F8');
const DATETIME = hexToBytes('20240315103000');

async function setup(
  alg: '3des' | 'sm4',
  cardType: 'stored-value' | 'account' = 'stored-value',
  balance = 10_000,
) {
  const issued = issueTestCard({ cardType, algorithm: alg, balance, serial: 42 });
  const psamReader = new VirtualReader('psam');
  psamReader.insert(new VirtualPsam({ terminalId: TERMINAL }));
  const psam = new PsamDriver(psamReader);
  await psam.open();
  const ch = new CardChannel(apduCardTransmitter(issued.card));
  issued.card.powerOn();
  return { ...issued, psam, ch };
}

async function purchase(s: Awaited<ReturnType<typeof setup>>, amount: number, tamperMac1 = false) {
  const { ch, psam, ef0015 } = s;
  await ch.send(selectFile(0x1001), 'SELECT');
  const init = await ch.transmit(
    hexToBytes(`805003020B01${amount.toString(16).padStart(8, '0')}${bytesToHex(TERMINAL)}0F`),
  );
  if (init.sw !== 0x9000) return { sw: init.sw };
  const d = init.data;
  const mac = await psam.computeMac1({
    random: d.slice(11, 15),
    atc: (d[4]! << 8) | d[5]!,
    amount,
    transactionType: 9,
    datetime: DATETIME,
    keyVersion: d[9]!,
    algorithmId: d[10]!,
    cardNumber8: hexToBytes(ef0015.internalNumber),
    issuerFactor8: hexToBytes(ef0015.issuerId.slice(0, 8).repeat(2)),
  });
  if (tamperMac1) mac.mac1[0]! ^= 1;
  const debit = await ch.transmit(
    hexToBytes(
      `805401000F${mac.terminalSerial.toString(16).padStart(8, '0')}${bytesToHex(DATETIME)}${bytesToHex(mac.mac1)}08`,
    ),
  );
  return { sw: debit.sw, data: debit.data, serial: mac.terminalSerial, atc: (d[4]! << 8) | d[5]! };
}

describe('virtual ETC card + virtual PSAM', () => {
  for (const alg of ['3des', 'sm4'] as const) {
    it(`${alg}: a composite purchase debits once, logs 0018, and its TAC verifies with the test master keys`, async () => {
      const s = await setup(alg);
      const r = await purchase(s, 1234);
      expect(r.sw).toBe(0x9000);
      expect(s.card.balance).toBe(10_000 - 1234);
      expect(s.card.atc).toBe(1);
      await s.psam.verifyMac2(r.data!.slice(4, 8));
      const tac = bytesToHex(r.data!.slice(0, 4));
      expect(
        verifyTac({
          algorithm: alg,
          issuerId: s.ef0015.issuerId,
          cardNumber: s.cardNumber,
          amount: 1234,
          terminalId: bytesToHex(TERMINAL),
          terminalSerial: r.serial!,
          datetime: bytesToHex(DATETIME),
          tac,
        }),
      ).toBe(true);
      const rec = decodeEf0018(await s.ch.send(readRecord(1, 0x18, 0x17), 'READ 0018'));
      expect(rec).toMatchObject({
        atc: 1,
        amount: 1234,
        transactionType: 9,
        date: '20240315',
        time: '103000',
      });
      // GET TRANSACTION PROVE for ATC+1 returns MAC2 ‖ TAC; an unknown ATC answers 9406.
      const proof = await s.ch.transmit(hexToBytes('805A000902000108'));
      expect(bytesToHex(proof.data)).toBe(bytesToHex(r.data!.slice(4, 8)) + tac);
      expect((await s.ch.transmit(hexToBytes('805A000902000208'))).sw).toBe(0x9406);
    });
  }

  it('a wrong MAC1 is refused with 9302 and nothing is debited', async () => {
    const s = await setup('3des');
    const r = await purchase(s, 100, true);
    expect(r.sw).toBe(0x9302);
    expect(s.card.balance).toBe(10_000);
    expect(s.card.atc).toBe(0);
  });

  it('stored-value cards refuse a fee above the balance (9401); account cards overdraw', async () => {
    const sv = await setup('3des', 'stored-value', 50);
    expect((await purchase(sv, 51)).sw).toBe(0x9401);
    const acc = await setup('sm4', 'account', 50);
    expect((await purchase(acc, 17_116)).sw).toBe(0x9000);
    expect(acc.card.balance).toBe(-17_066);
    const bal = await acc.ch.send(hexToBytes('805C000204'), 'GET BALANCE');
    expect(bytesToHex(bal)).toBe('FFFFBD56'); // 4294950230 = −17066 as int32
  });

  it('DEBIT without INITIALIZE, or after a power cycle, answers 6985', async () => {
    const s = await setup('3des');
    await s.ch.send(selectFile(0x1001), 'SELECT');
    expect(
      (await s.ch.transmit(hexToBytes('805401000F000000012024031510300011223344 08'.replace(/ /g, '')))).sw,
    ).toBe(0x6985);
    expect((await s.ch.transmit(hexToBytes(`80DCAAC82B${'AA29'.padEnd(86, '0')}`))).sw).toBe(0x6985);
  });

  it('reads 0015 with Le correction and 0016 only from the MF', async () => {
    const s = await setup('3des');
    await s.ch.send(selectFile(0x1001), 'SELECT');
    const raw = await s.ch.transmit(readBinarySfi(0x15, 0, 0x2b));
    expect(raw.data.length).toBe(50); // 6C32 corrected by the channel
    expect(decodeEf0015(raw.data).plate).toBe('苏A12345');
    expect((await s.ch.transmit(readBinarySfi(0x16, 0, 0x37))).sw).toBe(0x6a82);
    await s.ch.send(selectFile(0x3f00), 'SELECT MF');
    expect((await s.ch.send(readBinarySfi(0x16, 0, 0x37), 'READ 0016')).length).toBe(55);
  });

  it('a locked card answers 9303 to SELECT 1001; T=0 cards answer 61xx', async () => {
    const locked = issueTestCard({
      plate: '苏A1',
      cardType: 'account',
      algorithm: 'sm4',
      balance: 0,
      locked: true,
    });
    locked.card.powerOn();
    expect(bytesToHex(locked.card.transmit(selectFile(0x1001)))).toBe('9303');
    const t0 = issueTestCard({
      plate: '苏A1',
      cardType: 'account',
      algorithm: 'sm4',
      balance: 0,
      cardOptions: { t0: true },
    });
    t0.card.powerOn();
    expect(bytesToHex(t0.card.transmit(selectFile(0x1001)))).toBe('6106');
    const ch = new CardChannel(apduCardTransmitter(t0.card));
    expect(bytesToHex((await ch.transmit(selectFile(0x1001))).data)).toBe('6F0483021001');
  });

  it('the virtual reader tears before or after the card processes the command', async () => {
    const { card } = issueTestCard({ plate: '苏A1', balance: 0 });
    const reader = new VirtualReader();
    reader.insert(card);
    await reader.connect();
    reader.armTear(1, 'before');
    await expect(reader.transmit(selectFile(0x1001))).rejects.toMatchObject({ code: 'CARD_IO' });
    expect(reader.isCardPresent()).toBe(false);
    await expect(reader.transmit(selectFile(0x1001))).rejects.toMatchObject({ code: 'CARD_ABSENT' });
    reader.insert(card);
    await reader.connect();
    expect(bytesToHex(await reader.transmit(selectFile(0x1001)))).toBe('9000');
  });

  it('TearingCard cuts any transport: after = applied but unanswered, then mute until power-on', async () => {
    const { card } = issueTestCard({ plate: '苏A1', balance: 0 });
    const torn = new TearingCard(card);
    const ch = new CardChannel(apduCardTransmitter(torn));
    torn.powerOn();
    torn.arm(1, 'after');
    await expect(ch.transmit(selectFile(0x1001))).rejects.toMatchObject({ code: 'CARD_IO' });
    await expect(ch.transmit(selectFile(0x1001))).rejects.toMatchObject({ code: 'CARD_IO' });
    expect(torn.delivered).toBe(1);
    torn.powerOn();
    torn.arm(1, 'before');
    await expect(ch.transmit(selectFile(0x1001))).rejects.toMatchObject({ code: 'CARD_IO' });
    expect(torn.delivered).toBe(1);
    torn.powerOn();
    expect((await ch.transmit(selectFile(0x1001))).sw).toBe(0x9000);
  });
});
