/**
 * The rules part of the scoring bench: the sales-led template against a variant with 1,000 more
 * rules (support/scoringConfigs.ts), each loaded through the real loader (timed), then the same
 * generated events ingested through the engine on a fresh SQLite file, batches of 1,000; and the
 * decision alone (no store) over the first 10,000 events, which is less noisy.
 */
import { join } from 'node:path';
import { openMigratedStore, runtime } from '../../src/compose.ts';
import { engineSetup } from '../../src/config/engineModel.ts';
import type { RevopsConfig } from '../../src/config/schema/index.ts';
import { SimulatedClock } from '../../src/engine/clock.ts';
import { generateEvents } from '../../test/support/generateEvents.ts';
import { BATCH, count, ingestAll, round, type PartResult } from './benchParts.ts';
import { batchesOf, decideOnly, validateOnly } from './ingestBreakdown.ts';
import type { ResultRow } from './report.ts';
import { loadConfigText, manyRules } from './scoringConfigs.ts';

export const RULES_EVENTS = 50_000;
export const EXTRA_RULES = { signals: 900, buckets: 100 } as const;
/** Percent of the plain template's ingest rate. */
const RULES_TARGET = 50;
const DECIDE_BATCHES = 10;

export async function rulesPart(dir: string, salesLed: string, seed: number): Promise<PartResult> {
  let started = performance.now();
  const plain = loadConfigText(salesLed, 'sales-led.yaml');
  const plainLoadMs = performance.now() - started;
  started = performance.now();
  const text = manyRules(salesLed, EXTRA_RULES);
  const variant = loadConfigText(text, 'sales-led+1000-rules.yaml');
  const variantLoadMs = performance.now() - started;
  const extraSignals = variant.scoring.engagement.signals.length - plain.scoring.engagement.signals.length;
  const bucketsOf = (c: RevopsConfig) => c.scoring.fit.groups.reduce((sum, g) => sum + g.buckets.length, 0);
  const extraBuckets = bucketsOf(variant) - bucketsOf(plain);

  const events = [...generateEvents({ events: RULES_EVENTS, seed })];
  const batches = batchesOf(events, BATCH);
  const now = Date.parse(String(events[events.length - 1]?.['at'])) + 60_000;
  const measure = async (name: string, config: RevopsConfig) => {
    console.log(`scoring: rules: ingesting ${count(events.length)} events with ${name}…`);
    const store = await openMigratedStore(join(dir, `rules-${name}.sqlite`));
    try {
      const clock = new SimulatedClock(Date.parse(String(events[0]?.['at'])));
      const { engine } = runtime(store, config, clock);
      const pass = await ingestAll((b) => engine.ingest(b), batches, clock);
      const setup = engineSetup(config);
      // The decision alone, without the store, over the first batches (CPU only, less noisy).
      const decision = decideOnly(validateOnly(batches.slice(0, DECIDE_BATCHES), setup, now).valid, setup);
      const decideUs = (decision.ms * 1000) / (DECIDE_BATCHES * BATCH);
      return { ...pass, eventsPerSecond: pass.accepted / (pass.ms / 1000), decideUs };
    } finally {
      await store.close();
    }
  };
  const base = await measure('plain', plain);
  const many = await measure('variant', variant);
  const ratio = (100 * many.eventsPerSecond) / base.eventsPerSecond;
  const rows: ResultRow[] = [
    {
      name: `config load: sales-led + ${extraSignals + extraBuckets} rules`,
      value: variantLoadMs,
      unit: 'ms',
      note: `${extraSignals} signals + ${extraBuckets} fit buckets, ${(text.length / 1024).toFixed(0)} KiB of YAML; plain template ${plainLoadMs.toFixed(0)} ms`,
    },
    {
      name: 'sqlite: ingest, plain sales-led',
      value: base.eventsPerSecond,
      unit: 'events/s',
      note: `${count(base.accepted)} accepted; decide alone ${base.decideUs.toFixed(0)} µs/event`,
    },
    {
      name: `sqlite: ingest, sales-led + ${extraSignals + extraBuckets} rules`,
      value: many.eventsPerSecond,
      unit: 'events/s',
      note: `${count(many.accepted)} accepted; decide alone ${many.decideUs.toFixed(0)} µs/event`,
    },
    {
      name: 'sqlite: ingest with 1,000 more rules, share of plain',
      value: ratio,
      unit: '%',
      target: { kind: 'min', value: RULES_TARGET },
      note: `the decision alone takes ${(many.decideUs / base.decideUs).toFixed(1)}× the plain time (first ${DECIDE_BATCHES * BATCH} events, no store)`,
    },
  ];
  return {
    rows,
    details: {
      events: events.length,
      extraSignals,
      extraBuckets,
      yamlBytes: text.length,
      loadMs: { plain: round(plainLoadMs), variant: round(variantLoadMs) },
      plain: {
        ms: round(base.ms),
        eventsPerSecond: round(base.eventsPerSecond),
        decideUs: round(base.decideUs),
      },
      variant: {
        ms: round(many.ms),
        eventsPerSecond: round(many.eventsPerSecond),
        decideUs: round(many.decideUs),
      },
    },
  };
}
