import { type CardSnapshot, encodeBalance, type PendingEntry, type PurchaseOutcome } from '@tollpad/card';
import type { CardRead, Commit, DebitIntent, EtcPurchaseProof } from '@tollpad/station-api';

/**
 * Bodies of the station's exit API (typed by @tollpad/station-api) as a simulated handheld makes them from
 * its card work (TEST): the station's own simulated handheld, the trip CLI's and plaza-day's all use them.
 */

/** 【读卡】 (`POST /exits` card part): the raw files, the balance and, when an OBU is fitted, its EF04 data. */
export function exitCardBody(
  snap: CardSnapshot,
  v: { serial: number; obu?: { removed: boolean } },
): CardRead {
  return {
    ef0015: snap.raw0015,
    ef0019: snap.raw0019,
    balance: encodeBalance(snap.balance ?? 0),
    ...(v.obu
      ? {
          obu: {
            // A TEST OBU id derived from the card serial, so each vehicle's OBU is unique.
            obuId: `0000${String(v.serial).padStart(12, '0')}`,
            removed: v.obu.removed,
            ef04: { status: 'ok' as const, totalAmount: 0, totalDiscountAmount: 0, provinceCount: 1 },
          },
        }
      : {}),
  };
}

/** The PSAM transaction serial as the API carries it (8 hex), in the intent and in the commit's proof. */
export const psamSerialHex = (serial: number) => serial.toString(16).toUpperCase().padStart(8, '0');

/** The debit intent (`POST /exits/:id/debit-intent`), announced from the journal entry just before DEBIT. */
export function debitIntentOf(e: PendingEntry): DebitIntent {
  return {
    cardId: e.cardNumber,
    cardAtc: e.atc,
    amount: e.amount,
    psamTerminalNo: e.terminalId,
    terminalTransNo: psamSerialHex(e.terminalSerial),
    datetime: e.datetime,
  };
}

export type CommitBody = Commit;

/** 【提交数据】 (`POST /exits/:id/commit`) from the purchase outcome. */
export function commitBodyOf(tradeId: string, o: PurchaseOutcome): Commit {
  return { tradeId, ...purchaseProofOf(o) };
}

/** The card's proof of the purchase, as the commit carries it (and a CPC exit's ETC-card payment). */
export function purchaseProofOf(o: PurchaseOutcome): EtcPurchaseProof {
  return {
    tac: o.tac,
    psamTerminalNo: o.terminalId,
    terminalTransNo: psamSerialHex(o.terminalSerial),
    cardTransNo: o.atcBefore,
    preBalance: o.balanceAfter + o.amount,
    postBalance: o.balanceAfter,
    algorithm: o.algorithm === 'sm4' ? 2 : 1,
  };
}
