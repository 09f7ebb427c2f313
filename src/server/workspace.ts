/**
 * The running config of a server: the loaded config, its source text and content hash, and the
 * engine built from it. `activate` builds the engine for a new version and swaps the whole snapshot
 * at once, so a request sees one config from start to end (it reads `current()` once).
 */
import { createHash } from 'node:crypto';
import { runtime, type Runtime } from '../compose.ts';
import type { RevopsConfig } from '../config/schema/index.ts';
import type { Store } from '../core/ports.ts';
import type { Clock } from '../engine/clock.ts';
import type { Workspace } from './context.ts';

/** The content hash a config version is stored under (as `recordConfig` computes it). Does not throw. */
export function configHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

interface Snapshot {
  readonly config: RevopsConfig;
  readonly text: string;
  readonly hash: string;
  readonly runtime: Runtime;
}

/**
 * A workspace on `store` running `config` (its source `text`) by `clock`. Building the engine can
 * throw only for a config that did not come through the loader; `activate` then keeps the old one.
 */
export function createWorkspace(store: Store, clock: Clock, config: RevopsConfig, text: string): Workspace {
  let current: Snapshot = { config, text, hash: configHash(text), runtime: runtime(store, config, clock) };
  return {
    current: () => current,
    activate(next, nextText, nextHash) {
      current = { config: next, text: nextText, hash: nextHash, runtime: runtime(store, next, clock) };
    },
  };
}
