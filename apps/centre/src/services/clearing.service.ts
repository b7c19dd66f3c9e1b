import { type ExitRecord, MEDIA_TYPE, type NationalPayType, PAY_TYPE } from '@tollpad/domain';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema';

export interface ClearingRow {
  day: string;
  /** Card network number (the issuer the amounts are cleared with); empty for a payment with no card trade. */
  issuer: string;
  /**
   * What the row clears: the issuer for ETC card trades, else the medium and payment (e.g. 'CPC·现金'), whose
   * records carry no card trade and no TAC (never counted as verified).
   */
  group: string;
  records: number;
  /** Σ transFee: what was debited from the cards, fen. */
  transFee: number;
  fee: number;
  payFee: number;
  verified: number;
  /** Records kept in quarantine (issuer keys not held): not in the amounts, not cleared. */
  quarantined: number;
}

export interface ClearingView {
  from: string;
  to: string;
  rows: ClearingRow[];
  totals: Omit<ClearingRow, 'day' | 'issuer' | 'group'>;
  rejected: number;
}

/** National payType names (payments.md §1) for the clearing groups of payments other than an ETC card trade. */
const PAY_TYPE_NAMES: Record<NationalPayType, string> = {
  1: '现金',
  2: '其他第三方',
  3: '银联卡',
  4: 'ETC用户卡',
  6: '支付宝',
  7: '微信',
};

/** Medium names of the records that are not an ETC card trade (a damaged CPC's no-card exit clears as CPC). */
const MEDIUM_NAMES: Record<number, string> = { [MEDIA_TYPE.CPC]: 'CPC', [MEDIA_TYPE.NONE]: '无卡' };

/** A row whose records carry an ETC card trade (TAC-verified): an ETC exit, or a CPC paid by ETC card (payType 4). */
const hasCardTrade = (payType: number | null) => payType === null || payType === PAY_TYPE.ETC_CARD;

function groupOf(r: { card_net: string; media_type: number; pay_type: number | null }): string {
  if (r.pay_type === null) return r.card_net;
  const medium = MEDIUM_NAMES[r.media_type] ?? `mediaType ${r.media_type}`;
  return `${medium}·${PAY_TYPE_NAMES[r.pay_type as NationalPayType] ?? `payType ${r.pay_type}`}`;
}

/**
 * The clearing view: cleared (TAC-verified) records and their totals per issuer (card network) and exit day;
 * quarantined records are counted apart and never in the amounts or the record pages.
 */
export class ClearingService {
  constructor(private readonly db: Kysely<Database>) {}

  async summary(from: string, to: string, issuer?: string): Promise<ClearingView> {
    let q = this.db
      .selectFrom('exit_records')
      .select((eb) => [
        'exit_day',
        'card_net',
        'media_type',
        'pay_type',
        eb.fn.countAll<number>().as('records'),
        sql<number>`SUM(CASE WHEN tac_status = 'verified' THEN trans_fee ELSE 0 END)`.as('trans_fee'),
        sql<number>`SUM(CASE WHEN tac_status = 'verified' THEN fee ELSE 0 END)`.as('fee'),
        sql<number>`SUM(CASE WHEN tac_status = 'verified' THEN pay_fee ELSE 0 END)`.as('pay_fee'),
        sql<number>`SUM(CASE WHEN tac_status = 'verified' THEN 1 ELSE 0 END)`.as('verified'),
      ])
      .where('exit_day', '>=', from)
      .where('exit_day', '<=', to)
      .groupBy(['exit_day', 'card_net', 'media_type', 'pay_type'])
      .orderBy('exit_day')
      .orderBy('card_net')
      .orderBy('media_type')
      .orderBy('pay_type');
    if (issuer !== undefined) q = q.where('card_net', '=', issuer);
    const raw = await q.execute();
    const rows: ClearingRow[] = raw.map((r) => {
      const accepted = Number(r.verified);
      // A payment with no card trade is accepted without a TAC: counted, never as verified.
      const cardTrade = hasCardTrade(r.pay_type);
      return {
        day: r.exit_day,
        issuer: r.card_net,
        group: groupOf({ card_net: r.card_net, media_type: Number(r.media_type), pay_type: r.pay_type }),
        records: accepted,
        transFee: Number(r.trans_fee),
        fee: Number(r.fee),
        payFee: Number(r.pay_fee),
        verified: cardTrade ? accepted : 0,
        quarantined: Number(r.records) - accepted,
      };
    });
    const totals = { records: 0, transFee: 0, fee: 0, payFee: 0, verified: 0, quarantined: 0 };
    for (const r of rows) {
      totals.records += r.records;
      totals.transFee += r.transFee;
      totals.fee += r.fee;
      totals.payFee += r.payFee;
      totals.verified += r.verified;
      totals.quarantined += r.quarantined;
    }
    const rej = await this.db
      .selectFrom('rejected_records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', '=', 'record')
      .executeTakeFirst();
    return { from, to, rows, totals, rejected: Number(rej?.n ?? 0) };
  }

  /** The accepted records of one day (optionally one issuer), in trade-ID order, keyset-paged. */
  async records(
    day: string,
    opts: { issuer?: string; after?: string; limit: number },
  ): Promise<{
    records: { tradeId: string; digest: string; tacStatus: string; record: ExitRecord }[];
    next: string | null;
  }> {
    let q = this.db
      .selectFrom('exit_records')
      .select(['trade_id', 'digest', 'tac_status', 'record_json'])
      .where('exit_day', '=', day)
      .where('tac_status', '=', 'verified')
      .orderBy('trade_id')
      .limit(opts.limit + 1);
    if (opts.issuer !== undefined) q = q.where('card_net', '=', opts.issuer);
    if (opts.after !== undefined) q = q.where('trade_id', '>', opts.after);
    const rows = await q.execute();
    const page = rows.slice(0, opts.limit);
    return {
      records: page.map((r) => ({
        tradeId: r.trade_id,
        digest: r.digest,
        tacStatus: r.tac_status,
        record: JSON.parse(r.record_json) as ExitRecord,
      })),
      next: rows.length > opts.limit ? (page.at(-1)?.trade_id ?? null) : null,
    };
  }
}
