/** What several pages read from the running config: the display time zone, reps and stages as choices. */
import type { ServerContext } from '../../server/context.ts';

export type Choice = { readonly value: string; readonly label: string };

/** The company calendar's time zone: dates in filters and tables are read and shown in it. */
export function zoneOf(ctx: ServerContext): string {
  const { config } = ctx.workspace.current();
  return config.calendar.timezone ?? config.company.timezone;
}

/** The config's reps, `Priya Shah (priya)`. */
export function repChoices(ctx: ServerContext): Choice[] {
  return ctx.workspace.current().config.team.reps.map((r) => ({ value: r.id, label: `${r.name} (${r.id})` }));
}

/** The lifecycle stages in config order. */
export function stageChoices(ctx: ServerContext): Choice[] {
  return ctx.workspace.current().config.lifecycle.stages.map((s) => ({ value: s.id, label: s.name }));
}
