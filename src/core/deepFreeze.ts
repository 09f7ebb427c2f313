/**
 * Freezes a value and everything reachable from it (what is frozen already is left alone, so a
 * value shared by several frozen ones is walked once). For state shared between readers: the
 * loaded config, the deals a report reuses, the account JSON the store memoises. Returns `value`.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
