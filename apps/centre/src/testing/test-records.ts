import { computeTac, hexToBytes } from '@tollpad/card';
import { testCardKeys } from '@tollpad/card/sim';
import { beijingBatch, beijingCompact, type ExitRecord, type Fen } from '@tollpad/domain';
import { shandongExampleRecord } from '@tollpad/domain/fixtures';
import type { StationDef } from '@tollpad/tariff';
import { testIssuers } from '../services/tac';

export interface TestRecordOptions {
  station: StationDef;
  exTime: Date;
  serial: number;
  fee: number;
  /** 16-digit internal card number (TEST card of network 9901). */
  cardInternal?: string;
  cardNet?: string;
  algorithm?: '3des' | 'sm4';
  /** Overrides the computed TAC (e.g. to make a wrong one). */
  tac?: string;
}

/**
 * A TEST exit record at a synthetic-province station whose TAC is computed with the card package's TEST
 * master keys, exactly as the virtual card would compute it for this debit.
 */
export function testRecord(o: TestRecordOptions): ExitRecord {
  const cardNet = o.cardNet ?? '9901';
  const internal = o.cardInternal ?? '0000000000001234';
  const cardId = `${cardNet}${internal}`;
  const laneId = `${o.station.id}2010010`;
  const id = `${laneId}${beijingBatch(o.exTime)}${String(o.serial).padStart(6, '0')}`;
  const enTime = new Date(o.exTime.getTime() - 3600_000);
  const terminalNo = '0137000099AA';
  const terminalTransNo = (0x1000 + o.serial).toString(16).toUpperCase().padStart(8, '0');
  const alg = o.algorithm ?? '3des';
  const head = testIssuers()[0]!.issuerHead;
  const { dtk } = testCardKeys(alg, hexToBytes(head + head), hexToBytes(internal));
  const tac = computeTac(alg, dtk, {
    amount: o.fee,
    transactionType: 0x09,
    terminalId: hexToBytes(terminalNo),
    terminalSerial: Number.parseInt(terminalTransNo, 16),
    datetime: hexToBytes(beijingCompact(o.exTime)),
  });
  const fee = o.fee as Fen;
  const discount = Math.round(o.fee / 19) as Fen;
  return {
    ...shandongExampleRecord(),
    id,
    passId: `01${cardId}${beijingCompact(enTime)}`,
    enTime: enTime.toISOString(),
    exTollLaneId: laneId,
    exTollLaneHex: `${o.station.hex}01`,
    exTollStationId: o.station.id,
    exTollStationHex: o.station.hex,
    exTollStationName: o.station.name,
    exTime: o.exTime.toISOString(),
    cardId,
    cardNet,
    tac: o.tac ?? Buffer.from(tac).toString('hex').toUpperCase(),
    transFee: fee,
    fee,
    payFee: (o.fee + discount) as Fen,
    discountFee: discount,
    shortFee: fee,
    originFee: fee,
    cardTotalAmount: fee,
    terminalNo,
    terminalTransNo,
    cardTransNo: o.serial & 0xffff,
    algorithmIdentifier: alg === 'sm4' ? 2 : 1,
    preBalance: 100_000 as Fen,
    postBalance: (100_000 - o.fee) as Fen,
  };
}
