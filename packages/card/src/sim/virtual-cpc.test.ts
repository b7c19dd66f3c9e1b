import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../apdu/hex';
import { cpcAuthCryptogram, foldCpcCryptogram } from '../cpc/auth-cryptogram';
import { CPC_WORKED_EXAMPLE_AUTH } from '../fixtures/cpc-worked-example';
import { CardIoError } from '../reader/errors';
import { TearingCard } from './tearing-card';
import { issueTestCpc, testCpcFiles } from './test-cpc';
import { VirtualCpc } from './virtual-cpc';
import { VirtualPsam } from './virtual-psam';
import { VirtualReader } from './virtual-reader';

// cpc-card.md §9 (TEST data): the challenge the card gives and the cryptogram that answers it.
const R = CPC_WORKED_EXAMPLE_AUTH.challenge;
const F = CPC_WORKED_EXAMPLE_AUTH.folded;
const UK1 = hexToBytes(CPC_WORKED_EXAMPLE_AUTH.cardUk1);
const fixedChallenge = () => hexToBytes(R);

const clean = (hex: string) => hex.replace(/\s+/g, '').toUpperCase();
function send(card: VirtualCpc | VirtualPsam | TearingCard, hex: string): string {
  return bytesToHex(card.transmit(hexToBytes(clean(hex))));
}

function powered(card = issueTestCpc({ random: fixedChallenge })): VirtualCpc {
  card.powerOn();
  return card;
}

/** Select DF01 and authenticate with the right cryptogram for the card's next challenge. */
function authenticate(card: VirtualCpc, key = UK1): void {
  expect(send(card, '00A4000002DF01')).toBe('9000');
  const r = send(card, '0084000008');
  expect(r.slice(-4)).toBe('9000');
  const f = cpcAuthCryptogram(key, hexToBytes(r.slice(0, 16)));
  expect(send(card, `0082000108${bytesToHex(f)}`)).toBe('9000');
}

describe('VirtualCpc: cpc-card.md §9 exit through the reader and the virtual PSAM', () => {
  it('answers every APDU of the worked example, and reports the radio off at the next power-up', async () => {
    const files = testCpcFiles();
    const cpc = new VirtualCpc(files, { random: fixedChallenge });
    const cardSlot = new VirtualReader('card');
    cardSlot.insert(cpc);
    const psamSlot = new VirtualReader('psam');
    psamSlot.insert(new VirtualPsam({ terminalId: hexToBytes('0151000119F8') }));
    await cardSlot.connect();
    await psamSlot.connect();
    const card = async (hex: string) => bytesToHex(await cardSlot.transmit(hexToBytes(clean(hex))));
    const psam = async (hex: string) => bytesToHex(await psamSlot.transmit(hexToBytes(clean(hex))));

    expect(await card('00A4000002 3F00')).toBe('9000');
    expect(await card('00B081001E')).toBe(`${bytesToHex(files.sysInfo)}9000`);
    expect(await card('00B0820020')).toBe(`${bytesToHex(files.baseInfo)}9000`);
    expect(await card('00A4000002 DF01')).toBe('9000');
    expect(await card('00B0810027')).toBe(`${bytesToHex(files.entry)}9000`);
    expect(await card('00B0820065')).toBe(`${bytesToHex(files.pass)}9000`);
    expect(await card('00B084002E')).toBe(`${bytesToHex(files.feeBlocks)}9000`);

    expect(await psam('00A4000002 DF01')).toBe('9000');
    expect(await psam('801A484410 6201012345678901 B8CACBE0B8CACBE0')).toBe('9000');
    expect(await card('00A4000002DF01')).toBe('9000');
    expect(await card('0084000008')).toBe(`${R}9000`);
    const e = await psam(`80FA000010 ${R} 0000000000000000`);
    expect(e).toBe(`${CPC_WORKED_EXAMPLE_AUTH.encrypted}9000`);
    expect(bytesToHex(foldCpcCryptogram(hexToBytes(e.slice(0, 32))))).toBe(F);
    expect(await card(`0082000108 ${F}`)).toBe('9000');
    expect(await card('00D6811702 0202')).toBe('9000');
    expect(await card('00B0811702')).toBe('02029000');

    expect(cpc.radioState).toBe(1); // [I, unverified] the state follows at the next power-up only
    await cardSlot.disconnect();
    await cardSlot.connect();
    expect(await card('00B0820002')).toBe('50009000');
    expect(cpc.writes).toEqual([{ file: 'entry', offset: 23, data: '0202' }]);
  });
});

