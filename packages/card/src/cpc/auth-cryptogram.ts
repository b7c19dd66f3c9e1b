/**
 * The CPC external-authentication cryptogram (cpc-card.md §3 steps 5–7): E = SM4-ECB(card key, R ‖ 00×8),
 * folded to 8 B by F[i] = E[i] XOR E[i+8]. The PSAM computes E; the host folds; the card checks F.
 */
import { concatBytes } from '../apdu/hex';
import { ecbEncrypt } from '../crypto/modes';
import { Sm4 } from '../crypto/sm4';

/** F[i] = E[i] XOR E[i+8], i = 0..7 (cpc-card.md §3 step 6). */
export function foldCpcCryptogram(e: Uint8Array): Uint8Array {
  const out = new Uint8Array(8);
  for (let i = 0; i < 8; i++) out[i] = (e[i] ?? 0) ^ (e[i + 8] ?? 0);
  return out;
}

/** The 16 B block the PSAM encrypts for a challenge R: R ‖ 00×8 (step 5). */
export function cpcChallengeBlock(challenge: Uint8Array): Uint8Array {
  return concatBytes(challenge, new Uint8Array(8));
}

/** What 0082 must carry for a challenge under the card's diversified key (the card's own check). */
export function cpcAuthCryptogram(cardKey: Uint8Array, challenge: Uint8Array): Uint8Array {
  return foldCpcCryptogram(ecbEncrypt(new Sm4(cardKey), cpcChallengeBlock(challenge)));
}
