import { type Fen, SPECIAL } from '@tollpad/domain';
import { describe, expect, it } from 'vitest';
import { testExitTxnRow } from '../../testing/exit-txn-row';
import type { FeeJson } from '../json-columns';
import type { MediumRecordFields, PaymentRecordFields } from './exit-parts';
import { buildExitRecord, type RecordInputs } from './record';

// TEST data throughout: lane, station, card, PSAM and TAC are made up.
const LANE = 'G00013700101022010010';
const fee: FeeJson = {
  vehicleClass: 1,
  vehicleKind: 0,
  decision: {
    payFee: 3000 as Fen,
    discountFee: 150 as Fen,
    fee: 2850 as Fen,
    exitFeeType: 1,
    shortFee: 2000 as Fen,
    shortFeeMileage: 40_000,
    feeMileage: 60_000,
    feeRate: 1.425,
    specialCodes: [],
    etcDiscountApplied: true,
    feeClass: 1,
    spcRateVersion: 'TEST-1',
    authorisation: { required: false, reasons: [] },
    trace: [],
  },
  charge: { payFee: 3000 as Fen, discountFee: 150 as Fen, fee: 2850 as Fen, exitFeeType: 1 },
  specials: [SPECIAL.ENTRY_EXIT_PLATE],
  authReasons: [],
  etcPayable: true,
  notPayableReason: null,
};
const medium: MediumRecordFields = {
  enTollStationHex: '3701A001',
  enTime: '2026-11-23T06:00:00.000Z',
  mediaType: 1,
  obuSign: 2,
  cardId: '99010000000000000001',
  cardNet: '9901',
  etcCardType: 1,
  plate: '京A12345',
  plateColour: 0,
  vehicleSign: 0xff,
  axleCount: 2,
  enAxleCount: 2,
  provinceCount: 1,
  noCardCount: 0,
};
const payment: PaymentRecordFields = {
  transPayType: 1,
  tac: '0A1B2C3D',
  transFee: 2850 as Fen,
  transType: '09',
  terminalNo: '0151000119F8',
  terminalTransNo: '00000010',
  cardTransNo: 7,
  algorithmIdentifier: 1,
  preBalance: 10_000 as Fen,
  postBalance: 7150 as Fen,
};
const inputs = (over: Partial<RecordInputs> = {}): RecordInputs => ({
  tradeId: `${LANE}2026112316000001`,
  txn: testExitTxnRow('t', { lane_id: LANE, shift_id: 'S-TEST', plate: '京A12346', plate_colour: 0 }),
  fee,
  debit: {
    amount: 2850,
    exTime: '2026-11-23T08:00:00.000Z',
    passId: '019901000000000000000120261123140000',
    announcedAt: '2026-11-23T08:00:00.000Z',
  },
  medium,
  payment,
  specials: fee.specials,
  lane: { hex: '3701A00201' },
  entryStation: { id: 'G0001370010101', name: '入口站 (TEST)' },
  exitStationName: '出口站 (TEST)',
  collector: { operId: 'test-collector', operName: '测试收费员' },
  listVersions: { card: 'TEST-CARD-1', tariff: 'TEST-1' },
  ...over,
});

describe('the exit record', () => {
  it('is made of the medium, the payment, the charge and this exit', () => {
    const r = buildExitRecord(inputs());
    expect(r).toMatchObject({
      id: `${LANE}2026112316000001`,
      enTollStationHex: '3701A001',
      enTollStationId: 'G0001370010101',
      exTollStationId: 'G0001370010102',
      exTollStationHex: '3701A002',
      vehicleId: '京A12346_0',
      obuSign: 2,
      transPayType: 1,
      tac: '0A1B2C3D',
      fee: 2850,
      originFee: 3000,
      specialType: String(SPECIAL.ENTRY_EXIT_PLATE),
      operId: 'test-collector',
    });
  });

  it('names the medium’s plate when no plate was confirmed, and leaves out an entry the medium lacks', () => {
    const { enTollStationHex: _h, enTime: _t, ...noEntry } = medium;
    const r = buildExitRecord(
      inputs({ txn: testExitTxnRow('t', { lane_id: LANE, shift_id: 'S-TEST' }), medium: noEntry }),
    );
    expect(r.vehicleId).toBe('京A12345_0');
    expect(r).not.toHaveProperty('enTollStationHex');
    expect(r).not.toHaveProperty('enTollStationId');
  });

  it('is byte for byte the ETC record written before the CPC record joined it (fields and their order)', () => {
    // Captured from the ETC-only builder: the centre digests the JSON, so a reordered field is a new record.
    const before =
      '{"id":"G000137001010220100102026112316000001","passId":"019901000000000000000120261123140000","enTollStationHex":"3701A001","enTime":"2026-11-23T06:00:00.000Z","enTollStationId":"G0001370010101","enTollStationName":"入口站 (TEST)","exTollLaneId":"G00013700101022010010","exTollLaneHex":"3701A00201","exTollStationId":"G0001370010102","exTollStationHex":"3701A002","exTollStationName":"出口站 (TEST)","exTime":"2026-11-23T08:00:00.000Z","operId":"test-collector","operName":"测试收费员","shiftId":"S-TEST","mediaType":1,"obuSign":2,"cardId":"99010000000000000001","cardNet":"9901","etcCardType":1,"transPayType":1,"exitFeeType":1,"identification":2,"vehicleId":"京A12346_0","vehicleType":1,"vehicleClass":0,"vehicleSign":255,"axleCount":2,"enAxleCount":2,"tac":"0A1B2C3D","transFee":2850,"transType":"09","terminalNo":"0151000119F8","terminalTransNo":"00000010","cardTransNo":7,"algorithmIdentifier":1,"preBalance":10000,"postBalance":7150,"payFee":3000,"fee":2850,"discountFee":150,"shortFee":2000,"shortFeeMileage":40000,"feeMileage":60000,"feeRate":1.425,"spcRateVersion":"TEST-1","provinceCount":1,"noCardCount":0,"provinceDiscountFee":0,"originFee":3000,"specialType":"52","description":"出入口车牌不一致","laneType":5,"operationMedia":2,"listVersions":{"card":"TEST-CARD-1","tariff":"TEST-1"}}';
    expect(JSON.stringify(buildExitRecord(inputs()))).toBe(before);
  });

  it('is refused when it would not pass the centre’s schema', () => {
    expect(() => buildExitRecord(inputs({ payment: { ...payment, postBalance: 1 as Fen } }))).toThrow(
      expect.objectContaining({ code: 'STN_ERR_REQ_INVALID' }),
    );
  });
});
