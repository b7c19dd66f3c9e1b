import { hash } from 'node:crypto';
import { type Fen, parseBeijingCompact, SPECIAL } from '@tollpad/domain';
import type { Commit, DebitIntent, EtcPurchaseProof } from '@tollpad/station-api';
import type { ExitTxnRow } from '../../../db/schema';
import { StationError } from '../../../errors';
import type { TerminalRow } from '../../../repositories/config.repository';
import type { Executor } from '../../../repositories/executor';
import type { DebitBase } from '../../json-columns';
import type { ExitPayment, ExitTypes, Payability } from '../exit-parts';
import type { EtcRead } from '../media/etc';

/** debit_json of an ETC exit. */
export interface EtcDebit extends DebitBase {
  cardAtc: number;
  psamTerminalNo: string;
  /** The PSAM's transaction serial for this purchase (8 hex); absent on intents stored before it was announced. */
  terminalTransNo?: string;
}

/** The card proves its ATC did not move past the announced one: no debit happened. */
export interface EtcNotDebited {
  cardAtc: number;
}

/**
 * The station's claims, one per key (exits.repository.ts's pass claims): a card trade is claimed under its
 * card, PSAM and serial by the record that names it, so one purchase makes at most one record.
 */
export interface CardTradeClaims {
  claimOnce(key: string, holder: string, at: string, x: Executor): Promise<boolean>;
  passClaimOf(key: string, x: Executor): Promise<string | undefined>;
}

export interface EtcDebitOptions {
  terminals: { requireTerminal(id: string | null): Promise<Pick<TerminalRow, 'psam_terminal_no'>> };
  /** [P] Refuse a debit intent whose purchase datetime is further than this from the station clock. */
  maxClockSkewSeconds: number;
  claims: CardTradeClaims;
}

type EtcDebitTypes = ExitTypes & {
  read: EtcRead;
  intent: DebitIntent;
  debit: EtcDebit;
  proof: Commit;
  notDebited: EtcNotDebited;
};

const BALANCE_LOW = '储值卡余额不足，请车主以其他方式缴费';

/**
 * The record's exTime is the datetime the handheld sent to the card for the purchase: the TAC covers it, so
 * the centre can only verify the TAC against exactly that time (never the station's own clock). Refused when
 * further than `maxClockSkewSeconds` from the station clock.
 */
export function purchaseTime(datetime: string, now: Date, maxClockSkewSeconds: number): string {
  const parsed = parseBeijingCompact(datetime, 'datetime');
  if (!parsed.ok) throw new StationError('STN_ERR_REQ_INVALID', parsed.error.message);
  const skewS = Math.abs(parsed.value.getTime() - now.getTime()) / 1000;
  if (skewS > maxClockSkewSeconds)
    throw new StationError('STN_ERR_EXIT_CLOCK_SKEW', `${datetime} vs station ${now.toISOString()}`);
  return parsed.value.toISOString();
}

/** What a composite purchase's announcement kept, as its proof is checked against it. */
type AnnouncedPurchase = Pick<EtcDebit, 'cardAtc' | 'amount' | 'psamTerminalNo' | 'terminalTransNo'>;

/**
 * The proof must come from the PSAM and the purchase the intent announced, and move exactly the amount. Its
 * card ATC must be the announced one: the TAC does not cover the record's cardTransNo, so the announcement is
 * all that holds it (the handheld sends the ATC before DEBIT both at the intent and in the proof, also when
 * GET TRANSACTION PROVE recovered it: exit-purchase.ts's atcBefore is the journal entry's ATC).
 */
