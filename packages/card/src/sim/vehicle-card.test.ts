import { toBeijingSeconds } from '@tollpad/domain';
import { describe, expect, it } from 'vitest';
import { decodeEf0019, encodeEf0019 } from '../codec/ef0019';
import { TRAINING_VEHICLES, trainingVehicleSpec } from '../fixtures/training-vehicles';
import { blankEf0019 } from './issuer';
import { issueTestVehicleCard } from './vehicle-card';

describe('TEST vehicle cards', () => {
  const truck = trainingVehicleSpec('truck')!;
  const time = new Date('2024-03-15T02:30:00Z');

  it('writes the entry record the entry lane would have', () => {
    const issued = issueTestVehicleCard(truck, { stationHex: '37000102', time, cumulativeAmount: 1234 });
    const e = decodeEf0019(issued.card.state.ef0019, '2019');
    expect(e).toMatchObject({ network: '3700', station: '0102', lane: 1, status: 0x03, plate: truck.plate });
    expect(e.time).toBe(toBeijingSeconds(time));
    expect(e.vehicleClass.raw).toBe(12);
    if (e.layout !== '2019') throw new Error('layout');
    expect(e.plateColour.raw).toBe(truck.colour);
    expect(e.cumulativeAmount).toBe(1234);
    expect(issued.algorithm).toBe('sm4');
    expect(issued.card.state.kind).toBe('account');
  });

  it('leaves 0019 blank for a vehicle with no entry, and carries expiry and lock', () => {
    const expired = trainingVehicleSpec('expired')!;
    const issued = issueTestVehicleCard({ ...expired, locked: true }, null);
    expect(issued.card.state.ef0019).toEqual(encodeEf0019(blankEf0019('2019')));
    expect(issued.ef0015.validUntil).toBe('20240101');
    expect(issued.card.state.locked).toBe(true);
  });

  it('gives every training vehicle its own TEST card number (the status-list one is on the TEST lists)', () => {
    const numbers = TRAINING_VEHICLES.map((v) => issueTestVehicleCard(v, null).cardNumber);
    expect(new Set(numbers).size).toBe(TRAINING_VEHICLES.length);
    expect(issueTestVehicleCard(trainingVehicleSpec('status-list')!, null).cardNumber).toBe(
      '99010000000000000666',
    );
  });
});
