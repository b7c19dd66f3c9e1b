import { bytesToHex, encodeGbk } from '@tollpad/card';
import { verifyTac } from '@tollpad/card/sim';
import {
  beijingCompact,
  type CpcExitRecord,
  type ExitRecord,
  type NoCardExitRecord,
  PAY_TYPE,
} from '@tollpad/domain';

/**
 * TAC verification of ingested records. The centre holds, per card network (issuer), the 0015 issuer
 * identifier head (its first 4 bytes ×2 are the level-1 diversification factor) and which master keys
 * sign that issuer's cards. In the demo every issuer uses the published TEST master keys
 * (@tollpad/card `verifyTac`); a real province adapter replaces `TacVerifier` with its HSM call.
 */
export type TacStatus = 'verified' | 'mismatch' | 'unverified';

/**
 * The card trade a TAC covers: an ETC exit record's own, or the trade of the driver's ETC card that paid a CPC
 * trip (payType 4, cpcCardTrade).
 */
export type CardTrade = Pick<
  ExitRecord,
  | 'cardId'
  | 'cardNet'
  | 'transFee'
  | 'terminalNo'
  | 'terminalTransNo'
  | 'exTime'
  | 'tac'
  | 'algorithmIdentifier'
>;

export interface TacVerifier {
  /** 'unverified' when this centre holds no keys for the card's issuer. */
  verify(record: CardTrade): TacStatus;
}

/**
 * The ETC card trade of a CPC (or no-card) record paid by the driver's ETC card (payType 4); null for any
 * other payment.
 */
export function cpcCardTrade(r: CpcExitRecord | NoCardExitRecord): CardTrade | null {
  const { cardId, cardNet, transFee, terminalNo, terminalTransNo, tac, algorithmIdentifier } = r;
  if (
    r.payType !== PAY_TYPE.ETC_CARD ||
    cardId === undefined ||
    cardNet === undefined ||
    transFee === undefined ||
    terminalNo === undefined ||
    terminalTransNo === undefined ||
    tac === undefined ||
    algorithmIdentifier === undefined
  )
    return null;
  return {
    cardId,
    cardNet,
    transFee,
    terminalNo,
    terminalTransNo,
    exTime: r.exTime,
    tac,
    algorithmIdentifier,
  };
}

export interface IssuerKeyEntry {
  /** 4-digit card network number, e.g. 9901. */
  network: string;
  /** First 4 bytes of the 0015 issuer identifier, 8 hex digits (GBK of the issuer's 2-char name). */
  issuerHead: string;
  keys: 'test';
}

/** TEST issuers of the demo world: the card package's test issuer ('测试', network 9901). */
export function testIssuers(): IssuerKeyEntry[] {
  return [{ network: '9901', issuerHead: bytesToHex(encodeGbk('0015', '测试', 0, 4)), keys: 'test' }];
}

/**
 * [I] The purchase datetime entering the TAC is the record's exTime in Beijing wall-clock time: the
 * station writes the datetime the handheld sent to the card (announced in the debit intent) as exTime. [I] algorithmIdentifier 1 = 3DES, 2 = SM4.
 */
export function testKeyTacVerifier(issuers: readonly IssuerKeyEntry[] = testIssuers()): TacVerifier {
  const byNet = new Map(issuers.map((i) => [i.network, i]));
  return {
    verify(r) {
      const issuer = byNet.get(r.cardNet);
      if (!issuer) return 'unverified';
      const ok = verifyTac({
        algorithm: r.algorithmIdentifier === 2 ? 'sm4' : '3des',
        issuerId: `${issuer.issuerHead}00000000`,
        cardNumber: r.cardId,
        amount: r.transFee,
        transactionType: 0x09,
        terminalId: r.terminalNo,
        terminalSerial: Number.parseInt(r.terminalTransNo, 16),
        datetime: beijingCompact(new Date(r.exTime)),
        tac: r.tac,
      });
      return ok ? 'verified' : 'mismatch';
    },
  };
}
