/** The card as the handheld decoded it, for the card panel (never sent as truth: the station decodes the raw files). */
export interface CardSummary {
  cardNo: string;
  cardKind: 'stored-value' | 'account' | 'other';
  cardTypeName: string;
  userType: number;
  plate: string;
  plateColour: number;
  vehicleClass: number;
  /** Fen, signed; null when not read (account cards). */
  balance: number | null;
  expiry: string;
  entryStation: string | null;
  entryTime: string | null;
}

/** The outcome of the composite purchase on the card. */
export interface DebitResult {
  tac: string;
  amount: number;
  balanceAfter: number;
  tradeId: string | null;
  /** true when the outcome came from GET TRANSACTION PROVE after a tear or reload. */
  recovered: boolean;
}
