/**
 * Test builders for metrics: a metrics model in UTC with the reference benchmarks, named instants,
 * contacts walked through stages, touches, clocks, assignments and deals with overrides.
 */
import { DateTime } from 'luxon';
import type { AssignmentRow } from '../../ports.ts';
import type { DealStageMove, DealState } from '../../pipeline/types.ts';
import type { SlaClock } from '../../sla/model.ts';
import { createBusinessCalendar } from '../../time/calendar.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS, WEEKDAYS, weekdayIndex } from '../../time/localDay.ts';
import { OFFICE_HOURS } from '../../time/openingHours.ts';
import type { ContactState, Millis, StageChange, Touch } from '../../types.ts';
import type { LocalTime, MetricsInput, MetricsModel } from '../model.ts';

export { DAY_MS, HOUR_MS, MINUTE_MS };

/** Monday 5 January 2026, 00:00 UTC. */
export const MON = Date.UTC(2026, 0, 5);
/** Monday 5 January 2026, 09:00 UTC. */
export const MON_0900 = MON + 9 * HOUR_MS;
/** A window of the four weeks from MON. */
export const JAN = { from: MON, to: MON + 28 * DAY_MS };

export function utcLocalTime(at: Millis): LocalTime {
  const day = Math.floor(at / DAY_MS);
  return {
    date: new Date(day * DAY_MS).toISOString().slice(0, 10),
    weekday: WEEKDAYS[weekdayIndex(day)] as LocalTime['weekday'],
    minuteOfDay: Math.floor((at - day * DAY_MS) / MINUTE_MS),
  };
}

/**
 * The company's local time in `timezone` as config/metricsModel.ts builds it: the business
 * calendar's digest, and luxon for the instant a local date starts.
 */
export function zoned(timezone: string): Pick<MetricsModel, 'localTime' | 'startOfDate'> {
  const calendar = createBusinessCalendar({
    timezone,
    hours: OFFICE_HOURS,
    holidays: { extra: [], ignore: [] },
  });
  return {
    localTime: (at) => calendar.digest(at),
    startOfDate: (date) => DateTime.fromISO(date, { zone: timezone }).startOf('day').toMillis(),
  };
}

export const LIFECYCLE = [
  'subscriber',
  'lead',
  'mql',
  'sql',
  'opportunity',
  'customer',
  'evangelist',
  'recycled',
  'disqualified',
];

/** The reference defaults (revops-SKILL.md "Key Metrics"), quarterly quotas, two teams. */
export function model(overrides: Partial<MetricsModel> = {}): MetricsModel {
  const base: MetricsModel = {
    stages: LIFECYCLE,
    funnelRank: { lead: 0, mql: 1, sql: 2, opportunity: 3, customer: 4, evangelist: 4 },
    recyclingStage: 'recycled',
    reasonCodes: { 'FIT-01': 'Company too small', 'ENG-01': 'No response after 3 attempts' },
    benchmarks: {
      leadToMql: { min: 0.05, max: 0.15 },
      mqlToSql: { min: 0.3, max: 0.5 },
      sqlToOpportunity: { min: 0.5, max: 0.7 },
      winRate: { min: 0.2, max: 0.3 },
      speedToLeadMs: 5 * MINUTE_MS,
      contactedWithinSla: 0.9,
      ltvToCac: { min: 3, max: 5 },
      pipelineCoverage: { min: 3, max: 4 },
    },
    speedToLeadClock: 'speed-to-lead',
    quotaPeriod: 'quarter',
    teamQuotas: { east: 100_000, west: 200_000 },
    totalQuota: 300_000,
    spend: [],
    economics: { grossMargin: 0.8 },
    reps: [
      { id: 'ana', weight: 1, active: true, teams: ['east'] },
      { id: 'bo', weight: 1, active: true, teams: ['east'] },
      { id: 'cy', weight: 2, active: true, teams: ['west'] },
      { id: 'di', weight: 1, active: true, teams: ['west'] },
    ],
    teams: { east: ['ana', 'bo'], west: ['cy', 'di'] },
    pipelines: [
      {
        id: 'new',
        stages: [
          { id: 'qualified', kind: 'open', probability: 0.1 },
          { id: 'discovery', kind: 'open', probability: 0.2 },
          { id: 'demo', kind: 'open', probability: 0.4 },
          { id: 'proposal', kind: 'open', probability: 0.6 },
          { id: 'negotiation', kind: 'open', probability: 0.8 },
          { id: 'won', kind: 'won', probability: 1 },
          { id: 'lost', kind: 'lost', probability: 0 },
        ],
      },
    ],
    localTime: utcLocalTime,
    startOfDate: (date) => Date.parse(`${date}T00:00:00Z`),
  };
  return Object.assign(base, overrides);
}