describe('VirtualCpc + VirtualPsam replay cpc-card.md §9 step 6 exactly', () => {
  it('every command gets the documented answer', () => {
    const cpc = powered();
    const psam = new VirtualPsam({ terminalId: hexToBytes('0151000119F8') });
    psam.powerOn();
    expect(send(psam, '00A4000002DF01')).toBe('9000');
    for (const step of CPC_WORKED_EXAMPLE_AUTH.apdus) {
      expect(send(step.to === 'psam' ? psam : cpc, step.command), step.command).toBe(clean(step.response));
    }
  });
});

describe('VirtualCpc: files and addressing (cpc-card.md §2.1)', () => {
  it('reads by SFI in the selected DF only, and by the current EF with a 15-bit offset', () => {
    const card = powered();
    expect(send(card, '00B0840017')).toBe('6A82'); // EF04 is not in the MF
    expect(send(card, '00B0810004')).toBe('B8CACBE09000'); // MF/EF01
    send(card, '00A4000002DF01');
    expect(send(card, '00B0810001')).toBe('019000'); // DF01/EF01 now
    expect(send(card, '00B0000102')).toBe('B8CA9000'); // current EF = the last SFI's (EF01), offset 1
    expect(send(card, '00B0001702')).toBe('01019000');
    expect(send(card, '00A4000002EF04')).toBe('9000');
    expect(send(card, '00B0001702')).toBe('62039000'); // block 2 at 23
    expect(send(card, '00B0011417')).toBe(`${'00'.repeat(23)}9000`); // block 13 at 276: past an SFI's reach
    expect(send(card, '00B0020000')).toBe('6B00'); // 512 is past EF04's end
    expect(send(card, '00B001FF02')).toBe('6C01'); // one byte left
    expect(send(card, '00A4000002EF03')).toBe('6A82');
  });

  it('a fresh selection of a DF has no current EF; a short read of a longer file is fine', () => {
    const card = powered();
    send(card, '00A4000002DF01');
    expect(send(card, '00B0000001')).toBe('6986');
    expect(send(card, '00B0820001')).toBe('029000');
    expect(send(card, '00B0A00001')).toBe('6A86'); // bits 6–7 of an SFI P1 must be 0
    expect(send(card, '00B081')).toBe('6700');
    expect(send(card, '80B0810001')).toBe('6E00');
    expect(send(card, '00CA000001')).toBe('6D00');
  });
});

describe('VirtualCpc: external authentication (cpc-card.md §3 [P] answers)', () => {
  it('63C2, 63C1, then 6983 for every later try, even a right one; the count survives power-off', () => {
    const card = powered();
    send(card, '00A4000002DF01');
    send(card, '0084000008');
    expect(send(card, '00820001080000000000000000')).toBe('63C2');
    send(card, '0084000008');
    expect(send(card, '00820001080000000000000000')).toBe('63C1');
    card.powerOff();
    card.powerOn();
    expect(card.triesLeft).toBe(1);
    send(card, '00A4000002DF01');
    send(card, '0084000008');
    expect(send(card, '00820001080000000000000000')).toBe('6983');
    send(card, '0084000008');
    expect(send(card, `0082000108${F}`)).toBe('6983');
    expect(card.isAuthenticated).toBe(false);
  });

  it('a right cryptogram resets the count to 3', () => {
    const card = powered();
    send(card, '00A4000002DF01');
    send(card, '0084000008');
    expect(send(card, '00820001080000000000000000')).toBe('63C2');
    send(card, '0084000008');
    expect(send(card, `0082000108${F}`)).toBe('9000');
    expect(card.triesLeft).toBe(3);
  });

  it('6984 without a challenge; a challenge serves the next command only', () => {
    const card = powered();
    send(card, '00A4000002DF01');
    expect(send(card, `0082000108${F}`)).toBe('6984');
    send(card, '0084000008');
    expect(send(card, '00B0810001')).toBe('019000'); // any other command uses it up
    expect(send(card, `0082000108${F}`)).toBe('6984');
    send(card, '0084000008');
    expect(send(card, '00820001080000000000000000')).toBe('63C2');
    expect(send(card, `0082000108${F}`)).toBe('6984'); // a second 0082 too
    expect(card.triesLeft).toBe(2);
  });

  it('wrong shapes: P1, key, length; 0082 outside DF01', () => {
    const card = powered();
    expect(send(card, '0084000004')).toBe('6700');
    expect(send(card, `0082000108${F}`)).toBe('6985'); // in the MF
    send(card, '00A4000002DF01');
    expect(send(card, `0082000208${F}`)).toBe('6A88');
    expect(send(card, `0082010108${F}`)).toBe('6A86');
    expect(send(card, '008200010400000000')).toBe('6700');
    expect(card.triesLeft).toBe(3);
  });

  it('mode 1 cards are keyed on the CPC ID alone', () => {
    const card = powered(issueTestCpc({ mode: 1, random: fixedChallenge }));
    send(card, '00A4000002DF01');
    send(card, '0084000008');
    expect(send(card, `0082000108${F}`)).toBe('63C2');
  });
});

