import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('centre configuration', () => {
  it('reads the documented environment with defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 8090,
      host: '127.0.0.1',
      databaseUrl: undefined,
      seed: 20240117,
      listDeltaMinutes: 5,
    });
    const e = loadConfig({
      PORT: '9000',
      DATABASE_URL: 'postgres://x/y',
      SEED: '5',
      SEED_CARD_ENTRIES: '99010000000000000042:1, bad:2, 99010000000000000043:7',
      PSAM_REVOKED: 'ab12, CD34',
    });
    expect(e).toMatchObject({
      port: 9000,
      databaseUrl: 'postgres://x/y',
      seed: 5,
      revokedPsams: ['AB12', 'CD34'],
    });
    expect(e.seedCardEntries).toEqual([
      { key: '99010000000000000042', type: 1 },
      { key: '99010000000000000043', type: 7 },
    ]);
  });
});
