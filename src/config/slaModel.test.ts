/**
 * The SLA model compiled from the three templates, pinned to the reference tables
 * (revops-lifecycle-definitions.md "SLA Templates", revops-routing-rules.md "ABM Routing Rules",
 * "Implementing Speed-to-Lead" and the fallback queue's 1-hour SLA): every figure below is written
 * from the reference, and the due times are worked out by hand on the company calendar
 * (09:00-17:00 New York, US public holidays).
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { startClocks, type SlaTrigger } from '../core/sla/clock.ts';
import type { SlaClockModel, SlaModel } from '../core/sla/model.ts';
import { createBusinessCalendar } from '../core/time/calendar.ts';
import { wallMinutes } from '../core/time/duration.ts';
import { compileRule } from './cel.ts';
import { safeLoadConfigFile } from './loader.ts';
import type { RevopsConfig } from './schema/index.ts';
import { slaModel } from './slaModel.ts';
import { TEMPLATE_NAMES, templatePath, type TemplateName } from './templates/index.ts';

const NY = 'America/New_York';
const at = (iso: string, zone = NY): number => DateTime.fromISO(iso, { zone }).toMillis();
const show = (t: number, zone = NY): string => DateTime.fromMillis(t, { zone }).toISO() ?? 'invalid';

const cache = new Map<TemplateName, { config: RevopsConfig; model: SlaModel }>();
function load(name: TemplateName): { config: RevopsConfig; model: SlaModel } {
  const hit = cache.get(name);
  if (hit) return hit;
  const result = safeLoadConfigFile(templatePath(name));
  if (!result.ok) throw new Error(`${name} does not load: ${JSON.stringify(result.issues)}`);
  const { config } = result;
  const calendar = createBusinessCalendar({
    timezone: config.calendar.timezone ?? config.company.timezone,
    hours: config.calendar.hours,
    holidays: config.calendar.holidays,
  });
  const loaded = { config, model: slaModel(config, calendar) };
  cache.set(name, loaded);
  return loaded;
}

function clock(model: SlaModel, id: string): SlaClockModel {
  const found = model.clocks.find((c) => c.id === id);
  if (found === undefined) throw new Error(`no clock ${id}`);
  return found;
}

/** A target as [amount, unit, business] or 'same business day'. */
function target(c: SlaClockModel): readonly [number, string, boolean] | 'same business day' {
  const t = c.target;
  return t.kind === 'endOfBusinessDay' ? 'same business day' : [t.amount, t.unit, t.business];
}

const TEMPLATES = TEMPLATE_NAMES.map((template) => ({ template }));
const FRI_1630 = at('2026-01-09T16:30');

