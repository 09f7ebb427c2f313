/**
 * The demo workspace: ~90 days of generated, deterministic activity for the mid-market template's
 * demo team, pushed through the real engine. `revops demo` and `npm start` use these.
 */
export { demoConfig } from './config.ts';
export { DEMO_NOTE_PREFIX, isDemoSeeded, readDemoMarker, type DemoMarker } from './marker.ts';
export {
  DEFAULT_DEMO_DAYS,
  DEFAULT_DEMO_SEED,
  seedDemoWorkspace,
  startOfUtcDay,
  type DemoProgress,
  type SeedDemoOptions,
  type SeedDemoResult,
} from './seed.ts';
export type { DemoPipeline, DemoSummary } from './summary.ts';
export { formatDemoSummary } from './format.ts';
