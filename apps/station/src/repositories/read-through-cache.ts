/**
 * Values this process read from the database, kept so a hot path does not read them again. This process is
 * the station's only writer (README: one station process per database): whoever changes a cached row calls
 * {@link forget} once the change has ended. A read still in flight across a forget answers what it read but
 * is not kept: it may be the row as it was before the change.
 */
export class ReadThroughCache<K, V> {
  private readonly values = new Map<K, V>();
  private generation = 0;

  /** @param max values kept at most; a full cache starts again empty. */
  constructor(private readonly max = Number.POSITIVE_INFINITY) {}

  /**
   * The kept value when `fresh` accepts it, else `load`'s answer, kept when it is defined and nothing was
   * forgotten while it loaded. A `load` that throws keeps nothing.
   */
  async read<R extends V | undefined>(
    key: K,
    load: () => Promise<R>,
    fresh: (v: V) => boolean = () => true,
  ): Promise<V | R> {
    const kept = this.values.get(key);
    if (kept !== undefined && fresh(kept)) return kept;
    const generation = this.generation;
    const value = await load();
    if (value !== undefined && generation === this.generation) {
      if (this.values.size >= this.max) this.values.clear();
      this.values.set(key, value);
    }
    return value;
  }

  /** Drops `key` (every value when none is given), and keeps no value of a read in flight. */
  forget(key?: K): void {
    this.generation += 1;
    if (key === undefined) this.values.clear();
    else this.values.delete(key);
  }
}
