/**
 * The overview: where things stand now, from the store's grouped counts — contacts by stage (in
 * lifecycle order), routing decisions by kind, SLA clocks and tasks by status — then the headline
 * figures of the marketing, sales and executive views over the last 90 days, each linking to its
 * view (metricViews.ts), as a `ViewData`. Rejects only if the store fails.
 */
import type { ServerContext } from '../../server/context.ts';
import { formatCount } from '../format.ts';
import { metricHeadlines } from './metricViews.ts';
import type { ChartSpec, KpiStatus, ViewData } from '../view.ts';

const count = (counts: Readonly<Record<string, number>>, key: string) => counts[key] ?? 0;

/** Labels and values of `counts` in `order` first, then any other key in name order. */
function ordered(counts: Readonly<Record<string, number>>, order: readonly string[]): [string[], number[]] {
  const rest = Object.keys(counts)
    .filter((k) => !order.includes(k))
    .sort();
  const keys = [...order, ...rest];
  return [keys, keys.map((k) => count(counts, k))];
}

function chart(
  id: string,
  type: ChartSpec['type'],
  title: string,
  label: string,
  [labels, data]: [string[], number[]],
  labelHeader: string,
  tones?: Readonly<Record<string, KpiStatus>>,
): ChartSpec {
  const spec: ChartSpec = { id, type, title, labels, datasets: [{ label, data }], labelHeader };
  return tones === undefined ? spec : Object.assign({}, spec, { tones: labels.map((l) => tones[l] ?? 'neutral') });
}

export async function loadOverview(ctx: ServerContext): Promise<ViewData> {
  const now = ctx.clock.now();
  const [stats, headlines] = await Promise.all([ctx.store.stats(now), metricHeadlines(ctx, now)]);
  const { config } = ctx.workspace.current();
  const stages = config.lifecycle.stages;
  const [stageKeys, stageCounts] = ordered(stats.contactsByStage, stages.map((s) => s.id));
  const stageLabels = stageKeys.map((k) => stages.find((s) => s.id === k)?.name ?? k);
  const contacts = stageCounts.reduce((a, b) => a + b, 0);
  const kinds = ordered(stats.assignmentsByKind, ['assigned', 'kept', 'queued', 'review']);
  const clocks = ordered(stats.slaClocksByStatus, ['open', 'met', 'breached', 'cancelled']);
  const decided = count(stats.slaClocksByStatus, 'met') + count(stats.slaClocksByStatus, 'breached');
  const metShare = decided === 0 ? undefined : count(stats.slaClocksByStatus, 'met') / decided;
  return {
    title: 'Overview',
    intro: 'Where the funnel stands right now. The Marketing, Sales and Executive views report over a date range.',
    sections: [
      {
        id: 'now',
        title: 'Right now',
        kpis: [
          { label: 'Contacts', value: formatCount(contacts) },
          { label: 'Routing decisions', value: formatCount(kinds[1].reduce((a, b) => a + b, 0)) },
          { label: 'SLA clocks not yet due', value: formatCount(count(stats.slaClocksByStatus, 'open')) },
          {
            label: 'SLA clocks met',
            value: metShare === undefined ? '—' : `${(metShare * 100).toFixed(1)}%`,
            note: `of ${formatCount(decided)} met or breached`,
          },
          { label: 'Open tasks', value: formatCount(count(stats.tasksByStatus, 'open')) },
        ],
        charts: [
          chart('stages', 'bar', 'Contacts by lifecycle stage', 'Contacts', [stageLabels, stageCounts], 'Stage'),
          chart('routing', 'doughnut', 'Routing decisions by kind', 'Decisions', kinds, 'Decision', {
            assigned: 'good',
            queued: 'warn',
            review: 'warn',
          }),
          chart('sla', 'doughnut', 'SLA clocks by status', 'Clocks', clocks, 'Status', {
            met: 'good',
            breached: 'bad',
            open: 'warn',
          }),
        ],
      },
      ...headlines,
    ],
  };
}