describe('VirtualCpc: write permissions', () => {
  it('UPDATE on DF01 needs the authentication; selecting a DF drops it, an EF keeps it', () => {
    const card = powered();
    send(card, '00A4000002DF01');
    expect(send(card, '00D68117020202')).toBe('6982');
    authenticate(card);
    expect(send(card, '00A4000002EF04')).toBe('9000');
    expect(send(card, '00D6011417 0102030405060708091011121314151617181920212223')).toBe('9000');
    expect(bytesToHex(card.file('feeBlocks').subarray(276, 279))).toBe('010203');
    expect(send(card, '00A4000002DF01')).toBe('9000');
    expect(send(card, '00D68117020202')).toBe('6982');
    expect(bytesToHex(card.file('entry').subarray(23, 25))).toBe('0101');
  });

  it('MF files are read-only; offsets past the end are refused whole', () => {
    const card = powered();
    authenticate(card);
    expect(send(card, '00D6827F0100')).toBe('9000'); // DF01/EF02 byte 127
    expect(send(card, '00D69F0002 0000')).toBe('6A82');
    expect(send(card, '00D6818002 0000')).toBe('6B00'); // EF01 is 128 B
    expect(send(card, '00D6817F02 0000')).toBe('6700'); // would run past the end: nothing written
    expect(bytesToHex(card.file('entry').subarray(127))).toBe('00');
    send(card, '00A4000002 3F00');
    expect(send(card, '00D6810001 00')).toBe('6982');
    expect(send(card, '00D6820001 00')).toBe('6982');
    expect(card.writes).toHaveLength(1);
  });

  it('power-off drops the authentication', () => {
    const card = powered();
    authenticate(card);
    card.powerOff();
    card.powerOn();
    send(card, '00A4000002DF01');
    expect(send(card, '00D68117020202')).toBe('6982');
  });
});

describe('VirtualCpc: battery, radio, damage, images', () => {
  it('an entry write turns the radio state on at the next power-up, an exit write off', () => {
    const card = powered(
      new VirtualCpc({ ...testCpcFiles(), baseInfo: hexToBytes('6400'), entry: new Uint8Array(0) }),
    );
    expect(card.radioState).toBe(0);
    authenticate(card);
    expect(send(card, '00D6811701 01')).toBe('9000');
    card.powerOff();
    expect(card.radioState).toBe(0);
    card.powerOn();
    expect(card.radioState).toBe(1);
    card.setBattery(15);
    expect(send(card, '00B0820001')).toBe('8F9000'); // 15 %, low
  });

  it('a damaged card answers 6F00 or nothing', async () => {
    const card = powered(issueTestCpc({ damaged: 'error' }));
    expect(send(card, '00A4000002 3F00')).toBe('6F00');
    card.damaged = 'mute';
    const slot = new VirtualReader('card');
    slot.insert(card);
    await slot.connect();
    await expect(slot.transmit(hexToBytes('00A40000023F00'))).rejects.toBeInstanceOf(CardIoError);
  });

  it('an image longer than its file is a typed error', () => {
    expect(() => new VirtualCpc({ ...testCpcFiles(), entry: new Uint8Array(129) })).toThrow(
      expect.objectContaining({ code: 'CODEC_INVALID' }),
    );
  });
});

describe('VirtualCpc behind TearingCard: the UPDATE is written whole or not at all', () => {
  for (const when of ['before', 'after'] as const) {
    it(`a tear ${when} the exit UPDATE`, () => {
      const cpc = issueTestCpc({ random: fixedChallenge });
      const torn = new TearingCard(cpc);
      torn.powerOn();
      authenticate(cpc);
      torn.arm(1, when);
      expect(send(torn, '00D68117020202')).toBe(''); // no answer: the terminal cannot know
      expect(send(torn, '00B0811702')).toBe(''); // mute until the next power-on
      torn.powerOn();
      send(torn, '00A4000002DF01');
      expect(send(torn, '00B0811702')).toBe(when === 'after' ? '02029000' : '01019000');
      expect(cpc.writes).toHaveLength(when === 'after' ? 1 : 0);
      expect(cpc.radioState).toBe(when === 'after' ? 0 : 1);
    });
  }
});
