import { bytesToHex, type Ef0019, encodeEf0015, encodeEf0019, vehicleClassOf } from '@tollpad/card';
import { blankEf0019, issueCard } from '@tollpad/card/sim';
import { SPECIAL, toBeijingSeconds } from '@tollpad/domain';
import type { CardRead, ObuRead } from '@tollpad/station-api';
import { describe, expect, it } from 'vitest';
import { StationError } from '../../../errors';
import { statusListsFromFiles } from '../../../ports/status-lists';
import { checkCard, decodeCard } from './etc-checks';

const NOW = new Date('2026-11-23T08:00:00Z');
const lists = statusListsFromFiles({
  card: { version: 'C1', entries: [{ key: '99010000000000000009', type: 3 }] },
  obu: { version: 'O1', entries: [{ key: '0000000000000777', type: 1 }] },
  vehicle: {
    version: 'V1',
    entries: [
      { key: '鲁A00001_0', type: 1 },
      { key: '鲁A00002_0', type: 2 },
    ],
  },
});
const opts = { validNetworks: [] as string[], layout0019: '2019' as const };

/** TEST card files as 【读卡】 would send them. */
function read(
  o: {
    serial?: number;
    validUntil?: string;
    validFrom?: string;
    network?: string;
    plate?: string;
    locked?: boolean;
  } = {},
  entry: Partial<Ef0019> | null = {},
  obu?: ObuRead,
): CardRead {
  const issued = issueCard({
    plate: o.plate ?? '京A12345',
    colour: 0,
    class: 1,
    cardType: 'stored-value',
    algorithm: '3des',
    balance: 1000,
    serial: o.serial ?? 1,
    ...(o.network ? { network: o.network } : {}),
    ...(o.validUntil ? { validUntil: o.validUntil } : {}),
    ...(o.validFrom ? { validFrom: o.validFrom } : {}),
  });
  const e19: Ef0019 =
    entry === null
      ? blankEf0019('2019')
      : ({
          ...blankEf0019('2019'),
          network: '3700',
          station: '0101',
          time: toBeijingSeconds(new Date(NOW.getTime() - 3600_000)),
          vehicleClass: vehicleClassOf(1),
          status: 0x03,
          plate: o.plate ?? '京A12345',
          lock: o.locked ? 1 : 0,
          ...entry,
        } as Ef0019);
  return {
    ef0015: bytesToHex(encodeEf0015(issued.ef0015)),
    ef0019: bytesToHex(encodeEf0019(e19)),
    balance: 1000,
    ...(obu ? { obu } : {}),
  };
}

const codesOf = (input: CardRead) => {
  const card = decodeCard(input, '2019');
  return checkCard(card, input.obu, lists, NOW, opts);
};

describe('【读卡】 checks', () => {
  it('passes a valid TEST card with an entry and suggests its class and kind', () => {
    const r = codesOf(read());
    expect(r.specials).toEqual([]);
    expect(r.blocked).toBe(false);
    expect(r.suggested).toEqual({ vehicleClass: 1, vehicleKind: 0 });
  });

  it('blocks an expired, a not-yet-valid, a locked card and a foreign issuer', () => {
    const expired = codesOf(read({ validUntil: '20260101' }));
    expect(expired.specials.map((s) => s.code)).toContain(SPECIAL.CARD_EXPIRED);
    expect(expired.blocked).toBe(true);
    expect(expired.actions[0]).toMatch(/不能ETC扣费/);
    expect(codesOf(read({ validFrom: '20270101' })).specials.map((s) => s.code)).toContain(
      SPECIAL.CARD_NOT_YET_VALID,
    );
    expect(codesOf(read({ locked: true })).specials.map((s) => s.code)).toContain(SPECIAL.CARD_LOCKED);
    const foreign = codesOf(read({ network: '9001' }));
    expect(foreign.specials.map((s) => s.code)).toContain(SPECIAL.CARD_ISSUER_INVALID);
  });

  it('flags a missing entry (26) and card/OBU inconsistencies (41, 42, 2)', () => {
    expect(codesOf(read({}, null)).specials.map((s) => s.code)).toContain(SPECIAL.CARD_ENTRY_INVALID);
    const r = codesOf(
      read(
        {},
        {},
        { obuId: '0000000000000001', plate: '京B11111', plateColour: 0, vehicleClass: 2, removed: true },
      ),
    );
    expect(r.specials.map((s) => s.code)).toEqual(
      expect.arrayContaining([SPECIAL.OBU_REMOVED, SPECIAL.CARD_OBU_PLATE, SPECIAL.CARD_OBU_CLASS]),
    );
  });

  it('answers status-list hits with the list version: card 24, OBU 6, chase list 118', () => {
    const card = codesOf(read({ serial: 9 }));
    expect(card.specials.map((s) => s.code)).toContain(SPECIAL.CARD_ON_LIST);
    expect(card.needsRelease).toBe(true);
    expect(card.listHits[0]).toMatchObject({ list: 'card', type: 3, version: 'C1' });
    const obu = codesOf(read({}, {}, { obuId: '0000000000000777', removed: false }));
    expect(obu.specials.map((s) => s.code)).toContain(SPECIAL.OBU_ON_LIST);
    const chase = codesOf(read({ plate: '鲁A00001' }));
    expect(chase.specials.map((s) => s.code)).toContain(SPECIAL.VEHICLE_ON_CHASE_LIST);
    expect(chase.listHits[0]).toMatchObject({ list: 'vehicle', version: 'V1' });
  });

  it('answers a grey (预追缴, list type 2) chase hit 127, not 118', () => {
    const grey = codesOf(read({ plate: '鲁A00002' })).specials.map((s) => s.code);
    expect(grey).toContain(SPECIAL.VEHICLE_ON_GREY_CHASE_LIST);
    expect(grey).not.toContain(SPECIAL.VEHICLE_ON_CHASE_LIST);
  });

  it('refuses unreadable card files with a collector-facing code', () => {
    const bad = { ...read(), ef0019: `BB${read().ef0019.slice(2)}` };
    expect(() => decodeCard(bad, '2019')).toThrow(StationError);
    try {
      decodeCard(bad, '2019');
    } catch (e) {
      expect((e as StationError).code).toBe('STN_ERR_EXIT_CARD_UNREADABLE');
    }
  });
});
