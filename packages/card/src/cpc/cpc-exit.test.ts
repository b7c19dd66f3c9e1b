import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../apdu/hex';
import { CardStatusError } from '../apdu/status';
import { CPC_WORKED_EXAMPLE_AUTH, CPC_WORKED_EXAMPLE_HEX } from '../fixtures/cpc-worked-example';
import { PsamDriver } from '../psam/psam-driver';
import { pollingWaiter } from '../purchase/waiting';
import { ScriptedApduCard, type ScriptStep } from '../sim/scripted-card';
import { issueTestCpc } from '../sim/test-cpc';
import type { VirtualCpc } from '../sim/virtual-cpc';
import { VirtualReader } from '../sim/virtual-reader';
import { CPC_EXIT_SPECIAL_TYPES, CpcExit } from './cpc-exit';
import type { CpcExitConfig } from './cpc-exit-config';
import { exitFlagsOnCard, makeCpcRig } from './cpc-exit-rig';
import { CpcUnreadableError } from './cpc-unreadable';

const h = (hex: string) => hex.replace(/\s+/g, '').toUpperCase();
const EX = Object.fromEntries(Object.entries(CPC_WORKED_EXAMPLE_HEX).map(([k, v]) => [k, h(v)])) as Record<
  keyof typeof CPC_WORKED_EXAMPLE_HEX,
  string
>;
const AUTH = CPC_WORKED_EXAMPLE_AUTH;
const CPC_ID = '6201012345678901';

/** §9 step 1: the reads, EF04 per EF02 byte 0. */
function readScript(
  pass = EX.pass,
  feeReads: ScriptStep[] = [['00B084002E', `${EX.feeBlocks}9000`]],
): ScriptStep[] {
  return [
    ['00A40000023F00', '9000'],
    ['00B081001E', `${EX.sysInfo}9000`],
    ['00B0820020', `${EX.baseInfo}9000`],
    ['00A4000002DF01', '9000'],
    ['00B0810027', `${EX.entry}9000`],
    ['00B0820065', `${pass}9000`],
    ...feeReads,
  ];
}

const psamOf = (to: 'psam' | 'cpc') =>
  AUTH.apdus.filter((a) => a.to === to).map((a): ScriptStep => [h(a.command), h(a.response)]);
/** §3 step 1 (the PSAM's SELECT DF01), then the PSAM half of §9 step 6. */
const PSAM_CLOSE: ScriptStep[] = [['00A4000002DF01', '9000'], ...psamOf('psam')];
const CPC_CLOSE: ScriptStep[] = psamOf('cpc');

interface Rig {
  exit: CpcExit;
  card: ScriptedApduCard;
  psam: ScriptedApduCard;
  cardReader: VirtualReader;
}

async function rig(
  cardScript: ScriptStep[],
  psamScript: ScriptStep[] = [],
  config: Partial<CpcExitConfig> = {},
  onPoll: (r: VirtualReader) => void = () => {},
): Promise<Rig> {
  const card = new ScriptedApduCard(cardScript);
  const psam = new ScriptedApduCard(psamScript);
  const cardReader = new VirtualReader('cpc');
  cardReader.insert(card);
  const psamReader = new VirtualReader('psam');
  psamReader.insert(psam);
  await psamReader.connect();
  const exit = new CpcExit({
    card: cardReader,
    psam: new PsamDriver(psamReader),
    waiter: pollingWaiter({ attempts: 2, sleep: async () => onPoll(cardReader) }),
    config,
  });
  return { exit, card, psam, cardReader };
}

