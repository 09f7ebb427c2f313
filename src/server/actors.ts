/** Audit actors (`key:<id>`) as the admin endpoints show them: the key id with its name. */
import type { Store } from '../core/ports.ts';

export interface ActorView {
  readonly key: string;
  readonly name: string | null;
}

/** Reads the key names once; the returned function shows an actor (null for none). Rejects only if the store fails. */
export async function actorResolver(store: Store): Promise<(by: string | undefined) => ActorView | null> {
  const names = new Map((await store.listApiKeys()).map((k) => [k.id, k.name]));
  return (by) => {
    if (by === undefined) return null;
    const key = by.startsWith('key:') ? by.slice(4) : by;
    return { key, name: names.get(key) ?? null };
  };
}
