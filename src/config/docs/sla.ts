/**
 * SLA clocks as the documents show them: target, what counts (business or wall time), what stops
 * the clock, the escalation ladder and what happens on breach.
 */
import type { RevopsConfig } from '../schema/index.ts';
import { describeAction, describeEscalation, describeStart, describeStops, type Clock } from './describe.ts';
import { formatDuration } from './format.ts';
import { blocks, bullets, code, heading, table, text } from './markdown.ts';

/** Clocks started by entering a lifecycle stage. */
export function clocksForStage(config: RevopsConfig, stage: string): Clock[] {
  return config.sla.clocks.filter((c) => 'stage' in c.start && c.start.stage === stage);
}

/** Clocks started by entering a deal stage. */
export function clocksForDealStage(config: RevopsConfig, stage: string): Clock[] {
  return config.sla.clocks.filter((c) => 'dealStage' in c.start && c.start.dealStage === stage);
}

function counts(clock: Clock): string {
  const business = clock.target.business || clock.escalation.some((s) => s.after.business);
  if (!business) return 'wall-clock time, around the clock';
  return clock.calendar === 'owner'
    ? "business time in the owner's working hours"
    : 'business time on the company calendar';
}

/** A clock as a titled block with its ladder. */
export function clockBlock(config: RevopsConfig, clock: Clock, level: number, withStart = false): string {
  const lines = [
    ...(withStart ? [`**Starts when:** ${describeStart(config, clock.start)}`] : []),
    `**Target:** ${formatDuration(clock.target)}`,
    `**Stops when:** ${describeStops(config, clock)}`,
    `**Counts:** ${counts(clock)}`,
  ];
  const ladder =
    clock.escalation.length > 0
      ? table(
          ['After', 'What happens'],
          clock.escalation.map((step) => [formatDuration(step.after), describeEscalation(config, step)]),
        )
      : 'No escalation ladder: a breach is recorded and reported.';
  const breach =
    clock.onBreach.length > 0
      ? blocks(`When the target is missed:`, bullets(clock.onBreach.map((a) => describeAction(config, a))))
      : '';
  return blocks(heading(level, `${text(clock.name)} (${code(clock.id)})`), bullets(lines), ladder, breach);
}

/** A compact table of clocks: one line each. */
export function clocksTable(config: RevopsConfig, clocks: readonly Clock[]): string {
  return table(
    ['Clock', 'Starts when', 'Target', 'Stops when', 'Escalation'],
    clocks.map((c) => [
      text(c.name),
      describeStart(config, c.start),
      formatDuration(c.target),
      describeStops(config, c),
      c.escalation.length === 0
        ? 'none'
        : c.escalation.map((s) => `${formatDuration(s.after)}: ${describeEscalation(config, s)}`).join('; '),
    ]),
  );
}