describe('CPC exit: exact APDU sequences (cpc-card.md §9 worked example)', () => {
  it('reads the five files with 7 APDUs and returns them as read', async () => {
    const r = await rig(readScript());
    const files = await r.exit.read();
    expect(r.card.done).toBe(true);
    expect(r.card.sent).toEqual(readScript().map(([c]) => c));
    expect({
      sysInfo: bytesToHex(files.sysInfo),
      baseInfo: bytesToHex(files.baseInfo),
      entry: bytesToHex(files.entry),
      pass: bytesToHex(files.pass),
      feeBlocks: bytesToHex(files.feeBlocks),
    }).toEqual(EX);
    expect(files.feeBlocks).toHaveLength(46);
  });

  it('authenticates through the PSAM and writes the exit: §3 step 1, then §9 step 6 byte for byte', async () => {
    const r = await rig([...readScript(), ...CPC_CLOSE], PSAM_CLOSE);
    await r.exit.read();
    const out = await r.exit.close();
    expect(out).toEqual({
      outcome: 'written',
      reason: null,
      cpcId: CPC_ID,
      attempts: 1,
      verified: true,
      recovered: false,
      radioState: null,
    });
    expect(r.card.done && r.psam.done).toBe(true);
    expect(r.psam.sent).toEqual([
      '00A4000002DF01',
      '801A4844106201012345678901B8CACBE0B8CACBE0',
      '80FA0000103A5C7E9102468ACE0000000000000000',
    ]);
    expect(r.card.sent.slice(7)).toEqual([
      '00A4000002DF01',
      '0084000008',
      '0082000108F4E8917A80E65D0C',
      '00D68117020202',
      '00B0811702',
    ]);
  });

  it('mode 1 delivers the CPC ID alone (Lc 08); byte 24 is configuration', async () => {
    const cpc: ScriptStep[] = [
      ['00A4000002DF01', '9000'],
      ['0084000008', `${AUTH.challenge}9000`],
      [`0082000108${AUTH.folded}`, '9000'],
      ['00D68117020203', '9000'],
      ['00B0811702', '02039000'],
    ];
    const psam: ScriptStep[] = [
      ['00A4000002DF01', '9000'],
      ['801A4844086201012345678901', '9000'],
      [`80FA000010${AUTH.challenge}0000000000000000`, `${AUTH.encrypted}9000`],
    ];
    const r = await rig([...readScript(), ...cpc], psam, { diversification: 1, exitedFlag: 0x03 });
    await r.exit.read();
    expect((await r.exit.close()).outcome).toBe('written');
    expect(r.card.done && r.psam.done).toBe(true);
  });

  it('the virtual CPC and PSAM (TEST UK1 root key, mode 2) exchange exactly §9 step 6', async () => {
    const cpc = issueTestCpc({ random: () => hexToBytes(AUTH.challenge) });
    const r = await makeCpcRig({ cpc });
    await r.exit.read();
    const card0 = r.cardReader.sent.length;
    const psam0 = r.psamReader.sent.length;
    expect(await r.exit.close()).toMatchObject({ outcome: 'written', attempts: 1 });
    expect(r.psamReader.sent.slice(psam0).map(bytesToHex)).toEqual(PSAM_CLOSE.map(([c]) => c));
    expect(r.cardReader.sent.slice(card0).map(bytesToHex)).toEqual(CPC_CLOSE.map(([c]) => c));
    expect(exitFlagsOnCard(cpc)).toBe('0202');
  });

  it('a second close() after the card was not returned identifies the card first: another CPC loses no UK1 try', async () => {
    // The card is pulled before the UPDATE and nobody puts it back: the first close() gives up.
    let putBack: VirtualCpc | null = null;
    const r = await makeCpcRig({
      onPoll: (reader) => {
        if (putBack && !reader.isCardPresent()) reader.insert(putBack);
      },
    });
    await r.exit.read();
    r.cardReader.tearOn((c) => c[1] === 0xd6, 'before');
    expect(await r.exit.close()).toMatchObject({ outcome: 'not-written', reason: 'CARD_NOT_RETURNED' });

    // Another CPC is put in and 【写卡】 is pressed again: its ID is read before anything is authenticated.
    const other = issueTestCpc({ cpcId: '6201012345678902' });
    r.cardReader.insert(other);
    const sent0 = r.cardReader.sent.length;
    const out = await r.exit.close();
    expect(out).toMatchObject({ outcome: 'not-written', reason: 'WRONG_CARD', verified: false });
    expect(r.cardReader.sent.slice(sent0).map(bytesToHex)).toEqual(['00A40000023F00', '00B0810808']);
    expect(other.triesLeft).toBe(3);
    expect(other.writes).toEqual([]);

    // The right card back: identified (2 APDUs), then exactly the §9 authentication and write.
    putBack = r.cpc;
    r.cardReader.insert(r.cpc);
    const sent1 = r.cardReader.sent.length;
    expect(await r.exit.close()).toMatchObject({ outcome: 'written', attempts: 1, verified: true });
    const sentNow = r.cardReader.sent.slice(sent1).map(bytesToHex);
    expect(sentNow.slice(0, 2)).toEqual(['00A40000023F00', '00B0810808']);
    expect(sentNow.slice(2).map((c) => c.slice(0, 8))).toEqual([
      '00A40000',
      '00840000',
      '00820001',
      '00D68117',
      '00B08117',
    ]);
    expect(r.cpc.triesLeft).toBe(3);
    expect(exitFlagsOnCard(r.cpc)).toBe('0202');
  });

  it('close() before read() is a typed error and sends nothing', async () => {
    const r = await rig([]);
    await expect(r.exit.close()).rejects.toMatchObject({ code: 'CPC_NOT_READ' });
    expect(r.card.sent).toEqual([]);
  });
});

