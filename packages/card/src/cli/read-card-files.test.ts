import { describe, expect, it } from 'vitest';
import { chargeDecision, makeRig } from '../purchase/test-rig';
import { readCardFiles } from './read-card-files';

describe('readCardFiles (the engineer’s full read)', () => {
  it('reads and decodes every file, including the 0018 log after two exits', async () => {
    const r = await makeRig({ algorithm: 'sm4', cardType: 'account', balance: 100 });
    await r.exit.exit(() => chargeDecision(300));
    await r.exit.exit(() => chargeDecision(50));
    const report = await readCardFiles(r.cardReader, { layout0019: '2019' });
    const file = (name: string) => report.files.find((f) => f.file === name);
    expect(file('0016')?.decoded).toMatchObject({ personalised: false });
    expect(file('0015')?.decoded).toMatchObject({ cardNumber: r.cardNumber });
    expect(file('0019')?.decoded).toMatchObject({ status: 4, cumulativeAmount: 50 });
    expect(report.files.filter((f) => f.file.startsWith('0018#')).map((f) => f.decoded)).toMatchObject([
      { atc: 2, amount: 50 },
      { atc: 1, amount: 300 },
    ]);
  });

  it('a file that does not decode is reported, not fatal', async () => {
    const r = await makeRig({ algorithm: '3des', cardType: 'stored-value', balance: 100 });
    r.card.state.ef0019 = new Uint8Array(43); // tag 00 instead of AA
    const report = await readCardFiles(r.cardReader, { layout0019: '2019' });
    const ef0019 = report.files.find((f) => f.file === '0019');
    expect(ef0019?.decoded).toBeUndefined();
    expect(ef0019?.error).toMatchObject({
      code: 'CODEC_INVALID',
      message: expect.stringMatching(/^0019 @0:/),
    });
    expect(report.files.some((f) => f.file.startsWith('0018#'))).toBe(false);
  });
});
