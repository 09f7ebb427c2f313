/**
 * A value under construction: every property optional and writable. Hot code builds an object
 * property by property, in key order, and returns it as `T` once complete — an object literal with a
 * spread before its last property takes V8's slow path on Node 20 (docs/decisions/008-no-leading-spread.md).
 */
export type Building<T> = { -readonly [K in keyof T]?: T[K] };
