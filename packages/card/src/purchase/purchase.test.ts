import { fen } from '@tollpad/domain';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../apdu/hex';
import { encodeEf0015 } from '../codec/ef0015';
import { decodeEf0019, encodeEf0019 } from '../codec/ef0019';
import { PsamDriver } from '../psam/psam-driver';
import { ScriptedApduCard, type ScriptStep } from '../sim/scripted-card';
import { issueTestCard } from '../sim/test-card';
import { VirtualReader } from '../sim/virtual-reader';
import { ExitPurchase } from './exit-purchase';
import { MemoryJournal } from './journal';
import { pollingWaiter } from './waiting';

// The reference §4 computed vectors drive the scripted PSAM and card answers.
const TERMINAL = '0151000119F8';
const CLOCK = () => new Date('2014-09-16T13:40:18Z'); // 2014-09-16 21:40:18 Beijing
const DT = '20140916214018';

const issued = (cardType: 'stored-value' | 'account') =>
  issueTestCard({ cardType, balance: 10_000, serial: 42 });
const EF0015 = bytesToHex(encodeEf0015(issued('stored-value').ef0015));
const EF0015_ACCOUNT = bytesToHex(encodeEf0015(issued('account').ef0015));
const CARD8 = '0000000000000042';
const FACTOR = 'B2E2CAD4B2E2CAD4'; // 测试 in GBK, twice
const ENTRY_0019 =
  'AA2900' +
  '0026' +
  '0431' +
  '33' +
  '552BE903' +
  '01' +
  '03' +
  '000000' +
  '00000000' +
  'CBD541313233343500000000' +
  '00' +
  '00' +
  '000000' +
  'FF' +
  '00000000';
const EXIT_0019 =
  'AA2900' +
  '0026' +
  '0432' +
  '33' +
  '552BEA00' +
  '01' +
  '04' +
  '000000' +
  '00000000' +
  'CBD541313233343500000000' +
  '00' +
  '00' +
  '000000' +
  'FF' +
  '000003E8';

const PSAM_OPEN: ScriptStep[] = [
  ['00A40000023F00', '9000'],
  ['00B0960006', `${TERMINAL}9000`],
  ['00B095000E', '99990151000119F80001010100009000'],
  ['00A4000002DF01', '9000'],
];
const READ: ScriptStep[] = [
  ['00A40000021001', '9000'],
  ['00B0950032', `${EF0015}9000`],
  ['00B201CC2B', `${ENTRY_0019}9000`],
  ['805C000204', '000027109000'],
];
const INIT: ScriptStep = ['805003020B01000003E80151000119F80F', '00002710000100000001001A2B3C4D9000'];
const MAC1 = (serial = '00011569', mac = '1A02EBD1'): ScriptStep => [
  `80700000241A2B3C4D0001000003E809${DT}0100${CARD8}${FACTOR}08`,
  `${serial}${mac}9000`,
];
const UPDATE: ScriptStep = [`80DCAAC82B${EXIT_0019}`, '9000'];
const DEBIT = (serial = '00011569', mac = '1A02EBD1'): string => `805401000F${serial}${DT}${mac}08`;
const MAC2: ScriptStep = ['8072000004B09865B6', '9000'];

async function rig(
  cardScript: ScriptStep[],
  psamScript: ScriptStep[],
  cardType: 'stored-value' | 'account' = 'stored-value',
) {
  const cardScripted = new ScriptedApduCard(cardScript);
  const psamScripted = new ScriptedApduCard([...PSAM_OPEN, ...psamScript]);
  const cardReader = new VirtualReader('card');
  cardReader.insert(cardScripted);
  const psamReader = new VirtualReader('psam');
  psamReader.insert(psamScripted);
  const psam = new PsamDriver(psamReader);
  await psam.open();
  const journal = new MemoryJournal();
  const exit = new ExitPurchase({
    card: cardReader,
    psam,
    journal,
    waiter: pollingWaiter({ attempts: 3, sleep: async () => {} }),
    config: { clock: CLOCK, layout0019: '2019' },
  });
  void cardType;
  return { exit, journal, cardScripted, psamScripted };
}

const decide = () => ({ action: 'charge' as const, amount: fen(1000), exit0019: hexToBytes(EXIT_0019) });