describe('CPC exit: EF04 blocks to read (cpc-card.md §2.6)', () => {
  const block = (i: number) =>
    `${(0x61 + (i % 3)).toString(16)}01${'000064'}${'0003E8'}${'700021'}663D6AC9700045663D713600`;
  const passWith = (n: number) => `${n.toString(16).padStart(2, '0').toUpperCase()}${EX.pass.slice(2)}`;
  const blocks = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, i) => block(from + i))
      .join('')
      .toUpperCase();

  it('n = 0: no EF04 read at all (never Le 00)', async () => {
    const r = await rig(readScript(passWith(0), []));
    const files = await r.exit.read();
    expect(r.card.done).toBe(true);
    expect(r.card.sent).toHaveLength(6);
    expect(files.feeBlocks).toHaveLength(0);
  });

  it('n = 2: one read of 46 B', async () => {
    const r = await rig(readScript(passWith(2), [['00B084002E', `${blocks(0, 2)}9000`]]));
    expect((await r.exit.read()).feeBlocks).toHaveLength(46);
    expect(r.card.done).toBe(true);
  });

  it('n = 12: 253 B at offset 0, then 23 B at 0xFD', async () => {
    const r = await rig(
      readScript(passWith(12), [
        ['00B08400FD', `${blocks(0, 11)}9000`],
        ['00B084FD17', `${blocks(11, 12)}9000`],
      ]),
    );
    const files = await r.exit.read();
    expect(r.card.done).toBe(true);
    expect(bytesToHex(files.feeBlocks)).toBe(blocks(0, 12));
  });

  it('n = 22: 253 B, then 253 B at 0xFD', async () => {
    const r = await rig(
      readScript(passWith(22), [
        ['00B08400FD', `${blocks(0, 11)}9000`],
        ['00B084FDFD', `${blocks(11, 22)}9000`],
      ]),
    );
    const files = await r.exit.read();
    expect(r.card.done).toBe(true);
    expect(files.feeBlocks).toHaveLength(22 * 23);
    expect(bytesToHex(files.feeBlocks)).toBe(blocks(0, 22));
  });

  it('n = 23: abnormal, EF04 not read, a typed error that keeps the other files', async () => {
    const r = await rig(readScript(passWith(23), []));
    const err = await r.exit.read().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CPC_PROVINCES_ABNORMAL', count: 23 });
    expect(err).toHaveProperty('messageZh', 'CPC卡通行省份个数异常（23），请按坏卡处理');
    expect(err).toHaveProperty('files.sysInfo', hexToBytes(EX.sysInfo));
    expect(r.card.done).toBe(true);
    expect(r.exit.lastRead).toBeNull();
    expect(CPC_EXIT_SPECIAL_TYPES.CPC_PROVINCES_ABNORMAL).toBe(35);
  });

  it('a short answer is CPC_UNREADABLE naming the file, not a short file', async () => {
    const r = await rig(readScript(passWith(2), [['00B084002E', `${blocks(0, 1)}9000`]]));
    const e = await r.exit.read().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CpcUnreadableError);
    expect(e).toMatchObject({ code: 'CPC_UNREADABLE', file: 'DF01/EF04', offset: 0, sw: null });
    expect((e as CpcUnreadableError).cause).toMatchObject({ code: 'RESPONSE_FORMAT' });
    expect(r.exit.lastRead).toBeNull();
  });
});

