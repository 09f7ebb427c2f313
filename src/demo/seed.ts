/**
 * `seedDemoWorkspace`: fills an empty database with ~90 days of realistic activity for the demo
 * team, through the real engine. Everything runs in time order on a simulated clock: planned
 * marketing events go in batches, due timers (SLA steps, task reminders, recycling) fire at their
 * own instants in between, scores decay each simulated midnight, and the sales side reacts to what
 * the engine decided: a rep touches the lead the engine routed to them, when their habits say so.
 * Nothing is written to a table directly. Deterministic for a given seed and anchor.
 */
import { recordConfig } from '../compose.ts';
import type { RevopsConfig } from '../config/schema/index.ts';
import { RevopsError } from '../core/errors.ts';
import type { Store } from '../core/ports.ts';
import type { Millis } from '../core/types.ts';
import { readDemoMarker, writeDemoMarker } from './marker.ts';
import { simulate, type DemoProgress } from './simulate.ts';
import { summarize, type DemoSummary } from './summary.ts';
import { DAY } from './time.ts';

export const DEFAULT_DEMO_SEED = 42;
export const DEFAULT_DEMO_DAYS = 90;
export type { DemoProgress };

export interface SeedDemoOptions {
  readonly store: Store;
  readonly config: RevopsConfig;
  /** The config's source text: recorded as the workspace's config version, with the demo marker. */
  readonly text: string;
  /** The generated history ends here (e.g. the start of today, UTC); never read from the wall clock. */
  readonly anchor: Millis;
  readonly seed?: number;
  readonly days?: number;
  readonly onProgress?: (progress: DemoProgress) => void;
}

export interface SeedDemoResult {
  /** True when the store already held a complete demo workspace and nothing was done. */
  readonly reused: boolean;
  readonly summary: DemoSummary;
}

/** The start of the UTC day of `at`: the default anchor. */
export function startOfUtcDay(at: Millis): Millis {
  return at - (((at % DAY) + DAY) % DAY);
}

/**
 * Seeds `store` with the demo workspace, or does nothing when it already holds one (`reused`).
 * Throws `RevopsError` `demo.database_not_empty` — with nothing written — when the store holds other
 * data or a seeding that stopped half way; throws `RangeError` for `days` outside 1..366, and
 * `Error` if the engine rejected a generated event (a bug) or storage fails.
 */
export async function seedDemoWorkspace(options: SeedDemoOptions): Promise<SeedDemoResult> {
  const { store, config, text, anchor } = options;
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const days = options.days ?? DEFAULT_DEMO_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > 366)
    throw new RangeError(`demo: days must be 1 to 366, not ${days}`);
  const marker = await readDemoMarker(store);
  if (marker?.status === 'complete' && marker.summary !== undefined)
    return { reused: true, summary: marker.summary };
  const counts = await store.counts();
  if (marker !== undefined || counts.events > 0) {
    throw new RevopsError(
      'demo.database_not_empty',
      marker !== undefined
        ? `${store.description} holds a demo workspace whose seeding stopped half way (seed ${marker.seed}, anchor ${marker.anchor})`
        : `${store.description} already holds ${counts.events} events: the demo seeds only an empty database`,
      {
        hint:
          marker !== undefined
            ? 'delete that database (or run `revops demo --force` on it) and start again'
            : 'point the demo at a new database with --db (or DATABASE_URL), or serve this one with `revops serve`',
      },
    );
  }
  const from = anchor - days * DAY;
  const run = { seed, from, anchor, days };
  const iso = new Date(anchor).toISOString();
  await recordConfig(store, config, text, from);
  await writeDemoMarker(store, text, from, { status: 'seeding', seed, anchor: iso, days });
  const sent = await simulate(store, config, run, options.onProgress);
  const stageOrder = (config.pipeline?.pipelines ?? []).flatMap((p) => p.stages.map((s) => s.id));
  const summary = await summarize(store, run, sent, [...new Set(stageOrder)]);
  await writeDemoMarker(store, text, from, { status: 'complete', seed, anchor: iso, days, summary });
  return { reused: false, summary };
}
