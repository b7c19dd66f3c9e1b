import { fen } from '@tollpad/domain';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../apdu/hex';
import { paymentOnlyDecision } from './exit-purchase';
import { makeRig } from './test-rig';

/** INS of UPDATE CAPP DATA CACHE (80 DC AA C8 2B …). */
const isUpdateCache = (c: Uint8Array) => c[0] === 0x80 && c[1] === 0xdc && c[2] === 0xaa && c[3] === 0xc8;

describe('the ETC card as payment card only (payments.md §6): the card’s own 0019 written back', () => {
  it('sends the composite purchase with UPDATE CAPP DATA CACHE carrying the card’s own 0019 bytes; the card’s 0019 is unchanged, its purse debited', async () => {
    const r = await makeRig({ algorithm: '3des', cardType: 'stored-value', balance: 50_000 });
    const snap = await r.exit.readCard();
    const before = snap.raw0019;
    r.cardReader.sent.length = 0;
    const out = await r.exit.purchase(snap, paymentOnlyDecision(snap, fen(3_000)));
    const names = r.cardReader.sent.map((c) => bytesToHex(c.slice(0, 2)));
    // INITIALIZE (80 50), UPDATE CAPP DATA CACHE (80 DC), DEBIT (80 54): the composite purchase, nothing else.
    expect(names).toEqual(['8050', '80DC', '8054']);
    const update = r.cardReader.sent.find(isUpdateCache);
    expect(update && bytesToHex(update.slice(5, 5 + 43))).toBe(before.toUpperCase());
    expect(out.ef0019.toUpperCase()).toBe(before.toUpperCase());
    const after = await r.exit.readCard();
    expect(after.raw0019).toBe(before);
    expect(after.balance).toBe(47_000);
    expect(r.journal.done()).toHaveLength(1);
  });
});
