/**
 * External authentication of a CPC through the PSAM (cpc-card.md §3): PSAM SELECT DF01, DELIVER KEY, CPC SELECT
 * DF01, GET CHALLENGE (8), PSAM ENCRYPT, fold, EXTERNAL AUTHENTICATE. Every DF01 write needs it first, and the
 * card's SELECT DF01 is the last select before it because selecting a DF drops the authentication.
 */
import type { CardChannel } from '../apdu/channel';
import { CPC_DELIVER_KEY_STATUS, cpcDeliverKey } from '../apdu/commands/cpc-deliver-key';
import { EXTERNAL_AUTHENTICATE_STATUS, externalAuthenticate } from '../apdu/commands/external-authenticate';
import { GET_CHALLENGE_STATUS, getChallenge, parseGetChallenge } from '../apdu/commands/get-challenge';
import { PSAM_ENCRYPT_STATUS, parsePsamEncrypt, psamEncrypt } from '../apdu/commands/psam-encrypt';
import { CPC_DF01, SELECT_FILE_STATUS, selectFile } from '../apdu/commands/select-file';
import { foldCpcCryptogram } from './auth-cryptogram';
import type { CpcDiversificationMode } from './keys';

export interface CpcAuthFactors {
  /** MF/EF01 bytes 8–15. */
  readonly cpcId: Uint8Array;
  /** MF/EF01 bytes 0–3, the area factor. */
  readonly area: Uint8Array;
  readonly mode: CpcDiversificationMode;
  readonly keyRef: number;
}

/** Resolves once the card answered 9000 to EXTERNAL AUTHENTICATE; any other answer throws its typed error. */
export async function authenticateCpc(
  card: CardChannel,
  psam: CardChannel,
  f: CpcAuthFactors,
): Promise<void> {
  await psam.send(selectFile(CPC_DF01), 'PSAM SELECT DF01', SELECT_FILE_STATUS);
  await psam.send(
    cpcDeliverKey({ cpcId: f.cpcId, area: f.area, mode: f.mode, keyRef: f.keyRef }),
    'PSAM DELIVER KEY',
    CPC_DELIVER_KEY_STATUS,
  );
  await card.send(selectFile(CPC_DF01), 'CPC SELECT DF01', SELECT_FILE_STATUS);
  const challenge = parseGetChallenge(
    await card.send(getChallenge(8), 'CPC GET CHALLENGE', GET_CHALLENGE_STATUS),
    8,
  );
  const e = parsePsamEncrypt(await psam.send(psamEncrypt(challenge), 'PSAM ENCRYPT', PSAM_ENCRYPT_STATUS));
  await card.send(
    externalAuthenticate(foldCpcCryptogram(e)),
    'CPC EXTERNAL AUTHENTICATE',
    EXTERNAL_AUTHENTICATE_STATUS,
  );
}
