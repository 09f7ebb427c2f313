/**
 * Whether a database holds the demo workspace: a note on the demo config's version row
 * (`config_versions.note`), written `seeding` before the first event and `complete` with the
 * seed, anchor and summary at the end. A second start reads it and reuses the workspace; a run that
 * stopped half way is recognised as such.
 */
import { createHash } from 'node:crypto';
import type { Store } from '../core/ports.ts';
import type { Millis } from '../core/types.ts';
import type { DemoSummary } from './summary.ts';

/** Every demo note starts with this. */
export const DEMO_NOTE_PREFIX = 'revops-demo:';

export interface DemoMarker {
  readonly status: 'seeding' | 'complete';
  readonly seed: number;
  /** ISO instant the generated history ends at. */
  readonly anchor: string;
  readonly days: number;
  /** Present once complete. */
  readonly summary?: DemoSummary;
}

/** The stored config versions, which SQL stores list (not on the `Store` port yet). */
interface VersionedStore {
  configVersions(): Promise<readonly { readonly note?: string; readonly at: Millis }[]>;
}

function versioned(store: Store): store is Store & VersionedStore {
  return typeof (store as Partial<VersionedStore>).configVersions === 'function';
}

function parse(note: string | undefined): DemoMarker | undefined {
  if (note === undefined || !note.startsWith(DEMO_NOTE_PREFIX)) return undefined;
  try {
    const value = JSON.parse(note.slice(DEMO_NOTE_PREFIX.length)) as Partial<DemoMarker>;
    if ((value.status !== 'seeding' && value.status !== 'complete') || typeof value.seed !== 'number')
      return undefined;
    return value as DemoMarker;
  } catch {
    return undefined;
  }
}

/**
 * The demo marker of `store` (the latest, when several versions carry one), or undefined for a
 * database the demo never seeded. Throws only if storage fails, or for a store that cannot list
 * its config versions (a bug: both SQL stores can).
 */
export async function readDemoMarker(store: Store): Promise<DemoMarker | undefined> {
  if (!versioned(store)) throw new Error(`${store.description} cannot list config versions`);
  let found: DemoMarker | undefined;
  for (const version of await store.configVersions()) found = parse(version.note) ?? found;
  return found;
}

/** True when `store` holds a completely seeded demo workspace. Throws only if storage fails. */
export async function isDemoSeeded(store: Store): Promise<boolean> {
  return (await readDemoMarker(store))?.status === 'complete';
}

/** Writes `marker` on the version row of the config `text` (creating and activating it if needed). */
export async function writeDemoMarker(
  store: Store,
  text: string,
  at: Millis,
  marker: DemoMarker,
): Promise<void> {
  const hash = createHash('sha256').update(text).digest('hex');
  const note = `${DEMO_NOTE_PREFIX}${JSON.stringify(marker)}`;
  await store.saveConfigVersion({ hash, text, at, note, replaceNote: true });
}
