/** Columns of exit_records, shared by both engines; the key includes exit_day so PostgreSQL can partition. */
export const EXIT_RECORDS_COLUMNS = `
  exit_day text NOT NULL,
  trade_id text NOT NULL,
  pass_id text NOT NULL,
  card_id text NOT NULL,
  card_net text NOT NULL,
  ex_station_id text NOT NULL,
  ex_time text NOT NULL,
  trans_fee bigint NOT NULL,
  fee bigint NOT NULL,
  pay_fee bigint NOT NULL,
  exit_fee_type integer NOT NULL,
  tac_status text NOT NULL,
  digest text NOT NULL,
  record_json text NOT NULL,
  received_at text NOT NULL,
  PRIMARY KEY (exit_day, trade_id)`;

export const EXIT_RECORDS_INDEXES = [
  'CREATE INDEX exit_records_day_net ON exit_records (exit_day, card_net)',
  'CREATE INDEX exit_records_pass ON exit_records (pass_id)',
];

/** A day string as used in partition names and bounds; anything else is refused before reaching SQL. */
export function checkDay(day: string): string {
  if (!/^\d{8}$/.test(day)) throw new Error(`bad exit day ${day}`);
  return day;
}

export function nextDay(day: string): string {
  const d = new Date(
    Date.UTC(Number(day.slice(0, 4)), Number(day.slice(4, 6)) - 1, Number(day.slice(6, 8)) + 1),
  );
  return d.toISOString().slice(0, 10).replaceAll('-', '');
}
