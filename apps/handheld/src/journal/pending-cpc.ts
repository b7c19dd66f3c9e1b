/**
 * A CPC exit whose cash the collector confirmed, kept in the durable journal (idb-journal.ts,
 * `pending-cpc-writes`) until the card write (写卡/关闭CPC) and the commit are done. Written BEFORE the
 * payment intent is sent, so a tab closed anywhere after 【确认已收现金】 leaves the home screen an exit to
 * finish (write the card, or commit not-written) instead of cash taken with no record.
 */
export interface PendingCpcWrite {
  /** The station's exit transaction ID. */
  txnId: string;
  laneId: string;
  /** The CPC the write must go to (the one read for this exit). */
  cpcId: string;
  /** fen: the cash the collector confirmed. */
  amount: number;
  /** The trade ID the station minted for the cash; null until the intent's answer arrived. */
  tradeId: string | null;
  updatedAt: string;
}