describe.each(TEMPLATES)('$template: the compiled SLA model', ({ template }) => {
  const { model } = load(template);

  it('has the configured clocks, then one per ABM tier and one per queue', () => {
    expect(model.clocks.map((c) => [c.id, c.path])).toEqual([
      ['speed-to-lead', 'sla.clocks[0]'],
      ['mql-first-touch', 'sla.clocks[1]'],
      ['qualification-decision', 'sla.clocks[2]'],
      ['meeting-scheduled', 'sla.clocks[3]'],
      ['sql-discovery', 'sla.clocks[4]'],
      ['opportunity-created', 'sla.clocks[5]'],
      ['proposal-after-demo', 'sla.clocks[6]'],
      ['abm-tier-1', 'routing.tiers[0].sla'],
      ['abm-tier-2', 'routing.tiers[1].sla'],
      ['abm-tier-3', 'routing.tiers[2].sla'],
      ['queue-inbound', 'team.queues[0].sla'],
    ]);
    expect(Object.isFrozen(model.clocks)).toBe(true);
    expect(Object.isFrozen(model.clocks[0])).toBe(true);
  });

  it.each([
    // id, start, target, calendar, ladder [after, business, action, flag]
    [
      'mql-first-touch',
      { kind: 'stage', stage: 'mql' },
      [4, 'hour', true],
      'owner',
      [[4, 'hour', true, 'notify_manager']],
    ],
    [
      'qualification-decision',
      { kind: 'stage', stage: 'mql' },
      [48, 'hour', false],
      'company',
      [[48, 'hour', false, 'notify_manager']],
    ],
    [
      'meeting-scheduled',
      { kind: 'stage', stage: 'sql' },
      [5, 'day', true],
      'company',
      [[5, 'day', true, 'flag', 'pipeline_review']],
    ],
    [
      'sql-discovery',
      { kind: 'stage', stage: 'sql' },
      [3, 'day', true],
      'company',
      [[3, 'day', true, 'notify_manager']],
    ],
    [
      'opportunity-created',
      { kind: 'stage', stage: 'sql' },
      [5, 'day', true],
      'company',
      [[5, 'day', true, 'flag', 'pipeline_review']],
    ],
    [
      'proposal-after-demo',
      { kind: 'dealStage', stage: 'demo' },
      [5, 'day', true],
      'company',
      [[5, 'day', true, 'notify_manager']],
    ],
  ] as const)(
    '%s: start, target, calendar and escalation from the reference',
    (id, start, tgt, calendar, ladder) => {
      const c = clock(model, id);
      expect(c.start).toEqual(start);
      expect(target(c)).toEqual(tgt);
      expect(c.calendar).toBe(calendar);
      expect(
        c.steps.map((s) =>
          s.after.kind === 'duration'
            ? [
                s.after.amount,
                s.after.unit,
                s.after.business,
                s.action,
                ...(s.flag === undefined ? [] : [s.flag]),
              ]
            : s.after.kind,
        ),
      ).toEqual(ladder);
    },
  );

  it('compiles the stop signals', () => {
    expect(clock(model, 'mql-first-touch').stops).toEqual([
      { kind: 'signal', signal: 'touch' },
      { kind: 'signal', signal: 'sales_decision' },
      { kind: 'signal', signal: 'stage_exit' },
    ]);
    expect(clock(model, 'qualification-decision').stops).toEqual([
      { kind: 'signal', signal: 'sales_decision' },
      { kind: 'signal', signal: 'stage_exit' },
    ]);
    expect(clock(model, 'meeting-scheduled').stops).toEqual([
      { kind: 'signal', signal: 'meeting_booked' },
      { kind: 'signal', signal: 'stage_exit' },
    ]);
    expect(clock(model, 'sql-discovery').stops).toEqual([
      { kind: 'signal', signal: 'meeting_held' },
      { kind: 'signal', signal: 'stage_exit' },
    ]);
    expect(clock(model, 'opportunity-created').stops).toEqual([
      { kind: 'signal', signal: 'deal_created' },
      { kind: 'stage', stage: 'opportunity' },
    ]);
    expect(clock(model, 'proposal-after-demo').stops).toEqual([
      { kind: 'dealStage', stage: 'proposal' },
      { kind: 'dealStage', stage: 'closed_lost' },
    ]);
  });

  it('speed to lead: 5 wall minutes, ladder 5/15/30/60 to rep, backup, manager, reassign', () => {
    const c = clock(model, 'speed-to-lead');
    expect(c.start).toEqual({ kind: 'stage', stage: 'mql' });
    expect(target(c)).toEqual([5, 'minute', false]);
    expect(c.calendar).toBe('owner');
    expect(c.steps.map((s) => [s.index, wallMinutes(s.after), s.after.business, s.action])).toEqual([
      [0, 5, false, 'notify_rep'],
      [1, 15, false, 'notify_backup'],
      [2, 30, false, 'notify_manager'],
      [3, 60, false, 'reassign'],
    ]);
    expect(c.steps[0]?.message).toBe('Five minutes and no touch yet: call {contact.name} now.');
  });

  it('ABM tiers: 1 hour, 4 hours, same business day, stopped by a touch, in the owner calendar', () => {
    const stops = [
      { kind: 'signal', signal: 'touch' },
      { kind: 'signal', signal: 'sales_decision' },
      { kind: 'signal', signal: 'stage_exit' },
    ];
    expect(
      [1, 2, 3].map((tier) => {
        const c = clock(model, `abm-tier-${tier}`);
        return [c.start, target(c), c.stops, c.calendar];
      }),
    ).toEqual([
      [{ kind: 'tier', tier: 1 }, [1, 'hour', false], stops, 'owner'],
      [{ kind: 'tier', tier: 2 }, [4, 'hour', false], stops, 'owner'],
      [{ kind: 'tier', tier: 3 }, 'same business day', stops, 'owner'],
    ]);
  });

  it('the fallback queue: picked up (assigned, or touched) within 1 hour', () => {
    const c = clock(model, 'queue-inbound');
    expect([c.name, c.start, target(c), c.stops]).toEqual([
      'Unassigned inbound pickup',
      { kind: 'queued', queue: 'inbound' },
      [1, 'hour', false],
      [
        { kind: 'assigned' },
        { kind: 'signal', signal: 'touch' },
        { kind: 'signal', signal: 'sales_decision' },
        { kind: 'signal', signal: 'stage_exit' },
      ],
    ]);
  });

  it('gives reps their own calendars and knows backups and managers', () => {
    expect(model.calendarOf('priya').spec.timezone).toBe('America/Los_Angeles');
    expect(model.calendarOf('jonas').spec.timezone).toBe('Europe/London');
    expect(model.calendarOf(undefined)).toBe(model.calendar);
    expect(model.calendarOf('nobody')).toBe(model.calendar);
    expect([model.reps.backupOf('priya'), model.reps.managerOf('priya')]).toEqual(['leo', 'dan']);
  });

  /** Due times (New York) of the clocks `trigger` starts for Sofia (New York). */
  const dues = (trigger: SlaTrigger, stage = 'mql') =>
    startClocks({
      model,
      trigger,
      contact: { key: 'email:zoe@acme.com', stage, owner: 'sofia' },
      running: [],
    }).clocks.map((c) => [c.clockId, show(c.dueAt)]);

  it('an MQL at Friday 16:30 New York: speed to lead 16:35, first touch Monday 12:30, decision Sunday 16:30', () => {
    expect(dues({ kind: 'stage', stage: 'mql', at: FRI_1630, cause: 'e1' })).toEqual([
      ['speed-to-lead', '2026-01-09T16:35:00.000-05:00'],
      ['mql-first-touch', '2026-01-12T12:30:00.000-05:00'],
      ['qualification-decision', '2026-01-11T16:30:00.000-05:00'],
    ]);
  });

  it('an SQL on Tuesday 10:00 before Martin Luther King Day: discovery 3 and opportunity 5 business days later', () => {
    expect(dues({ kind: 'stage', stage: 'sql', at: at('2026-01-13T10:00'), cause: 'e2' }, 'sql')).toEqual([
      ['meeting-scheduled', '2026-01-21T10:00:00.000-05:00'],
      ['sql-discovery', '2026-01-16T10:00:00.000-05:00'],
      ['opportunity-created', '2026-01-21T10:00:00.000-05:00'],
    ]);
  });

  it('a demo on Friday 16:30: the proposal is due the next Friday 16:30', () => {
    expect(dues({ kind: 'dealStage', stage: 'demo', at: FRI_1630, cause: 'd1' }, 'opportunity')).toEqual([
      ['proposal-after-demo', '2026-01-16T16:30:00.000-05:00'],
    ]);
  });

  it.each([
    [1, '2026-01-09T17:30:00.000-05:00'],
    [2, '2026-01-09T20:30:00.000-05:00'],
    [3, '2026-01-09T17:00:00.000-05:00'],
  ])('a tier %i named-account lead assigned Friday 16:30 is due %s', (tier, due) => {
    expect(dues({ kind: 'assigned', owner: 'sofia', tier, at: FRI_1630, cause: 'e3' })).toEqual([
      [`abm-tier-${tier}`, due],
    ]);
  });
});