interface LeadSpec {
  readonly key: string;
  readonly at?: Millis;
  /** Stages entered, one `step` apart, starting with the first at `at`. */
  readonly path?: readonly string[];
  readonly step?: number;
  readonly source?: string;
  readonly owner?: string;
  readonly reasons?: Readonly<Record<string, string>>;
}

/** A contact created at `at` that walked `path` (default: `lead`), and its stage history. */
export function lead(spec: LeadSpec): { contact: ContactState; history: StageChange[] } {
  const at = spec.at ?? MON_0900;
  const path = spec.path ?? ['lead'];
  const step = spec.step ?? HOUR_MS;
  const history = path.map((to, i): StageChange =>
    Object.assign(
      { contactKey: spec.key, to, at: at + i * step, cause: `e${i}` },
      i === 0 ? {} : { from: path[i - 1] as string },
      { reason: spec.reasons?.[to] ?? `entry criterion for ${to}` },
    ),
  );
  const last = history[history.length - 1] as StageChange;
  const contact: ContactState = Object.assign(
    {
      key: spec.key,
      attributes:
        spec.source === undefined ? {} : { source: { value: spec.source, at, eventId: 'e0', source: 'api' } },
      companyAttributes: {},
      stage: last.to,
      stageEnteredAt: last.at,
      flags: [],
      createdAt: at,
      updatedAt: last.at,
      eventCount: path.length,
    },
    spec.owner === undefined ? {} : { owner: spec.owner },
  );
  return { contact, history };
}

export function touch(contactKey: string, at: Millis, rep = 'ana'): Touch {
  return { contactKey, at, kind: 'call', rep, eventId: `t:${contactKey}:${at}` };
}

export function clock(overrides: Partial<SlaClock> & { contactKey: string; startedAt: Millis }): SlaClock {
  return Object.assign(
    {
      key: `sla:${overrides.contactKey}:speed-to-lead:${overrides.startedAt}`,
      clockId: 'speed-to-lead',
      name: 'Speed to lead',
      dueAt: overrides.startedAt + 5 * MINUTE_MS,
      status: 'open' as const,
      target: '5m',
      business: false,
      timezone: 'UTC',
      cause: 'e1',
      steps: [],
      updatedAt: overrides.startedAt,
    },
    overrides,
  );
}

export function assignment(
  overrides: Partial<AssignmentRow> & { contactKey: string; at: Millis },
): AssignmentRow {
  return Object.assign({ kind: 'assigned' as const, rule: 'default', trace: {} }, overrides);
}

interface DealSpec extends Partial<Omit<DealState, 'history'>> {
  readonly id: string;
  /** Stages entered at these instants, in order. */
  readonly moves?: readonly (readonly [string, Millis])[];
}

export function deal(spec: DealSpec): DealState {
  const moves = spec.moves ?? [['qualified', spec.createdAt ?? MON]];
  const history = moves.map(([to, at], i): DealStageMove =>
    Object.assign(
      { to, at, cause: `d${i}`, skipped: [] },
      i === 0 ? {} : { from: (moves[i - 1] as readonly [string, Millis])[0] },
    ),
  );
  const last = history[history.length - 1] as DealStageMove;
  const { moves: _moves, ...rest } = spec;
  return Object.assign(
    {
      pipeline: 'new',
      stage: last.to,
      status: 'open' as const,
      currency: 'USD',
      contacts: [],
      fields: {},
      createdAt: (history[0] as DealStageMove).at,
      updatedAt: last.at,
      stageEnteredAt: last.at,
      history,
      pushes: [],
      flags: { skipped: [], forecastReview: false },
    },
    rest,
  );
}

/** An input from leads and other rows. */
export function input(parts: {
  leads?: readonly { contact: ContactState; history: StageChange[] }[];
  touches?: readonly Touch[];
  assignments?: readonly AssignmentRow[];
  clocks?: readonly SlaClock[];
  deals?: readonly DealState[];
}): MetricsInput {
  const leads = parts.leads ?? [];
  return {
    contacts: leads.map((l) => l.contact),
    history: leads.flatMap((l) => l.history),
    touches: parts.touches ?? [],
    assignments: parts.assignments ?? [],
    clocks: parts.clocks ?? [],
    deals: parts.deals ?? [],
  };
}
