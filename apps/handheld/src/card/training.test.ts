import { describe, expect, it } from 'vitest';
import { entryStationHex, issueTrainingCard, TRAINING_PROFILES } from './training-cards';
import { stepOf, TrainingReader } from './training-reader';

describe('training cards and reader (TEST data)', () => {
  it('puts the entry on the same road, one station back (or forward at the road start)', () => {
    expect(entryStationHex('37000102', 1)).toBe('37000101');
    expect(entryStationHex('37000101', 1)).toBe('37000102');
    expect(entryStationHex('3700020A', 1)).toBe('37000209');
  });

  it('the status-list vehicle carries the card number on the station TEST list', () => {
    const p = TRAINING_PROFILES.find((x) => x.id === 'status-list')!;
    const card = issueTrainingCard(p, '37000102', new Date());
    const hex = Array.from(card.state.ef0015.subarray(10, 20), (b) => b.toString(16).padStart(2, '0')).join(
      '',
    );
    expect(hex).toBe('99010000000000000666');
  });

  it('classifies APDUs by exit step', () => {
    expect(stepOf(Uint8Array.of(0x00, 0xb0, 0x95, 0, 0x32))).toBe('read');
    expect(stepOf(Uint8Array.of(0x80, 0x50, 0x03, 0x02, 0x0b))).toBe('init');
    expect(stepOf(Uint8Array.of(0x80, 0x54, 0x01, 0x00, 0x0f))).toBe('debit');
    expect(stepOf(Uint8Array.of(0x00, 0xd6, 0x81, 0x17, 0x02, 0x02, 0x02))).toBe('write');
    expect(stepOf(Uint8Array.of(0x00, 0xa4, 0, 0, 2))).toBeNull();
  });

  it('a pull fault at READ tears before the card sees the command, and saves nothing', async () => {
    let saves = 0;
    const r = new TrainingReader(
      () => saves++,
      () => undefined,
    );
    r.insert(issueTrainingCard(TRAINING_PROFILES[0]!, '37000102', new Date()));
    await r.connect();
    r.fault = { step: 'read', action: 'pull' };
    await expect(r.transmit(Uint8Array.of(0x00, 0xb0, 0x95, 0, 0x32))).rejects.toMatchObject({
      name: 'CardIoError',
    });
    expect(r.isCardPresent()).toBe(false);
    expect(saves).toBe(0);
  });
});