describe('slaModel', () => {
  it('compiles an event start with its `when`, named by its config path, and skips implied clocks it shadows', () => {
    const { config, model } = load('mid-market');
    const compiled = compileRule('event.properties.action == "booked"', '', 'event');
    if (!compiled.ok) throw new Error('the rule does not compile');
    const base = config.sla.clocks[2];
    if (base === undefined) throw new Error('no clock');
    const withEvent: RevopsConfig = Object.assign({}, config, {
      sla: {
        clocks: [
          Object.assign({}, base, { id: 'demo-booked', start: { event: 'meeting', when: compiled.rule } }),
          Object.assign({}, base, { id: 'queue-inbound' }),
        ],
      },
    });
    const clocks = slaModel(withEvent, model.calendar).clocks;
    expect(clocks.map((c) => [c.id, c.path])).toEqual([
      ['demo-booked', 'sla.clocks[0]'],
      ['queue-inbound', 'sla.clocks[1]'],
      ['abm-tier-1', 'routing.tiers[0].sla'],
      ['abm-tier-2', 'routing.tiers[1].sla'],
      ['abm-tier-3', 'routing.tiers[2].sla'],
    ]);
    const start = clocks[0]?.start;
    if (start?.kind !== 'event' || start.when === undefined) throw new Error('not an event start');
    expect([start.type, start.when.id, start.when.source]).toEqual([
      'meeting',
      'sla.clocks[0].start.when',
      'event.properties.action == "booked"',
    ]);
    expect(start.when.evaluate({ event: { type: 'meeting', properties: { action: 'booked' } } })).toBe(true);
    expect(start.when.evaluate({ event: { type: 'meeting', properties: { action: 'held' } } })).toBe(false);
  });
});