describe('CPC exit: a CPC that cannot be read is CPC_UNREADABLE (cpc-card.md §5.4, the bad-card flow)', () => {
  const BAD = (sw: string) => `CPC卡无法读取（状态码${sw}），请按坏卡处理（转无卡流程）`;

  it('a damaged card answering 6F00: CPC_UNREADABLE with the status word and its cause, nothing else sent', async () => {
    const r = await makeCpcRig({ cpc: issueTestCpc({ damaged: 'error' }) });
    const e = await r.exit.read().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CpcUnreadableError);
    expect(e).toMatchObject({
      code: 'CPC_UNREADABLE',
      sw: '6F00',
      file: 'MF',
      offset: 0,
      messageZh: BAD('6F00'),
    });
    expect((e as CpcUnreadableError).cause).toBeInstanceOf(CardStatusError);
    expect((e as CpcUnreadableError).cause).toMatchObject({ code: 'UNKNOWN_STATUS', sw: 0x6f00 });
    expect(r.cardReader.sent.map(bytesToHex)).toEqual(['00A40000023F00']);
  });

  it('a status word on a later file names that file (6A82 on DF01/EF02)', async () => {
    const r = await rig([...readScript().slice(0, 5), ['00B0820065', '6A82']]);
    const e = await r.exit.read().catch((x: unknown) => x);
    expect(e).toMatchObject({
      code: 'CPC_UNREADABLE',
      sw: '6A82',
      file: 'DF01/EF02',
      messageZh: BAD('6A82'),
    });
    expect((e as CpcUnreadableError).cause).toMatchObject({ code: 'FILE_NOT_FOUND' });
  });

  it('a mute card still in the field: CPC_UNREADABLE (卡片无应答) keeping the transport error', async () => {
    const r = await makeCpcRig({ cpc: issueTestCpc({ damaged: 'mute' }) });
    const e = await r.exit.read().catch((x: unknown) => x);
    expect(e).toMatchObject({
      code: 'CPC_UNREADABLE',
      sw: null,
      file: 'MF',
      messageZh: 'CPC卡无法读取（卡片无应答），请按坏卡处理（转无卡流程）',
    });
    expect((e as CpcUnreadableError).cause).toMatchObject({ code: 'CARD_IO' });
  });

  it('a card pulled out mid-read is not a bad card: the reader’s CARD_IO (put it back and read again)', async () => {
    const r = await makeCpcRig({ onPoll: () => {} });
    r.cardReader.tearOn((c) => bytesToHex(c) === '00B0820065', 'before');
    const e = await r.exit.read().catch((x: unknown) => x);
    expect(e).not.toBeInstanceOf(CpcUnreadableError);
    expect(e).toMatchObject({ code: 'CARD_IO' });
    r.cardReader.insert(r.cpc);
    expect(bytesToHex((await r.exit.read()).pass)).toBe(bytesToHex(r.cpc.file('pass').subarray(0, 101)));
  });
});

