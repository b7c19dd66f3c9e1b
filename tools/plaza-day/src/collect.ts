import { type AnyExitRecord, beijingCompact } from '@tollpad/domain';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { CentreRecordFact, RecordFact } from './reconcile';
import type { ClearingRowFact } from './reconcile-money';
import type { PaidRecordFact, StationPaymentFact } from './reconcile-payments';
import { callJson, type RetryStats } from './station-client';

/**
 * Reads what the station and the centre hold at the end of the day. The station's records and pending
 * transactions are read straight from its database (read-only, as an auditor would: the API pages them
 * by time only); everything else goes through the public APIs.
 */
export interface StationStore {
  records(): Promise<RecordFact[]>;
  debitPending(): Promise<number>;
  /** Outbox rows the centre refused, by refusal code (the API lists only the latest 100). */
  refusedByCode(): Promise<Record<string, number>>;
  /** The exit records paid at the handheld: every medium but ETC (a mixed day). */
  paidRecords(): Promise<PaidRecordFact[]>;
  /** Every attempt of a platform payment (the `payments` table; a mixed day). */
  payments(): Promise<StationPaymentFact[]>;
  close(): Promise<void>;
}

interface RecordRow {
  trade_id: string;
  card_no: string;
  fee: number;
  record_json: string;
  medium: string;
}

const toFact = (r: RecordRow): RecordFact => {
  const rec = JSON.parse(r.record_json) as AnyExitRecord;
  return {
    tradeId: r.trade_id,
    ...(r.medium === 'etc' ? {} : { medium: r.medium }),
    cardNo: r.card_no,
    atc: rec.cardTransNo ?? -1,
    transFee: rec.transFee ?? 0,
    fee: r.fee,
    exTimeBeijing: beijingCompact(new Date(rec.exTime)),
    mediaType: Number(rec.mediaType),
    payType: 'payType' in rec && rec.payType !== undefined ? Number(rec.payType) : null,
  };
};

interface PaidRecordRow {
  trade_id: string;
  medium: string;
  kind: string;
  txn_id: string | null;
  pass_id: string;
  card_no: string;
  fee: number;
  special_types: string;
  record_json: string;
}

/** Specials (domain special.ts) as the station's `|code|` column holds them: 523 CPC写卡失败过车, 128 绿通免费. */
const WRITE_FAILED = '|523|';
const GREEN_FREE = '|128|';

const toPaidFact = (r: PaidRecordRow): PaidRecordFact => {
  const rec = JSON.parse(r.record_json) as AnyExitRecord & { entryIds?: string[] };
  const fee = Number(r.fee);
  return {
    tradeId: r.trade_id,
    medium: r.medium,
    kind: r.kind,
    txnId: r.txn_id,
    passId: r.pass_id,
    cpcId: r.card_no,
    payType: 'payType' in rec ? Number(rec.payType) : 0,
    fee,
    writeFailed: r.special_types.includes(WRITE_FAILED),
    ...(fee === 0 && r.special_types.includes(GREEN_FREE) ? { greenPass: true } : {}),
    ...(Array.isArray(rec.entryIds) ? { entryIds: rec.entryIds } : {}),
  };
};

interface PaymentRow {
  out_trade_no: string;
  pay_id: string;
  txn_id: string;
  phase: string;
  amount: number;
  recorded_trade_id: string | null;
}

const toPaymentFact = (r: PaymentRow): StationPaymentFact => ({
  outTradeNo: r.out_trade_no,
  payId: r.pay_id,
  txnId: r.txn_id,
  phase: r.phase,
  amount: Number(r.amount),
  recordedTradeId: r.recorded_trade_id,
});

const RECORDS_SQL =
  "select trade_id, card_no, fee, record_json, medium from exit_records where kind = 'exit'";
const PAID_RECORDS_SQL =
  "select trade_id, medium, kind, txn_id, pass_id, card_no, fee, special_types, record_json from exit_records where kind in ('exit', 'arrears-payback') and medium <> 'etc'";
const PAYMENTS_SQL = 'select out_trade_no, pay_id, txn_id, phase, amount, recorded_trade_id from payments';

