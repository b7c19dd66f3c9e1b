import { type Static, Type } from 'typebox';

/**
 * Receipts printed and reprinted (payments.md §8): `POST /records/:tradeId/receipts` `{ kind }` logs one print of
 * a committed exit's receipt — who, when, which exit; a reprint is 重打 (scrap type 1). The exit's collector (their
 * own terminal and open shift) or a monitor; the shift's hand-over counts them.
 */
export const RECEIPT_KINDS = ['print', 'reprint'] as const;
export type ReceiptKind = (typeof RECEIPT_KINDS)[number];

export const ReceiptLogBody = Type.Object(
  { kind: Type.Enum(RECEIPT_KINDS) },
  { additionalProperties: false },
);
export type ReceiptLogRequest = Static<typeof ReceiptLogBody>;

export const ReceiptLogSchema = Type.Object({
  id: Type.String(),
  tradeId: Type.String(),
  kind: Type.Enum(RECEIPT_KINDS),
  /** The account that printed. */
  by: Type.String(),
  at: Type.String(),
});
export type ReceiptLog = Static<typeof ReceiptLogSchema>;
