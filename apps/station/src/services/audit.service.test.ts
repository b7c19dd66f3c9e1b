import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database';
import { AuditRepository, type AuditRow } from '../repositories/audit.repository';
import { DIALECTS } from '../testing/test-db';
import { useTestDatabase } from '../testing/use-test-database';
import { AuditService, auditHash } from './audit.service';

const now = () => new Date('2026-12-07T08:00:00.000Z');

for (const dialect of DIALECTS) {
  describe(`${dialect}: the audit hash chain`, () => {
    const db = useTestDatabase(dialect);
    const service = () => new AuditService(new AuditRepository(db.opened.db), db.opened.db, now);

    /** The whole chain in order, straight from the table. */
    const chain = () => db.opened.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();

    it('chains entries recorded one after another, each linked to the one before', async () => {
      const audit = service();
      try {
        for (let i = 0; i < 5; i++) await audit.record({ actor: 'a', action: 'logout', target: `t${i}` });
        expect(await audit.verify()).toEqual({ ok: true, checked: 5 });
        const rows = await chain();
        expect(rows.map((r) => r.target)).toEqual(['t0', 't1', 't2', 't3', 't4']);
        let prev = '0'.repeat(64);
        for (const [i, r] of rows.entries()) {
          expect(Number(r.seq)).toBe(i + 1);
          expect(r.prev_hash).toBe(prev);
          expect(r.hash).toBe(auditHash(prev, { ...r, seq: Number(r.seq) }));
          prev = r.hash;
        }
      } finally {
        await audit.close();
      }
    });

    it('chains concurrent audited transactions with no gap and no fork, and leaves out rolled-back ones', async () => {
      const audit = service();
      try {
        const before = (await chain()).length;
        const n = 60;
        await Promise.all(
          Array.from({ length: n }, (_, i) =>
            db.opened.db
              .transaction()
              .execute(async (t) => {
                await audit.record({ actor: 'a', action: 'exit.commit', target: `c${i}` }, t);
                if (i % 10 === 0) throw new Error('rolled back');
              })
              .catch(() => {}),
          ),
        );
        const v = await audit.verify();
        expect(v).toEqual({ ok: true, checked: before + n - n / 10 });
        const rows = (await chain()).slice(before);
        const targets = rows.map((r) => r.target);
        expect(new Set(targets).size).toBe(targets.length);
        expect(targets.filter((t) => Number(t.slice(1)) % 10 === 0)).toEqual([]);
        expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => before + i + 1));
      } finally {
        await audit.close();
      }
    });

    // Several station processes share a PostgreSQL database; a SQLite file has one station process.
    it.runIf(dialect === 'postgres')(
      'two appenders on one database (two station processes) make one chain',
      async () => {
        // A pool of its own, as another process would have.
        const other = await openDatabase({ databaseUrl: db.t.databaseUrl, dataDir: db.t.dataDir });
        const a = service();
        const b = new AuditService(new AuditRepository(other.db), other.db, now);
        try {
          const before = (await chain()).length;
          await Promise.all(
            Array.from({ length: 40 }, (_, i) =>
              (i % 2 ? a : b).record({ actor: 'a', action: 'logout', target: `p${i}` }),
            ),
          );
          await Promise.all([a.flush(), b.flush()]);
          expect(await a.verify()).toEqual({ ok: true, checked: before + 40 });
          expect(await b.verify()).toEqual({ ok: true, checked: before + 40 });
        } finally {
          await a.close();
          await b.close();
          await other.close();
        }
      },
    );

    it('an entry committed but not yet chained when the station stopped is chained at the next start', async () => {
      const before = (await chain()).length;
      // Committed with its change, never chained: what a crash between the two leaves.
      await new AuditRepository(db.opened.db).insertPending(
        {
          id: '00000000-0000-7000-8000-000000000001',
          at: now().toISOString(),
          actor: 'a',
          action: 'logout',
          target: 'left-behind',
          detail: '{}',
        },
        db.opened.db,
      );
      const audit = service();
      try {
        const v = await audit.verify();
        expect(v).toEqual({ ok: true, checked: before + 1 });
        expect((await chain()).at(-1)?.target).toBe('left-behind');
        expect(await new AuditRepository(db.opened.db).anyPending()).toBe(false);
      } finally {
        await audit.close();
      }
    });

    it('refuses, at the engine, to change a waiting entry or to remove one not yet chained', async () => {
      const repo = new AuditRepository(db.opened.db);
      const id = '00000000-0000-7000-8000-000000000002';
      // Committed with its change, and no appender running: it waits in audit_pending.
      await repo.insertPending(
        { id, at: now().toISOString(), actor: 'a', action: 'logout', target: 'waiting', detail: '{}' },
        db.opened.db,
      );
      const pending = () => db.opened.db.selectFrom('audit_pending').selectAll().where('id', '=', id);
      await expect(
        db.opened.db.updateTable('audit_pending').set({ actor: 'mallory' }).where('id', '=', id).execute(),
      ).rejects.toThrow(/cannot be changed/);
      await expect(db.opened.db.deleteFrom('audit_pending').where('id', '=', id).execute()).rejects.toThrow(
        /not chained yet/,
      );
      // Naming it as chained is refused unless the chain holds it, as recorded, at that sequence number.
      const forge = (seq: number) =>
        db.opened.db.insertInto('audit_chained').values({ pending_id: id, seq }).execute();
      const [another] = await chain(); // chained by the tests above
      expect(another).toBeDefined();
      await expect(forge(Number(another!.seq))).rejects.toThrow(/as recorded/);
      await expect(forge(1_000_000)).rejects.toThrow(/as recorded/);
      expect((await pending().executeTakeFirstOrThrow()).actor).toBe('a');
      // The appender may move it, and the record of the move is itself append-only.
      const audit = service();
      try {
        await audit.flush();
        expect(await pending().executeTakeFirst()).toBeUndefined();
        const moved = await db.opened.db
          .selectFrom('audit_chained')
          .selectAll()
          .where('pending_id', '=', id)
          .executeTakeFirstOrThrow();
        expect((await chain()).find((r) => Number(r.seq) === Number(moved.seq))?.target).toBe('waiting');
        await expect(
          db.opened.db.deleteFrom('audit_chained').where('pending_id', '=', id).execute(),
        ).rejects.toThrow(/append-only/);
      } finally {
        await audit.close();
      }
    });

    it('list shows an entry as soon as its transaction has committed', async () => {
      const audit = service();
      try {
        await db.opened.db.transaction().execute(async (t) => {
          await audit.record({ actor: 'a', action: 'config.plaza', target: 'listed-at-once' }, t);
        });
        const rows = await audit.list(0, 10_000);
        expect(rows.at(-1)?.target).toBe('listed-at-once');
      } finally {
        await audit.close();
      }
    });
  });
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: verifying the audit chain while audited writes keep being chained`, () => {
    const db = useTestDatabase(dialect);

    /** Audited writes of another station user: each commits with its change and is chained at once. */
    const traffic = () => {
      const writer = new AuditService(new AuditRepository(db.opened.db), db.opened.db, now);
      let n = 0;
      return {
        async write(): Promise<void> {
          const target = `w${n++}`;
          await db.opened.db
            .transaction()
            .execute((t) => writer.record({ actor: 'a', action: 'exit.commit', target }, t));
          await writer.flush();
        },
        close: () => writer.close(),
      };
    };

    /** A repository that lets one more audited write commit and be chained after every read the verifier makes. */
    class BusyAuditRepository extends AuditRepository {
      reads = 0;
      constructor(private readonly afterRead: () => Promise<void>) {
        super(db.opened.db);
      }
      override async head(): Promise<{ seq: number; hash: string }> {
        const head = await super.head();
        await this.busy();
        return head;
      }
      override async page(afterSeq: number, limit: number): Promise<AuditRow[]> {
        const rows = await super.page(afterSeq, limit);
        await this.busy();
        return rows;
      }
      private async busy(): Promise<void> {
        // A walk that tries to catch up with the traffic never ends: fail it instead of waiting forever.
        if (++this.reads > 50) throw new Error('the walk never reached the head');
        await this.afterRead();
      }
    }

    const verifyUnderTraffic = async () => {
      const t = traffic();
      const audit = new AuditService(new BusyAuditRepository(t.write), db.opened.db, now);
      try {
        return await audit.verify();
      } finally {
        await audit.close();
        await t.close();
      }
    };

    it('verifies ok up to the head it read first, whatever is chained during the walk', async () => {
      const t = traffic();
      for (let i = 0; i < 5; i++) await t.write();
      await t.close();
      const before = (await db.opened.db.selectFrom('audit_log').select('seq').execute()).length;
      expect(await verifyUnderTraffic()).toEqual({ ok: true, checked: before });
    });

    it('verifies ok while concurrent audited writes run, each call', async () => {
      const t = traffic();
      const audit = new AuditService(new AuditRepository(db.opened.db), db.opened.db, now);
      let running = true;
      const writers = Array.from({ length: 4 }, async () => {
        while (running) await t.write();
      });
      try {
        for (let i = 0; i < 10; i++) expect(await audit.verify()).toMatchObject({ ok: true });
      } finally {
        running = false;
        await Promise.all(writers);
        await audit.close();
        await t.close();
      }
    });

    // Last in this describe: it leaves the chain broken.
    it('still finds a tampered entry while writes run', async () => {
      const { sql } = await import('kysely');
      // The engine refuses edits; an attacker with database rights would first drop the trigger.
      if (dialect === 'sqlite') await sql`DROP TRIGGER audit_log_no_update`.execute(db.opened.db);
      else await sql`DROP TRIGGER audit_log_append_only ON audit_log`.execute(db.opened.db);
      await db.opened.db.updateTable('audit_log').set({ actor: 'mallory' }).where('seq', '=', 2).execute();
      expect(await verifyUnderTraffic()).toEqual({ ok: false, checked: 1, brokenAt: 2 });
    });
  });
}
