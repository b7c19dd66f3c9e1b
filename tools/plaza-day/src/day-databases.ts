import { randomBytes } from 'node:crypto';

const pgBase = () => process.env.PLAZA_DAY_PG ?? 'postgres://postgres@127.0.0.1:5432';

async function withAdmin(fn: (query: (sql: string) => Promise<unknown>) => Promise<void>): Promise<void> {
  const pg = (await import('pg')).default;
  const admin = new pg.Client({ connectionString: `${pgBase()}/test` });
  await admin.connect();
  try {
    await fn((sql) => admin.query(sql));
  } finally {
    await admin.end();
  }
}

export interface DayDatabases {
  stationDbUrl: string;
  centreDbUrl: string;
  /** Said in the report: where the databases are. */
  note: string;
}

/** Fresh PostgreSQL databases for the station and the centre (`--db postgres`), on PLAZA_DAY_PG's server. */
export async function createDayDatabases(seed: number): Promise<DayDatabases> {
  const suffix = `${seed}_${randomBytes(3).toString('hex')}`;
  const names = [`plazaday_station_${suffix}`, `plazaday_centre_${suffix}`];
  await withAdmin(async (query) => {
    for (const name of names) await query(`create database ${name}`);
  });
  return {
    stationDbUrl: `${pgBase()}/${names[0]}`,
    centreDbUrl: `${pgBase()}/${names[1]}`,
    note: `PostgreSQL databases ${names.join(', ')} (left for inspection)`,
  };
}

/** The server is shared: a clean day's databases are dropped (a failed day keeps them for inspection). */
export async function dropDayDatabases(d: DayDatabases): Promise<void> {
  await withAdmin(async (query) => {
    for (const url of [d.stationDbUrl, d.centreDbUrl])
      await query(`drop database if exists ${url.split('/').pop()}`);
  });
}