describe('CPC exit: refusals and the one retry (payments.md §7)', () => {
  /** The §6 re-read: 3F00, MF/EF01 (same card?), MF/EF02 (byte 1 informative), DF01, bytes 23–24. */
  const reread = (flags: string, sysInfo = EX.sysInfo, radio = '01'): ScriptStep[] => [
    ['00A40000023F00', '9000'],
    ['00B081001E', `${sysInfo}9000`],
    ['00B0820020', `50${radio}${'00'.repeat(30)}9000`],
    ['00A4000002DF01', '9000'],
    ['00B0811702', `${flags}9000`],
  ];
  const authTo = (answer: string): ScriptStep[] => [
    ['00A4000002DF01', '9000'],
    ['0084000008', `${AUTH.challenge}9000`],
    [`0082000108${AUTH.folded}`, answer],
  ];

  it('6983 (UK1 locked): not written, no retry, national special 34', async () => {
    const r = await rig([...readScript(), ...authTo('6983')], PSAM_CLOSE);
    await r.exit.read();
    const out = await r.exit.close();
    expect(out).toMatchObject({ outcome: 'not-written', reason: 'CPC_UK1_LOCKED', attempts: 1 });
    expect(CPC_EXIT_SPECIAL_TYPES.CPC_UK1_LOCKED).toBe(34);
    expect(r.card.done).toBe(true);
  });

  it('63C2 then 9000: re-read shows 01 01, the retry authenticates and writes', async () => {
    const r = await rig(
      [...readScript(), ...authTo('63C2'), ...reread('0101'), ...CPC_CLOSE],
      [...PSAM_CLOSE, ...PSAM_CLOSE],
    );
    await r.exit.read();
    const out = await r.exit.close();
    expect(out).toMatchObject({ outcome: 'written', attempts: 2, recovered: false, radioState: 1 });
    expect(r.card.done && r.psam.done).toBe(true);
  });

  it('two refusals: not written after exactly one retry, the reason is the last refusal', async () => {
    const r = await rig(
      [...readScript(), ...authTo('63C2'), ...reread('0101'), ...authTo('63C1'), ...reread('0101')],
      [...PSAM_CLOSE, ...PSAM_CLOSE],
    );
    await r.exit.read();
    const out = await r.exit.close();
    expect(out).toMatchObject({
      outcome: 'not-written',
      reason: 'EXTERNAL_AUTH_FAILED',
      attempts: 2,
      verified: true,
    });
    expect(CPC_EXIT_SPECIAL_TYPES.EXTERNAL_AUTH_FAILED).toBe(35);
    expect(r.card.done && r.psam.done).toBe(true);
  });

  it('a read-back that does not show 02 02, then a re-read that does: written (MF/EF02 byte 1 still 1 is fine)', async () => {
    const r = await rig(
      [
        ...readScript(),
        ...CPC_CLOSE.slice(0, 4),
        ['00B0811702', '02019000'],
        ...reread('0202', EX.sysInfo, '01'),
      ],
      PSAM_CLOSE,
    );
    await r.exit.read();
    expect(await r.exit.close()).toMatchObject({
      outcome: 'written',
      recovered: true,
      radioState: 1,
      attempts: 1,
    });
    expect(r.card.done).toBe(true);
  });

  it('UPDATE refused with 6982: re-read, retry, written', async () => {
    const r = await rig(
      [
        ...readScript(),
        ...CPC_CLOSE.slice(0, 3),
        ['00D68117020202', '6982'],
        ...reread('0101'),
        ...CPC_CLOSE,
      ],
      [...PSAM_CLOSE, ...PSAM_CLOSE],
    );
    await r.exit.read();
    expect(await r.exit.close()).toMatchObject({ outcome: 'written', attempts: 2 });
    expect(r.card.done).toBe(true);
  });

  it('another card presented after a failure: WRONG_CARD, nothing is written to it', async () => {
    const other = EX.sysInfo.replace(CPC_ID, '6201012345670000');
    const r = await rig(
      [...readScript(), ...authTo('63C2'), ['00A40000023F00', '9000'], ['00B081001E', `${other}9000`]],
      PSAM_CLOSE,
    );
    await r.exit.read();
    const out = await r.exit.close();
    expect(out).toMatchObject({ outcome: 'not-written', reason: 'WRONG_CARD', verified: false });
    expect(r.card.done).toBe(true);
    expect(r.card.sent.filter((c) => c.startsWith('00D6'))).toEqual([]);
  });
});
