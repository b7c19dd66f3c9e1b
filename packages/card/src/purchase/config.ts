/** The exit purchase's configurable choices ([I]/[P] marks as in the card README) and their defaults. */
import type { Ef0019Layout } from '../codec/ef0019';
import { DEFAULT_ALGORITHM_IDS, type PurseAlgorithm } from '../crypto/pboc';

export interface ExitPurchaseConfig {
  /** [P] 0019 layout of this province: 'legacy' or '2019'. */
  layout0019: Ef0019Layout;
  /** [I] Read the balance of account cards too (one more APDU). */
  readAccountBalance: boolean;
  /** Le for READ 0015: 0x32 (50 B) — 43-B cards answer 6C2B and the channel corrects it. */
  read0015Le: number;
  /** Purchase attempts (restarts from INITIALIZE after a tear before/without debit). */
  maxAttempts: number;
  /** Wait-and-prove rounds in one recovery. */
  maxRecoveryRounds: number;
  keyIndex: number;
  /** [I] Algorithm ID table (00 = 3DES, 04 = SM4). */
  algorithmIds: Readonly<Record<number, PurseAlgorithm>>;
  clock: () => Date;
}

export const DEFAULT_EXIT_PURCHASE_CONFIG: ExitPurchaseConfig = {
  layout0019: '2019',
  readAccountBalance: false,
  read0015Le: 0x32,
  maxAttempts: 3,
  maxRecoveryRounds: 5,
  keyIndex: 0x01,
  algorithmIds: DEFAULT_ALGORITHM_IDS,
  clock: () => new Date(),
};