export function verifyPurchaseProof(debit: AnnouncedPurchase, c: EtcPurchaseProof): void {
  const serial = c.terminalTransNo.toUpperCase();
  if (debit.psamTerminalNo !== c.psamTerminalNo.toUpperCase())
    throw new StationError('STN_ERR_EXIT_PSAM_MISMATCH', `terminal ${c.psamTerminalNo}`);
  if (debit.terminalTransNo !== undefined && debit.terminalTransNo !== serial)
    throw new StationError('STN_ERR_EXIT_PSAM_MISMATCH', `serial ${serial}`);
  if (c.postBalance !== c.preBalance - debit.amount) {
    throw new StationError(
      'STN_ERR_EXIT_AMOUNT_MISMATCH',
      `pre ${c.preBalance} − ${debit.amount} ≠ post ${c.postBalance}`,
    );
  }
  if (c.cardTransNo !== debit.cardAtc)
    throw new StationError('STN_ERR_EXIT_PROOF_MISMATCH', `ATC ${c.cardTransNo} ≠ ${debit.cardAtc}`);
}

/**
 * The claim key of a card trade, from what its TAC covers (the card, the PSAM, its serial, the purchase time;
 * not the card's ATC): a replay that the centre would verify has the same key, whichever exit announced it.
 */
const tradeKey = (cardId: string, d: Pick<EtcDebit, 'psamTerminalNo' | 'terminalTransNo' | 'exTime'>) =>
  `etc-card-trade:${cardId}:${d.psamTerminalNo}:${d.terminalTransNo ?? ''}:${d.exTime}`;

/**
 * In the record's transaction: the card trade is this record's, once — another exit announcing and committing
 * the same purchase is refused. The claim is never released (a recorded purchase stays recorded).
 */
export async function claimCardTrade(
  claims: CardTradeClaims,
  cardId: string,
  debit: Pick<EtcDebit, 'psamTerminalNo' | 'terminalTransNo' | 'exTime' | 'announcedAt'>,
  tradeId: string,
  x: Executor,
): Promise<void> {
  const key = tradeKey(cardId, debit);
  // One statement on the exit path; the holder is read only when the key was already claimed.
  if (await claims.claimOnce(key, tradeId, debit.announcedAt, x)) return;
  const holder = await claims.passClaimOf(key, x);
  if (holder !== tradeId)
    throw new StationError('STN_ERR_EXIT_PROOF_MISMATCH', `the card trade is recorded by ${holder}`);
}

/** The card trade's record fields (a composite purchase, transType 09) but transPayType. */
export function purchaseRecordFields(amount: number, c: EtcPurchaseProof) {
  return {
    tac: c.tac.toUpperCase(),
    transFee: amount as Fen,
    transType: '09' as const,
    terminalNo: c.psamTerminalNo.toUpperCase(),
    terminalTransNo: c.terminalTransNo.toUpperCase(),
    cardTransNo: c.cardTransNo,
    algorithmIdentifier: c.algorithm,
    preBalance: c.preBalance as Fen,
    postBalance: c.postBalance as Fen,
  };
}

/** The canonical proof a replayed commit must carry exactly (upper-cased hex). */
export function purchaseProofCanon(c: EtcPurchaseProof): (string | number)[] {
  return [
    c.tac.toUpperCase(),
    c.psamTerminalNo.toUpperCase(),
    c.terminalTransNo.toUpperCase(),
    c.cardTransNo,
    c.preBalance,
    c.postBalance,
    c.algorithm,
  ];
}

/**
 * The same purchase announced again while pending: `'same'` for a retry; a different card ATC, amount or PSAM
 * is a different debit (refused). The same ATC with a new datetime and PSAM serial: the purchase was retried
 * from INITIALIZE after the card proved the earlier attempt not debited (its ATC did not move), and only this
 * attempt can end up under the TAC.
 */
export function reannouncePurchase<D extends EtcDebit>(
  d: D,
  body: Pick<DebitIntent, 'cardAtc' | 'amount' | 'psamTerminalNo' | 'terminalTransNo' | 'datetime'>,
  now: Date,
  maxClockSkewSeconds: number,
): D | 'same' {
  if (
    d.cardAtc !== body.cardAtc ||
    d.amount !== body.amount ||
    d.psamTerminalNo !== body.psamTerminalNo.toUpperCase()
  ) {
    throw new StationError('STN_ERR_EXIT_BAD_STATE', 'a different debit is already pending');
  }
  const exTime = purchaseTime(body.datetime, now, maxClockSkewSeconds);
  const serial = body.terminalTransNo.toUpperCase();
  if (d.exTime === exTime && d.terminalTransNo === serial) return 'same';
  return { ...d, exTime, terminalTransNo: serial, announcedAt: now.toISOString() };
}