describe('exit purchase: exact APDU sequences (scripted card and PSAM)', () => {
  it('read: SELECT 1001, 0015, 0019, balance', async () => {
    const { exit, cardScripted } = await rig(READ, []);
    const snap = await exit.readCard();
    expect(cardScripted.done).toBe(true);
    expect(snap.ef0015.cardNumber).toBe('99010000000000000042');
    expect(snap.balance).toBe(10_000);
    expect(snap.ef0019).toMatchObject({ layout: '2019', station: '0431', status: 3, plate: '苏A12345' });
  });

  it('full exit: 5 card APDUs + balance after SELECT, 2 PSAM APDUs; TAC from the reference vectors', async () => {
    const { exit, journal, cardScripted, psamScripted } = await rig(
      [...READ, INIT, UPDATE, [DEBIT(), 'EA636009B09865B69000']],
      [MAC1(), MAC2],
    );
    const out = await exit.exit(decide);
    expect(cardScripted.done && psamScripted.done).toBe(true);
    expect(out).toMatchObject({
      tac: 'EA636009',
      mac2: 'B09865B6',
      amount: 1000,
      atcBefore: 1,
      terminalSerial: 0x11569,
      datetime: DT,
      balanceAfter: 9000,
      recovered: false,
      mac2Verified: true,
    });
    expect(journal.pending()).toEqual([]);
    expect(journal.done()).toHaveLength(1);
    // SELECT (once per card session) + 0015 + 0019 + balance + INIT + UPDATE + DEBIT
    expect(exit.channel.commandCount).toBe(7);
  });

  it('account cards skip GET BALANCE: 5 card APDUs after SELECT', async () => {
    const accountRead: ScriptStep[] = [
      ['00A40000021001', '9000'],
      ['00B0950032', `${EF0015_ACCOUNT}9000`],
      ['00B201CC2B', `${ENTRY_0019}9000`],
    ];
    const { exit, cardScripted } = await rig(
      [...accountRead, INIT, UPDATE, [DEBIT(), 'EA636009B09865B69000']],
      [MAC1(), MAC2],
      'account',
    );
    const before = exit.channel.commandCount;
    await exit.exit(decide);
    expect(cardScripted.done).toBe(true);
    expect(exit.channel.commandCount - before - 1).toBe(5);
  });

  it('the pending entry is journalled before DEBIT leaves the terminal', async () => {
    const { exit, journal, cardScripted } = await rig(
      [...READ, INIT, UPDATE, [DEBIT(), 'EA636009B09865B69000']],
      [MAC1(), MAC2],
    );
    const sentAtPending: string[][] = [];
    const write = journal.writePending.bind(journal);
    journal.writePending = async (e) => {
      sentAtPending.push([...cardScripted.sent]);
      await write(e);
    };
    await exit.exit(decide);
    expect(sentAtPending).toHaveLength(1);
    expect(sentAtPending[0]!.at(-1)).toBe(UPDATE[0]);
    expect(sentAtPending[0]!.some((c) => c.startsWith('8054'))).toBe(false);
    expect([...journal.entries.values()][0]!.entry).toMatchObject({
      cardNumber: '99010000000000000042',
      atc: 1,
      amount: 1000,
      terminalId: TERMINAL,
      terminalSerial: 0x11569,
      datetime: DT,
    });
  });

  it('recovery: DEBIT response lost → SELECT, 0015, GET TRANSACTION PROVE (ATC+1) → MAC2 check → done', async () => {
    const { exit, journal, cardScripted, psamScripted } = await rig(
      [
        ...READ,
        INIT,
        UPDATE,
        [DEBIT(), ''], // the card was pulled: no response
        ['00A40000021001', '9000'],
        ['00B0950032', `${EF0015}9000`],
        ['805A000902000208', 'B09865B6EA6360099000'],
      ],
      [MAC1(), MAC2],
    );
    const out = await exit.exit(decide);
    expect(cardScripted.done && psamScripted.done).toBe(true);
    expect(out).toMatchObject({ tac: 'EA636009', recovered: true, mac2Verified: true });
    expect(journal.done()).toHaveLength(1);
  });

  it('recovery: 9406 (not debited) → retry from INITIALIZE with a new PSAM serial', async () => {
    const { exit, journal, cardScripted, psamScripted } = await rig(
      [
        ...READ,
        INIT,
        UPDATE,
        [DEBIT(), ''],
        ['00A40000021001', '9000'],
        ['00B0950032', `${EF0015}9000`],
        ['805A000902000208', '9406'],
        INIT,
        UPDATE,
        [DEBIT('00011570', 'CAFEBABE'), 'EA636009B09865B69000'],
      ],
      [MAC1(), MAC1('00011570', 'CAFEBABE'), MAC2],
    );
    const out = await exit.exit(decide);
    expect(cardScripted.done && psamScripted.done).toBe(true);
    expect(out.terminalSerial).toBe(0x11570);
    expect([...journal.entries.values()].map((e) => e.state)).toEqual(['not-debited', 'done']);
  });

  it('recovery refuses a different card: 请放回原卡', async () => {
    const other = bytesToHex(
      encodeEf0015({ ...issued('stored-value').ef0015, internalNumber: '0000000000000043' }),
    );
    const { exit, journal } = await rig(
      [...READ, INIT, UPDATE, [DEBIT(), ''], ['00A40000021001', '9000'], ['00B0950032', `${other}9000`]],
      [MAC1()],
    );
    await expect(exit.exit(decide)).rejects.toMatchObject({ code: 'WRONG_CARD', messageZh: '请放回原卡' });
    expect(journal.pending()).toHaveLength(1); // stays pending for recoverPending()
  });

  it('MAC2 refused by the PSAM → typed error, journal records the debit', async () => {
    const { exit, journal } = await rig(
      [...READ, INIT, UPDATE, [DEBIT(), 'EA636009000000009000']],
      [MAC1(), ['807200000400000000', '9302']],
    );
    await expect(exit.exit(decide)).rejects.toMatchObject({
      code: 'MAC2_INVALID',
      messageZh: 'MAC2校验失败，请联系监控',
    });
    expect(journal.done()).toMatchObject([{ tac: 'EA636009', mac2Verified: false }]);
  });

  it('stored-value: a fee above the balance is refused before INITIALIZE (卡片余额不足)', async () => {
    const { exit, cardScripted } = await rig(READ, []);
    await expect(
      exit.exit(() => ({ action: 'charge', amount: fen(10_001), exit0019: hexToBytes(EXIT_0019) })),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_BALANCE', messageZh: '卡片余额不足' });
    expect(cardScripted.done).toBe(true); // nothing after GET BALANCE
  });

  it('a card refusal at DEBIT (9302) is not retried and marks the entry not debited', async () => {
    const { exit, journal } = await rig([...READ, INIT, UPDATE, [DEBIT(), '9302']], [MAC1()]);
    await expect(exit.exit(decide)).rejects.toMatchObject({ code: 'MAC_INVALID', sw: 0x9302 });
    expect([...journal.entries.values()].map((e) => e.state)).toEqual(['not-debited']);
  });

  it('abort from the fee port sends nothing after the read', async () => {
    const { exit, cardScripted } = await rig(READ, []);
    await expect(
      exit.exit(() => ({ action: 'abort', reason: 'status list', messageZh: '状态名单车辆' })),
    ).rejects.toMatchObject({
      code: 'PURCHASE_ABORTED',
      messageZh: '状态名单车辆',
    });
    expect(cardScripted.done).toBe(true);
  });

  it('zero-amount exits write 0019 the same way', async () => {
    const init0: ScriptStep = ['805003020B01000000000151000119F80F', '00002710000100000001001A2B3C4D9000'];
    const mac0: ScriptStep = [
      `80700000241A2B3C4D00010000000009${DT}0100${CARD8}${FACTOR}08`,
      '00011569111111119000',
    ];
    const { exit, cardScripted } = await rig(
      [...READ, init0, UPDATE, [DEBIT('00011569', '11111111'), '22222222333333339000']],
      [mac0, ['807200000433333333', '9000']],
    );
    const out = await exit.exit(() => ({
      action: 'charge',
      amount: fen(0),
      exit0019: decodeEf0019(hexToBytes(EXIT_0019), '2019'),
    }));
    expect(cardScripted.done).toBe(true);
    expect(out).toMatchObject({ amount: 0, tac: '22222222' });
    expect(encodeEf0019(decodeEf0019(hexToBytes(out.ef0019), '2019'))).toEqual(hexToBytes(EXIT_0019));
  });
});
