import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../apdu/hex';
import { CardAbsentError, CardIoError } from '../reader/errors';
import { ReaderCommandError } from '../reader/reader-errors-extra';
import { ScriptedTestCard } from './scripted-test-card';
import { SimulatedReader } from './simulated-reader';

describe('SimulatedReader', () => {
  it('connects, transmits and reports presence events', async () => {
    const reader = new SimulatedReader();
    const seen: string[] = [];
    reader.on('present', () => seen.push('present'));
    reader.on('absent', () => seen.push('absent'));
    expect(reader.isCardPresent()).toBe(false);
    await expect(reader.connect()).rejects.toBeInstanceOf(CardAbsentError);
    const card = new ScriptedTestCard();
    reader.insert(card);
    expect(bytesToHex(await reader.connect())).toBe('3B021450');
    expect(bytesToHex(await reader.transmit(hexToBytes('805C000204')))).toBe('000003E89000');
    reader.remove();
    expect(seen).toEqual(['present', 'absent']);
    expect(card.powered).toBe(false);
    await expect(reader.transmit(hexToBytes('805C000204'))).rejects.toBeInstanceOf(CardAbsentError);
  });

  it('refuses commands shorter than 4 bytes', async () => {
    const reader = new SimulatedReader(new ScriptedTestCard());
    await reader.connect();
    await expect(reader.transmit(Uint8Array.of(0x01))).rejects.toBeInstanceOf(ReaderCommandError);
  });

  it('a removal while a command is in flight is a CardIoError and the command did not run', async () => {
    const card = new ScriptedTestCard();
    const reader = new SimulatedReader(card, { latencyMs: 20 });
    await reader.connect();
    const pending = reader.transmit(hexToBytes('8054010000'));
    reader.remove();
    await expect(pending).rejects.toBeInstanceOf(CardIoError);
    expect(card.counter).toBe(100);
  });

  it('scripted tears: before = not run, after = ran but no response', async () => {
    const card = new ScriptedTestCard();
    const reader = new SimulatedReader(card);
    const isDebit = (c: Uint8Array) => c[0] === 0x80 && c[1] === 0x54;
    reader.tearOn(isDebit, 'before');
    await reader.connect();
    await expect(reader.transmit(hexToBytes('8054010000'))).rejects.toBeInstanceOf(CardIoError);
    expect(card.counter).toBe(100);
    expect(reader.isCardPresent()).toBe(false);
    reader.insert(card);
    await reader.connect();
    reader.tearOn(isDebit, 'after');
    await expect(reader.transmit(hexToBytes('8054010000'))).rejects.toBeInstanceOf(CardIoError);
    expect(card.counter).toBe(99);
  });
});
