/**
 * From a loaded config to the MetricsModel core/metrics reads: the `metrics` section (benchmarks as
 * fractions, the speed-to-lead target in wall milliseconds — a business duration counts as the
 * same length of wall time — quotas, spend, economics), the lifecycle's funnel stages and reason
 * codes, the team (who is on which team, weights, rep quotas), the deal pipelines' stage kinds and
 * probabilities, and local time in the company calendar's zone.
 *
 * Quotas per period: a team's is its `metrics.teamQuotas` amount, else the sum of its members'
 * `team.reps[].quota`; the company's is the sum of `metrics.teamQuotas`, else of all rep quotas.
 * The speed-to-lead clock is `sla.clocks` `speed-to-lead` when present, else the first clock that
 * starts at `mql` and stops on a touch.
 */
import { DateTime } from 'luxon';
import {
  FUNNEL_STAGES,
  type MetricsModel,
  type MetricsRep,
  type Range,
  type SpendRow,
} from '../core/metrics/model.ts';
import type { BusinessCalendar } from '../core/time/calendar.ts';
import { wallMinutes } from '../core/time/duration.ts';
import { MINUTE_MS } from '../core/time/localDay.ts';
import type { RevopsConfig } from './schema/index.ts';

const SPEED_TO_LEAD = 'speed-to-lead';

function range(input: { min?: number | undefined; max?: number | undefined }): Range {
  return Object.assign(
    {},
    input.min === undefined ? {} : { min: input.min },
    input.max === undefined ? {} : { max: input.max },
  );
}

function speedToLeadClock(config: RevopsConfig): string | undefined {
  const clocks = config.sla.clocks;
  if (clocks.some((c) => c.id === SPEED_TO_LEAD)) return SPEED_TO_LEAD;
  return clocks.find(
    (c) => 'stage' in c.start && c.start.stage === 'mql' && c.stop.some((s) => s === 'touch'),
  )?.id;
}

function funnelRank(stageIds: readonly string[]): Record<string, number> {
  const rank: Record<string, number> = {};
  FUNNEL_STAGES.forEach((stage, i) => {
    if (stageIds.includes(stage)) rank[stage] = i;
  });
  if (stageIds.includes('evangelist')) rank['evangelist'] = FUNNEL_STAGES.indexOf('customer');
  return rank;
}

function quotas(config: RevopsConfig): Pick<MetricsModel, 'teamQuotas' | 'totalQuota'> {
  const repQuota = new Map(config.team.reps.map((r) => [r.id, r.quota]));
  const teamQuotas: Record<string, number> = {};
  for (const team of config.team.teams) {
    const own = team.members.flatMap((m) => {
      const q = repQuota.get(m);
      return q === undefined ? [] : [q];
    });
    if (own.length > 0) teamQuotas[team.id] = own.reduce((n, q) => n + q, 0);
  }
  for (const q of config.metrics.teamQuotas) teamQuotas[q.team] = q.amount;
  const set = config.metrics.teamQuotas;
  const reps = config.team.reps.flatMap((r) => (r.quota === undefined ? [] : [r.quota]));
  const total =
    set.length > 0
      ? set.reduce((n, q) => n + q.amount, 0)
      : reps.length > 0
        ? reps.reduce((n, q) => n + q, 0)
        : undefined;
  return total === undefined ? { teamQuotas } : { teamQuotas, totalQuota: total };
}

/** The metrics model of `config`, local time in `calendar`'s zone. Does not throw. */
export function metricsModel(config: RevopsConfig, calendar: BusinessCalendar): MetricsModel {
  const { metrics, lifecycle, team } = config;
  const b = metrics.benchmarks;
  const stageIds = lifecycle.stages.map((s) => s.id);
  const zone = calendar.spec.timezone;
  const reps = team.reps.map((rep): MetricsRep =>
    Object.assign(
      {
        id: rep.id,
        weight: rep.weight,
        active: rep.active,
        teams: team.teams.filter((t) => t.members.includes(rep.id)).map((t) => t.id),
      },
      rep.quota === undefined ? {} : { quota: rep.quota },
    ),
  );
  const economics = metrics.economics;
  const clock = speedToLeadClock(config);
  const model: MetricsModel = Object.assign(
    {
      stages: stageIds,
      funnelRank: funnelRank(stageIds),
      reasonCodes: Object.fromEntries(lifecycle.reasonCodes.map((r) => [r.code, r.reason])),
      benchmarks: {
        leadToMql: range(b.leadToMql),
        mqlToSql: range(b.mqlToSql),
        sqlToOpportunity: range(b.sqlToOpportunity),
        winRate: range(b.winRate),
        speedToLeadMs: wallMinutes(b.speedToLead) * MINUTE_MS,
        contactedWithinSla: b.contactedWithinSla,
        ltvToCac: range(b.ltvToCac),
        pipelineCoverage: range(b.pipelineCoverage),
      },
      quotaPeriod: metrics.quotaPeriod,
      spend: metrics.spend.map((row): SpendRow =>
        Object.assign(
          { period: row.period, sales: row.sales, marketing: row.marketing },
          row.bySource === undefined ? {} : { bySource: row.bySource },
        ),
      ),
      economics: Object.assign(
        { grossMargin: economics.grossMargin },
        economics.arpa === undefined ? {} : { arpa: economics.arpa },
        economics.monthlyChurn === undefined ? {} : { monthlyChurn: economics.monthlyChurn },
      ),
      reps,
      teams: Object.fromEntries(team.teams.map((t) => [t.id, t.members])),
      pipelines: config.pipeline.pipelines.map((p) => ({
        id: p.id,
        stages: p.stages.map((s) =>
          Object.assign(
            { id: s.id, kind: s.kind },
            s.probability === undefined ? {} : { probability: s.probability },
          ),
        ),
      })),
      localTime: (at: number) => calendar.digest(at),
      startOfDate: (date: string) => DateTime.fromISO(date, { zone }).startOf('day').toMillis(),
    },
    quotas(config),
    stageIds.includes(lifecycle.recycling.stage) ? { recyclingStage: lifecycle.recycling.stage } : {},
    clock === undefined ? {} : { speedToLeadClock: clock },
  );
  return Object.freeze(model);
}

/** The metrics model of `config` with the zone its local dates are read in (what reports take). */
export function metricsSetup(
  config: RevopsConfig,
  calendar: BusinessCalendar,
): { readonly model: MetricsModel; readonly timezone: string } {
  return { model: metricsModel(config, calendar), timezone: calendar.spec.timezone };
}
