import type BetterSqlite3 from 'better-sqlite3';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import type { WalCheckpointer } from './wal-checkpointer';
import type { WalDurability } from './wal-sync';

/**
 * Group commit for SQLite in WAL mode. Every COMMIT under synchronous=FULL costs an fsync, and
 * better-sqlite3 runs it on the event loop: one transaction per request caps a station at a few hundred
 * writes per second. Instead, the writes of concurrent requests share one physical transaction:
 *  - each Kysely transaction is a SAVEPOINT inside the open physical transaction (its rollback undoes only
 *    its own changes); each write outside a transaction is one statement in it;
 *  - the physical transaction commits `windowMs` after its first write (0: on the next turn of the event
 *    loop), after every unit queued meanwhile has run: under load a wider group means fewer COMMITs and
 *    fewer WAL pages written per unit, for a few milliseconds more per write;
 *  - a unit's promise (a write's result, a transaction's commit) settles only once that COMMIT is durable:
 *    acknowledged ⇒ durable. If the COMMIT fails, every unit of the group fails.
 * Durability comes one of two ways. Without `durability`, the writer runs synchronous=FULL and COMMIT
 * itself fsyncs (on the event loop). With it (see wal-sync.ts), the writer runs synchronous=NORMAL, COMMIT
 * only writes the WAL, and the WAL is flushed on the thread pool before the group's units settle; reads
 * then also wait until what they saw is on disk, so no answer ever carries data a power loss could undo.
 * Reads outside a transaction go to a second, read-only connection: it sees committed data only and never
 * waits for a commit to run. A read that must see pending writes runs inside a transaction.
 * ':memory:' has no second connection: such reads run on the writer and wait for the group's commit.
 */
export function groupCommitSqliteDialect(
  writer: BetterSqlite3.Database,
  reader: BetterSqlite3.Database | null,
  extras: {
    durability?: WalDurability | null;
    checkpointer?: WalCheckpointer | null;
    windowMs?: number;
  } = {},
) {
  const dialect: Dialect = {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () =>
      new GroupCommitDriver(
        new Conn(writer),
        reader ? new Conn(reader) : null,
        extras.durability ?? null,
        extras.checkpointer ?? null,
        extras.windowMs ?? 0,
      ),
    createIntrospector: (db: Kysely<unknown>) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
  return dialect;
}

/** One better-sqlite3 connection with its prepared statements cached by SQL text (queries are built from code). */
class Conn {
  private readonly cache = new Map<string, { stmt: BetterSqlite3.Statement; reader: boolean }>();

  constructor(readonly db: BetterSqlite3.Database) {}

  run(q: CompiledQuery): QueryResult<unknown> {
    let prepared = this.cache.get(q.sql);
    if (!prepared) {
      const stmt = this.db.prepare(q.sql);
      prepared = { stmt, reader: stmt.reader }; // `reader` is a native getter: read it once
      if (this.cache.size < 2000) this.cache.set(q.sql, prepared);
    }
    const params = q.parameters as unknown[];
    if (prepared.reader) return { rows: prepared.stmt.all(params) };
    const { changes, lastInsertRowid } = prepared.stmt.run(params);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }
}

/** FIFO lock: the write connection serves one unit at a time, in arrival order. */
class Mutex {
  private held = false;
  private readonly queue: (() => void)[] = [];

  lock(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  unlock(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.held = false;
  }
}

/** One physical transaction and the units waiting for its COMMIT. */
class Group {
  readonly committed: Promise<void>;
  settle!: (error?: unknown) => void;

  constructor() {
    this.committed = new Promise<void>((resolve, reject) => {
      this.settle = (error) => (error === undefined ? resolve() : reject(error));
    });
    // Waiters observe the failure; an unobserved one must not become an unhandled rejection.
    this.committed.catch(() => {});
  }
}

class Handle implements DatabaseConnection {
  /** The physical transaction this handle's Kysely transaction lives in. */
  group: Group | null = null;

  constructor(private readonly driver: GroupCommitDriver) {}

  executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    return this.driver.execute(this, q) as Promise<QueryResult<R>>;
  }

  // biome-ignore lint/correctness/useYield: streaming is not offered (nothing here uses it).
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported by the group-commit SQLite driver');
  }
}

/** Error code of a unit whose physical transaction an earlier error rolled back (the engine is failing). */
export const GROUP_ABORTED = 'SQLITE_IOERR_GROUP_ABORTED';

class GroupCommitDriver implements Driver {
  private readonly lock = new Mutex();
  private group: Group | null = null;

