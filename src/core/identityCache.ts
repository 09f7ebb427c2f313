/**
 * Values derived once per model object (a rule list's index, a team's pick table, the named accounts'
 * normal forms), found again by identity. A model has a handful of such objects and every routed
 * lead asks for them, so the few asked for last are checked in a short list before the WeakMap that
 * holds them all (a WeakMap look-up costs about as much as the work it saves on a 1 µs decision).
 *
 * A value can depend on something besides its key (the rep map a team's table was built against, a
 * threshold): that is its `stamp`, compared by identity; a different stamp builds the value again.
 */
export class IdentityCache<K extends object, S, V> {
  private readonly all = new WeakMap<K, { readonly stamp: S; readonly value: V }>();
  private readonly recent: { readonly key: K; readonly stamp: S; readonly value: V }[] = [];

  /** `build(key, stamp)` makes the value; `recentSize` entries are checked before the WeakMap. */
  constructor(
    private readonly build: (key: K, stamp: S) => V,
    private readonly recentSize = 4,
  ) {}

  /** The value of `key` built with `stamp`, built now when there is none. */
  get(key: K, stamp: S): V {
    const recent = this.recent;
    for (let i = 0; i < recent.length; i++) {
      const entry = recent[i];
      if (entry?.key === key && entry.stamp === stamp) return entry.value;
    }
    let entry = this.all.get(key);
    if (entry === undefined || entry.stamp !== stamp) {
      entry = { stamp, value: this.build(key, stamp) };
      this.all.set(key, entry);
    }
    const stale = recent.findIndex((r) => r.key === key);
    if (stale >= 0) recent.splice(stale, 1);
    else if (recent.length >= this.recentSize) recent.shift();
    recent.push({ key, stamp, value: entry.value });
    return entry.value;
  }
}
