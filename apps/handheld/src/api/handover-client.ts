import type {
  HandoverReport,
  ReceiptKind,
  ReceiptLog,
  SettlementReport,
  StoredRecord,
} from '@tollpad/station-api';
import type { StationClient } from './station-client';

const enc = encodeURIComponent;

/** 交班, receipt prints and 对账 at the station (payments.md §8–§9). */
export class HandoverClient {
  constructor(private readonly station: StationClient) {}

  /** Closes the shift with the cash counted (fen), once; answers the hand-over report. */
  handover(shiftId: string, cashCounted: number): Promise<HandoverReport> {
    return this.station.request('POST', `/shifts/${enc(shiftId)}/handover`, { cashCounted });
  }

  report(shiftId: string): Promise<HandoverReport> {
    return this.station.request('GET', `/shifts/${enc(shiftId)}/handover`);
  }

  /** The shift's records, newest first (a collector's own shift): receipts are reprinted from them. */
  shiftRecords(shiftId: string, limit = 200): Promise<StoredRecord[]> {
    return this.station.request('GET', `/shifts/${enc(shiftId)}/records?limit=${limit}`);
  }

  /** Logs a print (or 重打 reprint) of a committed exit's receipt, before it is printed. */
  logReceipt(tradeId: string, kind: ReceiptKind): Promise<ReceiptLog> {
    return this.station.request('POST', `/records/${enc(tradeId)}/receipts`, { kind });
  }

  /** The platform's settlement of a Beijing day against the station's payments (monitors). */
  settlement(date: string): Promise<SettlementReport> {
    return this.station.request('GET', `/payments/settlement?date=${enc(date)}`);
  }
}