/**
 * The composite purchase announced just before DEBIT: from this handheld's own PSAM (the terminal's), at a
 * datetime close to the station clock; what the debit keeps of it (the PassID is the medium's).
 */
export async function announcePurchase(
  t: ExitTxnRow,
  body: Pick<DebitIntent, 'cardAtc' | 'amount' | 'psamTerminalNo' | 'terminalTransNo' | 'datetime'>,
  now: Date,
  opts: EtcDebitOptions,
): Promise<Omit<EtcDebit, 'passId'>> {
  const terminal = await opts.terminals.requireTerminal(t.terminal_id);
  const psam = body.psamTerminalNo.toUpperCase();
  if (terminal.psam_terminal_no !== psam) throw new StationError('STN_ERR_CONFIG_TERMINAL_MISMATCH');
  return {
    cardAtc: body.cardAtc,
    amount: body.amount,
    psamTerminalNo: psam,
    terminalTransNo: body.terminalTransNo.toUpperCase(),
    exTime: purchaseTime(body.datetime, now, opts.maxClockSkewSeconds),
    announcedAt: now.toISOString(),
  };
}

/** The `etc-debit` payment: the ETC card pays with the composite purchase that also writes its exit. */
export function etcDebitPayment<T extends EtcDebitTypes>(opts: EtcDebitOptions): ExitPayment<T> {
  return {
    id: 'etc-debit',

    payable({ card }, amount): Payability {
      if (card.cardKind === 'stored-value' && card.balance < amount) {
        return { payable: false, reason: BALANCE_LOW, specials: [SPECIAL.BALANCE_INSUFFICIENT] };
      }
      return { payable: true, reason: null, specials: [] };
    },

    async announce(t, body, { now, passId }) {
      if (body.cardId !== t.card_no) throw new StationError('STN_ERR_EXIT_PROOF_MISMATCH', 'cardId');
      if (body.amount !== t.amount)
        throw new StationError('STN_ERR_EXIT_AMOUNT_MISMATCH', `${body.amount} ≠ ${t.amount}`);
      const { announcedAt, ...purchase } = await announcePurchase(t, body, now, opts);
      // debit_json keeps its key order (passId before announcedAt) as before the ETC-card payment shared this.
      return { ...purchase, passId: passId(), announcedAt };
    },

    reannounce: (d, body, now) => reannouncePurchase(d, body, now, opts.maxClockSkewSeconds),

    verifyProof: verifyPurchaseProof,

    // The exit's card is the one that paid (announce checked the intent's cardId against it).
    async bind(t, debit, tradeId, x) {
      if (!t.card_no) throw new StationError('STN_ERR_EXIT_PROOF_MISMATCH', 'no card on the exit');
      await claimCardTrade(opts.claims, t.card_no, debit, tradeId, x);
    },

    digest: commitDigest,

    recordFields: ({ obu }, debit, c) => ({
      transPayType: obu ? 1 : 2,
      ...purchaseRecordFields(debit.amount, c),
    }),

    verifyNotDebited(d, proof) {
      if (proof.cardAtc !== d.cardAtc)
        throw new StationError('STN_ERR_EXIT_PROOF_MISMATCH', `ATC ${proof.cardAtc} ≠ ${d.cardAtc}`);
    },
  };
}

/** sha256 over the canonical commit input: a replay must carry exactly the same proof. */
function commitDigest(txnId: string, c: Commit): string {
  // The order predates purchaseProofCanon (cardTransNo before the balances): kept, so replays still match.
  const canon = JSON.stringify([
    txnId,
    c.tradeId,
    c.tac.toUpperCase(),
    c.psamTerminalNo.toUpperCase(),
    c.terminalTransNo.toUpperCase(),
    c.cardTransNo,
    c.preBalance,
    c.postBalance,
    c.algorithm,
  ]);
  return hash('sha256', canon, 'hex');
}