export function openStationStore(o: { sqliteFile?: string; databaseUrl?: string }): StationStore {
  if (o.databaseUrl) {
    const pool = new pg.Pool({ connectionString: o.databaseUrl, max: 2 });
    return {
      async records() {
        const r = await pool.query<RecordRow>(RECORDS_SQL);
        return r.rows.map((x) => toFact({ ...x, fee: Number(x.fee) }));
      },
      async paidRecords() {
        return (await pool.query<PaidRecordRow>(PAID_RECORDS_SQL)).rows.map(toPaidFact);
      },
      async payments() {
        return (await pool.query<PaymentRow>(PAYMENTS_SQL)).rows.map(toPaymentFact);
      },
      async debitPending() {
        const r = await pool.query<{ n: string }>(
          "select count(*) as n from exit_txns where state = 'debit_pending'",
        );
        return Number(r.rows[0]?.n ?? 0);
      },
      async refusedByCode() {
        const r = await pool.query<{ code: string; n: string }>(
          "select coalesce(reject_code, '?') as code, count(*) as n from outbox where status = 'rejected' group by reject_code",
        );
        return Object.fromEntries(r.rows.map((x) => [x.code, Number(x.n)]));
      },
      close: () => pool.end(),
    };
  }
  const file = o.sqliteFile;
  if (!file) throw new Error('no station database');
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 10000');
  return {
    async records() {
      return (db.prepare(RECORDS_SQL).all() as RecordRow[]).map(toFact);
    },
    async paidRecords() {
      return (db.prepare(PAID_RECORDS_SQL).all() as PaidRecordRow[]).map(toPaidFact);
    },
    async payments() {
      return (db.prepare(PAYMENTS_SQL).all() as PaymentRow[]).map(toPaymentFact);
    },
    async debitPending() {
      const r = db.prepare("select count(*) as n from exit_txns where state = 'debit_pending'").get() as {
        n: number;
      };
      return r.n;
    },
    async refusedByCode() {
      const rows = db
        .prepare(
          "select coalesce(reject_code, '?') as code, count(*) as n from outbox where status = 'rejected' group by reject_code",
        )
        .all() as { code: string; n: number }[];
      return Object.fromEntries(rows.map((x) => [x.code, x.n]));
    },
    async close() {
      db.close();
    },
  };
}

/** Every record the centre accepted for these exit days, by keyset paging. */
export async function centreRecords(
  centreUrl: string,
  days: readonly string[],
  stats: RetryStats,
): Promise<CentreRecordFact[]> {
  const out: CentreRecordFact[] = [];
  for (const day of days) {
    let after: string | null = null;
    for (;;) {
      const q: string = `/clearing/${day}/records?limit=1000${after ? `&after=${after}` : ''}`;
      const page = (
        await callJson<{
          records: {
            tradeId: string;
            tacStatus: string;
            record: AnyExitRecord;
          }[];
          next: string | null;
        }>(centreUrl, 'GET', q, {}, stats)
      ).value;
      for (const r of page.records) {
        const rec = r.record;
        out.push({
          tradeId: r.tradeId,
          ...(rec.mediaType === 1
            ? {}
            : { medium: rec.mediaType === 2 ? 'cpc' : `mediaType ${rec.mediaType}` }),
          cardNo: (rec.mediaType === 2 ? rec.mediaNo : rec.cardId) ?? '',
          atc: rec.cardTransNo ?? -1,
          transFee: rec.transFee ?? 0,
          fee: rec.fee,
          tacVerified: r.tacStatus === 'verified',
        });
      }
      if (!page.next || page.records.length === 0) break;
      after = page.next;
    }
  }
  return out;
}

export async function centreClearing(
  centreUrl: string,
  days: readonly string[],
  stats: RetryStats,
): Promise<{ records: number; transFee: number; fee: number; rows: ClearingRowFact[] }> {
  if (days.length === 0) return { records: 0, transFee: 0, fee: 0, rows: [] };
  const sorted = [...days].sort();
  const r = await callJson<{
    totals: { records: number; transFee: number; fee: number };
    rows: ClearingRowFact[];
  }>(centreUrl, 'GET', `/clearing?from=${sorted[0]}&to=${sorted[sorted.length - 1]}`, {}, stats);
  return {
    ...r.value.totals,
    rows: r.value.rows.map((x) => ({ group: x.group, records: x.records, fee: x.fee })),
  };
}

/** The Beijing exit day of a trade ID (lane 21 chars + YYYYMMDDHH + serial). */
export const exitDayOf = (tradeId: string) => tradeId.slice(21, 29);
