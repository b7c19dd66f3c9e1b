import { type AnyExitRecord, isOtherPaymentRecord } from '@tollpad/domain';
import type { CardTradesTable } from '../db/schema';
import { cpcCardTrade } from './tac';

/**
 * The key of the ETC card trade a record carries — what its TAC covers (card, PSAM terminal number, the PSAM's
 * serial, the purchase time) — or null for a record with none (a CPC paid by cash or QR). Hex upper-cased and
 * the time in ISO-8601 UTC, so one purchase has one key however a station spelled it.
 */
export function cardTradeKeyOf(record: AnyExitRecord): Omit<CardTradesTable, 'trade_id'> | null {
  const trade = isOtherPaymentRecord(record) ? cpcCardTrade(record) : record;
  if (!trade) return null;
  return {
    card_id: trade.cardId,
    terminal_no: trade.terminalNo.toUpperCase(),
    terminal_trans_no: trade.terminalTransNo.toUpperCase(),
    ex_time: new Date(trade.exTime).toISOString(),
  };
}
