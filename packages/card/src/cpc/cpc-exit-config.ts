/** The CPC exit's configurable choices ([S]/[P] marks as in cpc-card.md) and their defaults. */
import { CPC_ENTRY_EXIT_KEY } from '../apdu/commands/cpc-deliver-key';
import type { CpcDiversificationMode } from './keys';

export interface CpcExitConfig {
  /** [P] cpc-card.md §1: how the issuer diversified the card's keys (per issuer and PSAM), not read from the card. */
  diversification: CpcDiversificationMode;
  /** DELIVER KEY P1P2: 4844, the entry/exit key (cpc-card.md §3 step 2). */
  keyRef: number;
  /** [S RSU] DF01/EF01 byte 23 at exit: 02 = 5.8 GHz radio off (cpc-card.md §6). */
  radioOff: number;
  /** [P] cpc-card.md §2.4/§6: DF01/EF01 byte 24 at exit, 02 "exited"; unconfirmed, so configurable. */
  exitedFlag: number;
  /** Authentication + write attempts: the first and one retry (payments.md §7). */
  writeAttempts: number;
  /** Waits for the card (and re-reads) within one recovery. */
  maxRecoveryRounds: number;
}

export const DEFAULT_CPC_EXIT_CONFIG: CpcExitConfig = {
  diversification: 2,
  keyRef: CPC_ENTRY_EXIT_KEY,
  radioOff: 0x02,
  exitedFlag: 0x02,
  writeAttempts: 2,
  maxRecoveryRounds: 3,
};
