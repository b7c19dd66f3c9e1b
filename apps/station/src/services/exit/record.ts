import {
  type AnyExitRecord,
  CPC_ETC_CARD_TRADE_FIELDS,
  checkExitRecord,
  describeSpecial,
  type ExitRecord,
  formatSpecialTypes,
  formatVehicleId,
  MEDIA_TYPE,
  type PlateColour,
  type VehicleClass,
  type VehicleKind,
} from '@tollpad/domain';
import type { ExitTxnRow } from '../../db/schema';
import { StationError } from '../../errors';
import type { DebitBase, FeeJson } from '../json-columns';
import type { MediumRecordFields, PaymentRecordFields } from './exit-parts';
import { greenVehicleSign } from './green-channel';

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
export function buildExitRecord(r: RecordInputs): AnyExitRecord {
  const { txn: t, fee, debit, medium: m, payment: pay } = r;
  const dec = fee.decision;
  // The parts in the order the record's fields have always been written: an ETC record stays byte for byte
  // what it was before the CPC record joined it.
  const where = {
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
  };
  const vehicle = {
    exitFeeType: fee.charge.exitFeeType,
    identification: 2 as const,
    vehicleId: formatVehicleId(t.plate ?? m.plate, (t.plate_colour ?? m.plateColour ?? 0) as PlateColour),
    vehicleType: fee.vehicleClass as VehicleClass,
    vehicleClass: fee.vehicleKind as VehicleKind,
    vehicleSign: greenVehicleSign(fee, m.vehicleSign),
    axleCount: m.axleCount,
    ...(m.enAxleCount !== undefined ? { enAxleCount: m.enAxleCount } : {}),
  };
  const charged = {
    payFee: fee.charge.payFee,
    fee: fee.charge.fee,
    discountFee: fee.charge.discountFee,
    shortFee: dec.shortFee,
    shortFeeMileage: dec.shortFeeMileage,
    feeMileage: dec.feeMileage,
    feeRate: dec.feeRate,
    spcRateVersion: dec.spcRateVersion,
    ...(m.cardTotalAmount !== undefined ? { cardTotalAmount: m.cardTotalAmount } : {}),
  };
  const counted = {
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
    laneType: 5 as const,
    operationMedia: 2 as const,
    listVersions: r.listVersions,
    ...(fee.greenInspection ? { greenInspectionId: fee.greenInspection.id } : {}),
  };
  let record: AnyExitRecord;
  if ('noCardReason' in m) {
    const nc = dec.noCard;
    if (!nc || !('payType' in pay))
      throw new StationError('STN_ERR_INTERNAL', 'a no-card exit without its no-card fee or its payment');
    const chosen = fee.choice?.entryStation;
    const stated = chosen ?? m.statedEntry;
    // cpc-card.md §5.4: the reason, the toll's rule and the card cost apart (fee = toll + cardCost), and the
    // entry as stated, refused or inferred by the centre.
    record = {
      ...where,
      mediaType: m.mediaType,
      ...(m.mediaNo !== undefined ? { mediaNo: m.mediaNo } : {}),
      payType: pay.payType,
      ...Object.fromEntries(
        CPC_ETC_CARD_TRADE_FIELDS.flatMap((f) => (pay[f] === undefined ? [] : [[f, pay[f]]])),
      ),
      ...vehicle,
      ...charged,
      ...counted,
      noCardReason: m.noCardReason,
      cardCost: nc.cardCost,
      feeRule: nc.rule,
      // The entry the collector chose at 【算费】 is the driver's statement (charge.ts feeInput): it replaces one
      // made, or a refusal noted, at 【读卡】.
      ...(stated !== undefined ? { statedEntry: stated } : {}),
      ...(m.entryRefused !== undefined && chosen === undefined ? { entryRefused: m.entryRefused } : {}),
      ...(nc.inferredEntry !== undefined ? { inferredEntry: nc.inferredEntry.slice(0, 32) } : {}),
      ...(dec.entryStation !== undefined ? { feeEntryStationId: dec.entryStation } : {}),
    };
  } else if (m.mediaType === MEDIA_TYPE.OBU && !('payType' in pay)) {
    record = {
      ...where,
      mediaType: m.mediaType,
      obuSign: m.obuSign,
      ...(m.obuId !== undefined ? { obuId: m.obuId } : {}),
      cardId: m.cardId,
      cardNet: m.cardNet,
      etcCardType: m.etcCardType,
      transPayType: pay.transPayType,
      ...vehicle,
      tac: pay.tac,
      transFee: pay.transFee,
      transType: pay.transType,
      terminalNo: pay.terminalNo,
      terminalTransNo: pay.terminalTransNo,
      cardTransNo: pay.cardTransNo,
      algorithmIdentifier: pay.algorithmIdentifier,
      preBalance: pay.preBalance,
      postBalance: pay.postBalance,
      ...charged,
      ...(m.obuTotalAmount !== undefined && m.obuTotalDiscountAmount !== undefined
        ? { obuTotalAmount: m.obuTotalAmount, obuTotalDiscountAmount: m.obuTotalDiscountAmount }
        : {}),
      ...counted,
    };
  } else if (m.mediaType === MEDIA_TYPE.CPC && 'payType' in pay) {
    record = {
      ...where,
      mediaType: m.mediaType,
      mediaNo: m.mediaNo,
      payType: pay.payType,
      // The driver's ETC card as payment card (payType 4): its trade, in the record's field order.
      ...Object.fromEntries(
        CPC_ETC_CARD_TRADE_FIELDS.flatMap((f) => (pay[f] === undefined ? [] : [[f, pay[f]]])),
      ),
      ...vehicle,
      ...charged,
      ...counted,
      cpcCardId: m.cpcCardId,
      cpcElec: m.cpcElec,
      cpcCardPlate: m.cpcCardPlate,
      cpcCardColor: m.cpcCardColor,
      cpcCardVeh: m.cpcCardVeh,
      cpcCardVehStatus: m.cpcCardVehStatus,
      cpcCardEnNet: m.cpcCardEnNet,
      cpcCardEnStation: m.cpcCardEnStation,
      ...(m.cpcCardEnTime !== undefined ? { cpcCardEnTime: m.cpcCardEnTime } : {}),
      cpcCardProCount: m.cpcCardProCount,
    };
  } else {
    // No cell of the exit table pairs these (an ETC card's own exit always carries its purchase).
    throw new StationError('STN_ERR_INTERNAL', `no record for medium ${m.mediaType} × this payment`);
  }
  const checked = checkExitRecord(record);
  if (!checked.ok) {
    throw new StationError('STN_ERR_REQ_INVALID', `record ${checked.error.field}: ${checked.error.reason}`);
  }
  return checked.value;
}
