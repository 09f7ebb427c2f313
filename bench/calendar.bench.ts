/**
 * Business-calendar speed: one `addBusinessTime(start, 4 business hours)` deadline (target ≤ 2 µs)
 * and one `businessTimeBetween` over three days, on America/New_York Mon–Fri 09:00-17:00 with US
 * public holidays. Starts are drawn from a seeded PRNG over 2026–2027; every year is warmed up
 * first (its first use loads the holidays), and the cold first call is reported on its own.
 *
 *   npm run bench -- calendar
 */
import { OFFICE_HOURS } from '../src/core/time/openingHours.ts';
import { Bench } from 'tinybench';
import { createBusinessCalendar, type CalendarSpec } from '../src/core/time/calendar.ts';
import { parseDuration } from '../src/core/time/duration.ts';
import { machineInfo } from './support/machine.ts';
import { mulberry32 } from '../test/support/prng.ts';
import { report, type ResultRow } from './support/report.ts';

const SPEC: CalendarSpec = {
  timezone: 'America/New_York',
  hours: OFFICE_HOURS,
  holidays: { country: 'US', extra: [], ignore: [] },
};
const SEED = 2026;
const STARTS = 4096;
/** Calls per tinybench sample: one sample's mean in ms × 1000 / CALLS = µs per call. */
const CALLS = 1000;
const FROM = Date.parse('2026-01-01T00:00:00Z');
const TO = Date.parse('2028-01-01T00:00:00Z');
const THREE_DAYS = 3 * 24 * 3_600_000;
const DEADLINE_TARGET_US = 2;

export async function run(): Promise<void> {
  const machine = machineInfo();
  const fourHours = parseDuration('4 business hours');
  if (fourHours === undefined) throw new Error('`4 business hours` did not parse');
  const random = mulberry32(SEED);
  const starts = Array.from({ length: STARTS }, () => Math.floor(FROM + random() * (TO - FROM)));

  const calendar = createBusinessCalendar(SPEC);
  const coldStarted = performance.now();
  let sink = calendar.addBusinessTime(starts[0] ?? FROM, fourHours);
  const coldMs = performance.now() - coldStarted;
  // Warm-up: every start once, so each year's holidays are loaded and the code is optimised.
  for (const start of starts) sink += calendar.addBusinessTime(start, fourHours);
  for (const start of starts) sink += calendar.businessTimeBetween(start, start + THREE_DAYS);

  let next = 0;
  const bench = new Bench({ time: 2000, warmupTime: 300 });
  bench.add('addBusinessTime(start, 4 business hours)', () => {
    for (let i = 0; i < CALLS; i++) {
      sink += calendar.addBusinessTime(starts[next] as number, fourHours);
      next = (next + 1) & (STARTS - 1);
    }
  });
  bench.add('businessTimeBetween(start, start + 3 days)', () => {
    for (let i = 0; i < CALLS; i++) {
      const start = starts[next] as number;
      sink += calendar.businessTimeBetween(start, start + THREE_DAYS);
      next = (next + 1) & (STARTS - 1);
    }
  });
  console.log('calendar: measuring…');
  await bench.run();
  if (!Number.isFinite(sink)) throw new Error('calendar results were not finite');

  const rows: ResultRow[] = [];
  const stats: Record<string, unknown>[] = [];
  for (const task of bench.tasks) {
    const result = task.result;
    if (result.state !== 'completed') throw new Error(`${task.name}: ${result.state}`);
    const perCall = (ms: number) => (ms * 1000) / CALLS;
    const isDeadline = task.name.startsWith('addBusinessTime');
    rows.push({
      name: task.name,
      value: perCall(result.latency.mean),
      unit: 'µs/call',
      ...(isDeadline ? { target: { kind: 'max' as const, value: DEADLINE_TARGET_US } } : {}),
      note: `p50 ${perCall(result.latency.p50).toFixed(3)} µs, p99 ${perCall(result.latency.p99).toFixed(3)} µs (of ${CALLS}-call samples), ±${result.latency.rme.toFixed(1)}%, ${result.latency.samplesCount} samples`,
    });
    stats.push({
      task: task.name,
      usPerCallMean: perCall(result.latency.mean),
      usPerCallP50: perCall(result.latency.p50),
      usPerCallP99: perCall(result.latency.p99),
      rmePercent: result.latency.rme,
      samples: result.latency.samplesCount,
      callsPerSample: CALLS,
    });
  }
  rows.push({
    name: 'cold first call (holidays + first compile)',
    value: coldMs * 1000,
    unit: 'µs',
    note: 'first use of a calendar: loads the year’s holidays; not in the figures above',
  });
  report({
    bench: 'calendar',
    title: `calendar — America/New_York, Mon–Fri 09:00-17:00, US holidays; ${STARTS} seeded starts over 2026–2027`,
    machine,
    parameters: {
      spec: SPEC,
      seed: SEED,
      starts: STARTS,
      callsPerSample: CALLS,
      timeMs: 2000,
      warmupMs: 300,
    },
    rows,
    details: { tinybench: stats },
  });
}
