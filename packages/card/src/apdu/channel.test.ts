import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CardIoError } from '../reader/errors';
import { ScriptedApduCard } from '../sim/scripted-card';
import { encodeCommand, withLe } from './apdu';
import { ApduLoopError, apduCardTransmitter, CardChannel } from './channel';
import {
  debitCappPurchase,
  getTransactionProve,
  initializeCappPurchase,
  readBinarySfi,
  readRecord,
} from './commands';
import { bytesToHex, hexToBytes } from './hex';
import { CardStatusError, describeStatusWord } from './status';

const channelFor = (script: ConstructorParameters<typeof ScriptedApduCard>[0]) => {
  const card = new ScriptedApduCard(script);
  return { card, channel: new CardChannel(apduCardTransmitter(card)) };
};

describe('APDU encoding', () => {
  it('builds the reference commands byte for byte', () => {
    expect(bytesToHex(readBinarySfi(0x15, 0, 0x32))).toBe('00B0950032');
    expect(bytesToHex(readRecord(1, 0x19, 0x2b))).toBe('00B201CC2B');
    expect(bytesToHex(readRecord(3, 0x18, 0x17))).toBe('00B203C417');
    expect(
      bytesToHex(
        initializeCappPurchase({ keyIndex: 1, amount: 200, terminalId: hexToBytes('200041599997') }),
      ),
    ).toBe('805003020B01000000C82000415999970F');
    expect(
      bytesToHex(
        debitCappPurchase({
          terminalSerial: 0x57,
          datetime: hexToBytes('20180313164329'),
          mac1: hexToBytes('66CBC863'),
        }),
      ),
    ).toBe('805401000F000000572018031316432966CBC86308');
    expect(bytesToHex(getTransactionProve(0x37))).toBe('805A000902003708');
  });

  it('replaces or appends Le', () => {
    expect(bytesToHex(withLe(hexToBytes('00B0950032'), 0x2b))).toBe('00B095002B');
    expect(bytesToHex(withLe(hexToBytes('00A40000023F00'), 0x10))).toBe('00A40000023F0010');
    expect(bytesToHex(withLe(hexToBytes('0084000004'), 8))).toBe('0084000008');
  });

  it('rejects malformed command fields with a typed error', () => {
    expect(() => encodeCommand({ cla: 256, ins: 0, p1: 0, p2: 0 })).toThrow(
      expect.objectContaining({ code: 'APDU_FORMAT' }),
    );
  });
});

describe('CardChannel', () => {
  it('re-sends with the corrected Le on 6Cxx', async () => {
    const { card, channel } = channelFor([
      ['00B0950032', '6C2B'],
      ['00B095002B', `${'11'.repeat(43)}9000`],
    ]);
    const data = await channel.send(readBinarySfi(0x15, 0, 0x32), 'READ 0015');
    expect(data.length).toBe(43);
    expect(card.done).toBe(true);
    expect(channel.commandCount).toBe(1);
    expect(channel.transmitCount).toBe(2);
  });

  it('chains 61xx with GET RESPONSE and concatenates the data', async () => {
    const { card, channel } = channelFor([
      ['00A40000021001', '6104'],
      ['00C0000004', 'A1A2A3A46102'],
      ['00C0000002', 'B1B29000'],
    ]);
    const resp = await channel.transmit(hexToBytes('00A40000021001'));
    expect(bytesToHex(resp.data)).toBe('A1A2A3A4B1B2');
    expect(resp.sw).toBe(0x9000);
    expect(card.done).toBe(true);
  });

  it('stops an endless 61xx after the loop guard with ApduLoopError', async () => {
    const endless = { transmit: async () => hexToBytes('6101') };
    const channel = new CardChannel(endless, { maxIterations: 32 });
    await expect(channel.transmit(hexToBytes('805C000204'))).rejects.toBeInstanceOf(ApduLoopError);
    expect(channel.transmitCount).toBe(32);
  });

  it('stops an endless 6Cxx too', async () => {
    const channel = new CardChannel({ transmit: async () => hexToBytes('6C05') });
    await expect(channel.transmit(hexToBytes('805C000204'))).rejects.toMatchObject({ code: 'APDU_LOOP' });
  });

  it('turns a response shorter than 2 bytes into CardIoError', async () => {
    for (const r of ['', '90']) {
      const channel = new CardChannel({ transmit: async () => hexToBytes(r) });
      await expect(channel.transmit(hexToBytes('805C000204'))).rejects.toBeInstanceOf(CardIoError);
    }
  });

  it('never transmits a command shorter than 4 bytes', async () => {
    let sent = 0;
    const channel = new CardChannel({
      transmit: async () => {
        sent++;
        return hexToBytes('9000');
      },
    });
    await expect(channel.transmit(hexToBytes('00A400'))).rejects.toMatchObject({ code: 'APDU_FORMAT' });
    expect(sent).toBe(0);
  });

  it('maps status words to typed errors with Chinese messages', async () => {
    const { channel } = channelFor([['805C000204', '9303']]);
    const err = await channel.send(hexToBytes('805C000204'), 'GET BALANCE').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CardStatusError);
    expect(err).toMatchObject({ sw: 0x9303, code: 'APPLICATION_LOCKED', messageZh: '卡片应用已永久锁定' });
    expect(describeStatusWord(0x9401).messageZh).toBe('卡片余额不足');
    expect(describeStatusWord(0x1234).code).toBe('UNKNOWN_STATUS');
  });

  it('a scripted card rejects any unexpected command', () => {
    const card = new ScriptedApduCard([['805C000204', '000000649000']]);
    expect(() => card.transmit(hexToBytes('00B201CC2B'))).toThrow(/expected 805C000204, got 00B201CC2B/);
  });

  it('fuzz: random responses never crash or hang the channel — they resolve or raise a typed error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 40 }), { minLength: 1, maxLength: 40 }),
        async (responses) => {
          let i = 0;
          const channel = new CardChannel({ transmit: async () => responses[i++ % responses.length]! });
          try {
            const r = await channel.transmit(hexToBytes('00B0950032'));
            expect(r.sw).toBeGreaterThanOrEqual(0);
          } catch (e) {
            expect(e).toHaveProperty('code');
          }
          expect(channel.transmitCount).toBeLessThanOrEqual(32);
        },
      ),
      { numRuns: 300 },
    );
  });
});