  constructor(
    private readonly writer: Conn,
    private readonly reader: Conn | null,
    private readonly durability: WalDurability | null,
    private readonly checkpointer: WalCheckpointer | null,
    private readonly windowMs: number,
  ) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new Handle(this);
  }

  async beginTransaction(c: DatabaseConnection): Promise<void> {
    const h = c as Handle;
    this.refuseIfFailed();
    await this.lockToWrite();
    try {
      h.group = this.open();
      this.writer.exec('SAVEPOINT tollpad_unit');
    } catch (e) {
      h.group = null;
      this.lock.unlock();
      throw this.aborted(e);
    }
  }

  async commitTransaction(c: DatabaseConnection): Promise<void> {
    const h = c as Handle;
    const g = h.group;
    h.group = null;
    try {
      if (!g || g !== this.group) throw abortedError();
      this.writer.exec('RELEASE tollpad_unit');
    } catch (e) {
      throw this.aborted(e);
    } finally {
      this.lock.unlock();
    }
    await g.committed;
  }

  async rollbackTransaction(c: DatabaseConnection): Promise<void> {
    const h = c as Handle;
    const g = h.group;
    h.group = null;
    try {
      if (g && g === this.group && this.writer.db.inTransaction) {
        this.writer.exec('ROLLBACK TO tollpad_unit');
        this.writer.exec('RELEASE tollpad_unit');
      }
    } catch (e) {
      throw this.aborted(e);
    } finally {
      this.lock.unlock();
    }
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    await this.lock.lock();
    try {
      this.commit();
      await this.durability?.close();
    } finally {
      await this.checkpointer?.close(); // before the writer, which owns the WAL
      this.reader?.db.close();
      this.writer.db.close();
      this.lock.unlock();
    }
  }

  async execute(h: Handle, q: CompiledQuery): Promise<QueryResult<unknown>> {
    if (h.group) {
      // Inside the handle's transaction (it holds the lock).
      if (h.group !== this.group) throw abortedError();
      try {
        return this.writer.run(q);
      } catch (e) {
        throw this.aborted(e);
      }
    }
    this.refuseIfFailed();
    const read = SelectQueryNode.is(q.query);
    if (read && this.reader) return this.whenSeenIsDurable(this.reader.run(q));
    await (read ? this.lock.lock() : this.lockToWrite());
    let g: Group | null;
    let result: QueryResult<unknown>;
    try {
      g = read ? this.group : this.open();
      result = this.writer.run(q);
    } catch (e) {
      throw this.aborted(e);
    } finally {
      this.lock.unlock();
    }
    if (g) await g.committed;
    return read ? this.whenSeenIsDurable(result) : result;
  }

  /** A read answers only once the commits it may have seen are on disk (a flush may still be running). */
  private async whenSeenIsDurable<T>(result: T): Promise<T> {
    await this.durability?.until();
    return result;
  }

  private refuseIfFailed(): void {
    const failed = this.durability?.failed;
    if (failed) throw failed;
  }

  /**
   * Takes the writer. Between two groups, when the WAL has grown long, first lets the checkpointer copy
   * the rest of it (no write can add frames meanwhile): the next group's first write then starts the WAL
   * over instead of extending the file (see WalCheckpointer.restartDue).
   */
  private async lockToWrite(): Promise<void> {
    await this.lock.lock();
    if (!this.group && this.checkpointer?.restartDue) await this.checkpointer.drain(); // never rejects
  }

  /** The open physical transaction, or a new one whose COMMIT runs once its window has passed. */
  private open(): Group {
    if (this.group) return this.group;
    this.writer.exec('BEGIN IMMEDIATE');
    const g = new Group();
    this.group = g;
    const flush = () => {
      void this.flush(g);
    };
    if (this.windowMs > 0) setTimeout(flush, this.windowMs);
    else setImmediate(flush);
    return g;
  }

  private async flush(g: Group): Promise<void> {
    await this.lock.lock();
    try {
      if (this.group === g) this.commit();
    } finally {
      this.lock.unlock();
    }
  }

  private commit(): void {
    const g = this.group;
    if (!g) return;
    this.group = null;
    try {
      this.writer.exec('COMMIT');
      if (!this.durability) g.settle();
      else {
        this.durability.until(this.durability.commitReturned()).then(
          () => g.settle(),
          (e: unknown) => g.settle(e),
        );
      }
    } catch (e) {
      try {
        if (this.writer.db.inTransaction) this.writer.exec('ROLLBACK');
      } catch {
        // The engine already rolled back; nothing more to undo.
      }
      g.settle(e);
    }
  }

  /**
   * After an error, SQLite may have rolled back the whole physical transaction (I/O error, disk full):
   * then every unit of the group is lost and must fail, not only the one that saw the error.
   */
  private aborted(e: unknown): unknown {
    const g = this.group;
    if (g && !this.writer.db.inTransaction) {
      this.group = null;
      g.settle(e);
    }
    return e;
  }
}

function abortedError(): Error {
  return Object.assign(new Error('the group transaction was rolled back by an earlier error'), {
    code: GROUP_ABORTED,
  });
}
