import type { Compilable, CompiledQuery, QueryResult } from 'kysely';
import type { Executor } from './executor';

/**
 * A hot query built and compiled by Kysely once per shape, then executed with fresh parameters. Building
 * and compiling cost more CPU than SQLite's own work for the exit path's small statements (measured
 * ~25 µs each); the SQL is the same as building it per call would give.
 *
 * The query is built with a marker in place of each parameter value (inside plain objects and arrays
 * too); the compiled parameter list then tells which input goes where (constants written in the query
 * stay as compiled). The SQL depends on the dialect, so a query is compiled with the executor it first
 * runs on: keep one instance per repository (one dialect), not per module. `shape` must name everything
 * that changes the SQL: which columns a row or SET object writes, how long an IN list is.
 */
export class PreparedQueries<P extends object, R> {
  private readonly shapes = new Map<string, Prepared>();

  constructor(private readonly build: (x: Executor, p: P) => Compilable<R>) {}

  execute(x: Executor, params: P, shape = ''): Promise<QueryResult<R>> {
    let prepared = this.shapes.get(shape);
    if (!prepared) {
      prepared = prepare(this.build(x, markers(params, []) as P).compile());
      // Shapes come from code (column sets, list lengths), not from data: the map stays small.
      if (this.shapes.size < 100) this.shapes.set(shape, prepared);
    }
    const parameters = prepared.slots.map((s) => (s.path ? at(params, s.path) : s.value));
    return x.executeQuery<R>({ ...prepared.compiled, parameters });
  }

  async first(x: Executor, params: P, shape = ''): Promise<R | undefined> {
    return (await this.execute(x, params, shape)).rows[0];
  }
}

/** The shape of a row or SET object: which columns it writes (undefined values are left out). */
export function shapeOf(o: object): string {
  let shape = '';
  const r = o as Record<string, unknown>;
  for (const k in r) if (Object.hasOwn(r, k) && r[k] !== undefined) shape += `${k},`;
  return shape;
}

interface Prepared {
  compiled: CompiledQuery<unknown>;
  /** Per compiled parameter: where it comes from in the input, or the constant the query holds. */
  slots: { path?: readonly (string | number)[]; value?: unknown }[];
}

const MARK = '\u0000tollpad-param:';

function markers(v: unknown, path: (string | number)[]): unknown {
  if (Array.isArray(v)) return v.map((e, i) => markers(e, [...path, i]));
  if (isPlainObject(v)) {
    const m: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(v)) {
      if (e !== undefined) m[k] = markers(e, [...path, k]); // Kysely leaves undefined values out too.
    }
    return m;
  }
  return MARK + JSON.stringify(path);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

function prepare(compiled: CompiledQuery<unknown>): Prepared {
  const slots = compiled.parameters.map((p) =>
    typeof p === 'string' && p.startsWith(MARK)
      ? { path: JSON.parse(p.slice(MARK.length)) as (string | number)[] }
      : { value: p },
  );
  return { compiled, slots };
}

function at(v: unknown, path: readonly (string | number)[]): unknown {
  let cur = v;
  for (const k of path) cur = (cur as Record<string | number, unknown>)[k];
  return cur;
}
