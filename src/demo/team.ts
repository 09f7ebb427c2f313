/**
 * The demo's sales team as the simulation plays it: each rep's zone and habits (how fast they
 * answer a new MQL), who picks up leads waiting in the fallback queue, and which rejection codes
 * the config accepts. Built from the config, so another team in the same shape plays too.
 */
import type { RevopsConfig } from '../config/schema/index.ts';

/** How quickly a rep answers a new lead. */
export type Habit = 'fast' | 'steady' | 'busy';

export interface DemoRep {
  readonly id: string;
  readonly zone: string;
  readonly habit: Habit;
}

export interface DemoTeam {
  readonly reps: ReadonlyMap<string, DemoRep>;
  /** Who works leads nobody owns (queued, held for review): the fallback queue team's manager. */
  readonly queueRep: string | undefined;
  readonly reasonCodes: ReadonlySet<string>;
  readonly acv: number;
  readonly zone: string;
  readonly industries: ReadonlySet<string>;
  readonly markets: ReadonlySet<string>;
  readonly competitorTools: ReadonlySet<string>;
  /** Competitors' email domains: their people snoop, sales turns them away. */
  readonly competitors: ReadonlySet<string>;
  /** The win-rate benchmark band (fractions): deal outcomes are steered into it. */
  readonly winRate: { readonly min: number; readonly max: number };
  readonly seed: number;
}

const AE_HABITS: readonly Habit[] = ['fast', 'steady', 'fast', 'busy'];

export function demoTeam(config: RevopsConfig, seed: number): DemoTeam {
  const zone = config.calendar.timezone ?? config.company.timezone;
  let ae = 0;
  const reps = new Map<string, DemoRep>();
  for (const rep of config.team.reps) {
    const habit = rep.role === 'ae' ? (AE_HABITS[ae++ % AE_HABITS.length] ?? 'steady') : 'steady';
    reps.set(rep.id, { id: rep.id, zone: rep.timezone ?? zone, habit });
  }
  const queue = config.team.queues.find((q) => q.id === config.routing.fallback.queue);
  const queueTeam = config.team.teams.find((t) => t.id === queue?.team);
  const manager = queueTeam?.manager ?? config.team.reps.find((r) => r.role === 'manager')?.id;
  return {
    reps,
    queueRep: manager,
    reasonCodes: new Set(config.lifecycle.reasonCodes.map((c) => c.code)),
    acv: config.company.acv,
    zone,
    industries: new Set([...config.company.industries.primary, ...config.company.industries.secondary]),
    markets: new Set([...config.company.markets.primary, ...config.company.markets.secondary]),
    competitorTools: new Set(config.company.competitorTools),
    competitors: new Set(config.company.competitors),
    winRate: {
      min: config.metrics.benchmarks.winRate.min ?? 0.2,
      max: config.metrics.benchmarks.winRate.max ?? 0.3,
    },
    seed,
  };
}
