import {
  checkExitRecord,
  describeSpecial,
  type ExitRecord,
  formatSpecialTypes,
  formatVehicleId,
  type PlateColour,
  type VehicleClass,
  type VehicleKind,
} from '@tollpad/domain';
import type { ExitTxnRow } from '../../db/schema';
import { StationError } from '../../errors';
import type { DebitBase, FeeJson } from '../json-columns';
import type { MediumRecordFields, PaymentRecordFields } from './exit-parts';

/** Everything the exit record is made of, gathered by the exit service. */
export interface RecordInputs {
  tradeId: string;
  txn: ExitTxnRow;
  fee: Readonly<FeeJson>;
  debit: Readonly<DebitBase>;
  medium: MediumRecordFields;
  payment: PaymentRecordFields;
  /** The record's specials: the fee's, and any the card write adds. */
  specials: readonly number[];
  lane: { hex: string };
  /** The entry station as the road network names it, when the medium's entry is on it. */
  entryStation: { id: string; name: string } | undefined;
  exitStationName: string;
  collector: { operId: string; operName: string };
  listVersions: Record<string, string>;
}

/** The exit record (the centre's schema), checked; a record that would not pass is refused here. */
export function buildExitRecord(r: RecordInputs): ExitRecord {
  const { txn: t, fee, debit, medium: m } = r;
  const dec = fee.decision;
  const record: ExitRecord = {
    id: r.tradeId,
    passId: debit.passId,
    ...(m.enTollStationHex !== undefined && m.enTime !== undefined
      ? {
          enTollStationHex: m.enTollStationHex,
          enTime: m.enTime,
          ...(r.entryStation
            ? { enTollStationId: r.entryStation.id, enTollStationName: r.entryStation.name.slice(0, 64) }
            : {}),
        }
      : {}),
    exTollLaneId: t.lane_id,
    exTollLaneHex: r.lane.hex,
    exTollStationId: t.lane_id.slice(0, 14),
    exTollStationHex: r.lane.hex.slice(0, 8),
    exTollStationName: r.exitStationName.slice(0, 64),
    exTime: debit.exTime,
    operId: r.collector.operId,
    operName: r.collector.operName,
    shiftId: t.shift_id,
    mediaType: m.mediaType,
    obuSign: m.obuSign,
    ...(m.obuId !== undefined ? { obuId: m.obuId } : {}),
    cardId: m.cardId,
    cardNet: m.cardNet,
    etcCardType: m.etcCardType,
    transPayType: r.payment.transPayType,
    exitFeeType: fee.charge.exitFeeType,
    identification: 2,
    vehicleId: formatVehicleId(t.plate ?? m.plate, (t.plate_colour ?? m.plateColour ?? 0) as PlateColour),
    vehicleType: fee.vehicleClass as VehicleClass,
    vehicleClass: fee.vehicleKind as VehicleKind,
    vehicleSign: m.vehicleSign,
    axleCount: m.axleCount,
    ...(m.enAxleCount !== undefined ? { enAxleCount: m.enAxleCount } : {}),
    tac: r.payment.tac,
    transFee: r.payment.transFee,
    transType: r.payment.transType,
    terminalNo: r.payment.terminalNo,
    terminalTransNo: r.payment.terminalTransNo,
    cardTransNo: r.payment.cardTransNo,
    algorithmIdentifier: r.payment.algorithmIdentifier,
    preBalance: r.payment.preBalance,
    postBalance: r.payment.postBalance,
    payFee: fee.charge.payFee,
    fee: fee.charge.fee,
    discountFee: fee.charge.discountFee,
    shortFee: dec.shortFee,
    shortFeeMileage: dec.shortFeeMileage,
    feeMileage: dec.feeMileage,
    feeRate: dec.feeRate,
    spcRateVersion: dec.spcRateVersion,
    ...(m.cardTotalAmount !== undefined ? { cardTotalAmount: m.cardTotalAmount } : {}),
    ...(m.obuTotalAmount !== undefined && m.obuTotalDiscountAmount !== undefined
      ? { obuTotalAmount: m.obuTotalAmount, obuTotalDiscountAmount: m.obuTotalDiscountAmount }
      : {}),
    provinceCount: m.provinceCount,
    noCardCount: m.noCardCount,
    ...(dec.discountType !== undefined ? { discountType: dec.discountType } : {}),
    provinceDiscountFee: 0 as ExitRecord['provinceDiscountFee'],
    originFee: fee.charge.payFee,
    specialType: formatSpecialTypes(r.specials),
    description: r.specials
      .map((s) => describeSpecial(s))
      .join('；')
      .slice(0, 256),
    laneType: 5,
    operationMedia: 2,
    listVersions: r.listVersions,
  };
  const checked = checkExitRecord(record);
  if (!checked.ok) {
    throw new StationError('STN_ERR_REQ_INVALID', `record ${checked.error.field}: ${checked.error.reason}`);
  }
  return checked.value;
}
