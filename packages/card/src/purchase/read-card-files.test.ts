import { describe, expect, it } from 'vitest';
import { readCardFiles } from './read-card-files';
import { chargeDecision, makeRig } from './test-rig';

describe('readCardFiles', () => {
  it('reads and decodes every file, including the 0018 log after two exits', async () => {
    const r = await makeRig({ algorithm: 'sm4', cardType: 'account', balance: 100 });
    await r.exit.exit(() => chargeDecision(300));
    await r.exit.exit(() => chargeDecision(50));
    const files = await readCardFiles(r.exit.channel, { layout0019: '2019' });
    expect(files.ef0016).toMatchObject({ value: { personalised: false } });
    expect(files.ef0015.value?.cardNumber).toBe(r.cardNumber);
    expect(files.ef0019.value).toMatchObject({ status: 4, cumulativeAmount: 50 });
    expect(files.balance).toBe(-250);
    expect(files.transactions.map((t) => [t.value?.atc, t.value?.amount])).toEqual([
      [2, 50],
      [1, 300],
    ]);
  });

  it('a file that does not decode is reported, not fatal', async () => {
    const r = await makeRig({ algorithm: '3des', cardType: 'stored-value', balance: 100 });
    r.card.state.ef0019 = new Uint8Array(43); // tag 00 instead of AA
    await r.cardReader.connect();
    const files = await readCardFiles(r.exit.channel, { layout0019: '2019' });
    expect(files.ef0019.value).toBeNull();
    expect(files.ef0019.error).toMatchObject({ file: '0019', offset: 0 });
    expect(files.transactions).toEqual([]);
  });
});
