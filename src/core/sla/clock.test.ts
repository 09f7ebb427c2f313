import { fc, it as prop } from '@fast-check/vitest';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { FiredTimer, TimerEffect } from '../effects.ts';
import type { CompiledRule, RuleContext } from '../rule.ts';
import { calendarFor, createBusinessCalendar } from '../time/calendar.ts';
import { parseDuration, type Duration } from '../time/duration.ts';
import { OFFICE_HOURS } from '../time/openingHours.ts';
import type { ContactState, InboundEvent } from '../types.ts';
import {
  concernsAnyClock,
  eventSignals,
  ladderTimers,
  nextClockTimer,
  startClocks,
  stopClocks,
  stopClocksBySignals,
  type SlaSignal,
  type SlaTrigger,
} from './clock.ts';
import { decideSlaTimer, restartClocks } from './ladder.ts';
import type { SlaClock, SlaClockModel, SlaModel, SlaStep } from './model.ts';

const NY = 'America/New_York';
const M = 60_000;
const H = 60 * M;

const at = (iso: string, zone = NY): number => DateTime.fromISO(iso, { zone }).toMillis();
const show = (t: number, zone = NY): string => DateTime.fromMillis(t, { zone }).toISO() ?? 'invalid';
const dur = (text: string): Duration => {
  const d = parseDuration(text);
  if (d === undefined) throw new Error(`not a duration: ${text}`);
  return d;
};

const COMPANY = createBusinessCalendar({
  timezone: NY,
  hours: OFFICE_HOURS,
  holidays: { country: 'US', extra: [], ignore: [] },
});
const REPS: Readonly<Record<string, { timezone: string; manager?: string; backup?: string }>> = {
  sofia: { timezone: NY, manager: 'dan', backup: 'priya' },
  priya: { timezone: 'America/Los_Angeles', manager: 'dan', backup: 'leo' },
  jonas: { timezone: 'Europe/London', manager: 'dan', backup: 'sofia' },
  dan: { timezone: 'America/Chicago' },
};

const steps = (...rows: [string, SlaStep['action'], Partial<SlaStep>?][]): SlaStep[] =>
  rows.map(([after, action, extra], index) => ({ index, after: dur(after), action, ...extra }));

const clockModel = (overrides: Partial<SlaClockModel> & Pick<SlaClockModel, 'id'>): SlaClockModel => ({
  kind: 'slaClock',
  name: overrides.id,
  path: `sla.clocks[${overrides.id}]`,
  start: { kind: 'stage', stage: 'mql' },
  stops: [
    { kind: 'signal', signal: 'touch' },
    { kind: 'signal', signal: 'sales_decision' },
    { kind: 'signal', signal: 'stage_exit' },
  ],
  target: dur('4 business hours'),
  calendar: 'company',
  steps: [],
  onBreach: [],
  ...overrides,
});

/** A hand-written `start.when`: `event.properties.action == "booked"`. */
const booked: CompiledRule = {
  kind: 'rule',
  id: 'sla.clocks[4].start.when',
  source: 'event.properties.action == "booked"',
  scope: 'event',
  evaluate: (c: RuleContext) =>
    (c['event'] as { properties?: { action?: string } } | undefined)?.properties?.action === 'booked',
  explain: (c: RuleContext) => ({ value: booked.evaluate(c) }),
  terms: [],
  bounds: [],
};

const SPEED = clockModel({
  id: 'speed-to-lead',
  target: dur('5m'),
  calendar: 'owner',
  steps: steps(
    ['5m', 'notify_rep'],
    ['15m', 'notify_backup'],
    ['30m', 'notify_manager'],
    ['60m', 'reassign'],
  ),
});
const FIRST_TOUCH = clockModel({
  id: 'mql-first-touch',
  calendar: 'owner',
  steps: steps(['4 business hours', 'notify_manager']),
  onBreach: [
    { do: 'notify', to: 'manager', message: '{contact.name} missed the first touch', urgent: true },
    { do: 'set_flag', flag: 'sla_missed' },
  ],
});
const OPPORTUNITY = clockModel({
  id: 'opportunity-created',
  start: { kind: 'stage', stage: 'sql' },
  stops: [
    { kind: 'signal', signal: 'deal_created' },
    { kind: 'stage', stage: 'opportunity' },
  ],
  target: dur('5 business days'),
  steps: steps(['5 business days', 'flag', { flag: 'pipeline_review' }]),
});
const DEMO_FOLLOW_UP = clockModel({
  id: 'demo-follow-up',
  start: { kind: 'event', type: 'meeting', when: booked },
  stops: [{ kind: 'signal', signal: 'meeting_held' }],
  target: dur('48h'),
});
const QUEUE = clockModel({
  id: 'queue-inbound',
  start: { kind: 'queued', queue: 'inbound' },
  stops: [{ kind: 'assigned' }],
  target: dur('1h'),
});
const TIER1 = clockModel({
  id: 'abm-tier-1',
  start: { kind: 'tier', tier: 1 },
  stops: [{ kind: 'signal', signal: 'touch' }],
  target: dur('1h'),
  calendar: 'owner',
});

const calendars = new Map(
  Object.entries(REPS).map(([id, rep]) => [id, calendarFor(COMPANY, { timezone: rep.timezone })]),
);
const MODEL: SlaModel = {
  clocks: [SPEED, FIRST_TOUCH, OPPORTUNITY, DEMO_FOLLOW_UP, QUEUE, TIER1],
  calendar: COMPANY,
  calendarOf: (owner) => (owner === undefined ? undefined : calendars.get(owner)) ?? COMPANY,
  reps: { managerOf: (rep) => REPS[rep]?.manager, backupOf: (rep) => REPS[rep]?.backup },
};

const LEAD = 'email:zoe@acme.com';
const contact = (overrides: Partial<ContactState> = {}): ContactState => ({
  key: LEAD,
  email: 'zoe@acme.com',
  attributes: {
    firstName: { value: 'Zoe', at: 0, eventId: 'e0', source: 'api' },
    lastName: { value: 'Park', at: 0, eventId: 'e0', source: 'api' },
  },
  companyAttributes: { name: { value: 'Acme', at: 0, eventId: 'e0', source: 'api' } },
  stage: 'mql',
  stageEnteredAt: 0,
  owner: 'sofia',
  flags: [],
  createdAt: 0,
  updatedAt: 0,
  eventCount: 1,
  ...overrides,
});

/** Clocks an MQL starts at `start` for `owner`. */
function mql(start: number, owner = 'sofia') {
  return startClocks({
    model: MODEL,
    trigger: { kind: 'stage', stage: 'mql', at: start, cause: 'e1' },
    contact: { key: LEAD, stage: 'mql', owner },
    running: [],
  });
}

function definitionOf(id: string): SlaClockModel {
  const found = MODEL.clocks.find((c) => c.id === id);
  if (found === undefined) throw new Error(`no clock definition ${id}`);
  return found;
}

function clockOf(clocks: readonly SlaClock[], id: string): SlaClock {
  const found = clocks.find((c) => c.clockId === id);
  if (found === undefined) throw new Error(`no clock ${id}`);
  return found;
}

const fired = (timer: TimerEffect | undefined): FiredTimer => {
  if (timer === undefined) throw new Error('no timer');
  const { kind: _kind, ...rest } = timer;
  return { ...rest, attempts: 1 };
};

const timersOf = (effects: readonly { kind: string }[]): TimerEffect[] =>
  effects.filter((e): e is TimerEffect => e.kind === 'timer');

const FRI_1630 = at('2026-01-09T16:30');

describe('startClocks: due times in the clock calendar', () => {
  it('an MQL at Friday 16:30 New York with 4 business hours is due Monday 12:30', () => {
    const { clocks, effects, trace } = mql(FRI_1630);
    const first = clockOf(clocks, 'mql-first-touch');
    expect(show(first.dueAt)).toBe('2026-01-12T12:30:00.000-05:00');
    expect(first).toStrictEqual({
      key: `sla:${LEAD}:mql-first-touch:${FRI_1630}`,
      contactKey: LEAD,
      clockId: 'mql-first-touch',
      name: 'mql-first-touch',
      owner: 'sofia',
      startedAt: FRI_1630,
      dueAt: at('2026-01-12T12:30'),
      status: 'open',
      target: '4 business hours',
      business: true,
      timezone: NY,
      startStage: 'mql',
      cause: 'e1',
      steps: [],
      updatedAt: FRI_1630,
    });
    const due: TimerEffect = {
      kind: 'timer',
      key: `${first.key}:due`,
      dueAt: at('2026-01-12T12:30'),
      contactKey: LEAD,
      payload: { kind: 'sla_due', clock: first.key, clockId: 'mql-first-touch', startedAt: FRI_1630 },
    };
    // One timer per clock is scheduled: the first of its ladder (the due time before a step at the
    // same instant); each fired timer schedules the next.
    expect(timersOf(effects).filter((t) => t.key.includes('mql-first-touch'))).toStrictEqual([due]);
    expect(ladderTimers(MODEL, definitionOf('mql-first-touch'), first)).toStrictEqual([
      due,
      {
        kind: 'timer',
        key: `${first.key}:step:0`,
        dueAt: at('2026-01-12T12:30'),
        contactKey: LEAD,
        payload: {
          kind: 'sla_step',
          clock: first.key,
          clockId: 'mql-first-touch',
          startedAt: FRI_1630,
          step: 0,
          action: 'notify_manager',
        },
      },
    ]);
    expect(trace.map((t) => [t.clockId, t.started])).toEqual([
      ['speed-to-lead', true],
      ['mql-first-touch', true],
    ]);
    expect(trace[1]?.detail).toBe(
      '2026-01-09T21:30:00.000Z + 4 business hours in America/New_York = 2026-01-12T17:30:00.000Z',
    );
  });

  it.each([
    ['across Thanksgiving (a US public holiday)', '2026-11-25T16:30', '2026-11-27T12:30:00.000-05:00'],
    ['across the March DST change', '2026-03-06T16:30', '2026-03-09T12:30:00.000-04:00'],
    ['across the November DST change', '2026-10-30T16:30', '2026-11-02T12:30:00.000-05:00'],
  ])('4 business hours %s', (_name, start, due) => {
    expect(show(clockOf(mql(at(start)).clocks, 'mql-first-touch').dueAt)).toBe(due);
  });

  it.each([
    // Priya works 09:00-17:00 Los Angeles: 13:30-17:00 Friday, then 09:00-09:30 Monday.
    ['priya', 'America/Los_Angeles', '2026-01-12T09:30:00.000-08:00'],
    // Jonas works 09:00-17:00 London: Friday 21:30 is closed, so Monday 09:00-13:00.
    ['jonas', 'Europe/London', '2026-01-12T13:00:00.000+00:00'],
  ])('`calendar: owner` counts in the owner’s hours (%s)', (owner, zone, due) => {
    const clock = clockOf(mql(FRI_1630, owner).clocks, 'mql-first-touch');
    expect(clock.timezone).toBe(zone);
    expect(show(clock.dueAt, zone)).toBe(due);
  });

  it('the speed-to-lead ladder is at exactly 5, 15, 30 and 60 wall minutes, also over the spring-forward gap', () => {
    for (const start of [FRI_1630, at('2026-03-08T01:50')]) {
      const { clocks, effects } = mql(start);
      const speed = clockOf(clocks, 'speed-to-lead');
      expect(speed.dueAt - start).toBe(5 * M);
      expect(speed.business).toBe(false);
      expect(timersOf(effects).map((t) => t.key)).toEqual([
        `${speed.key}:due`,
        `${clockOf(clocks, 'mql-first-touch').key}:due`,
      ]);
      const ladder = ladderTimers(MODEL, definitionOf('speed-to-lead'), speed).filter((t) =>
        t.key.startsWith(`${speed.key}:step:`),
      );
      expect(ladder.map((t) => [t.key.slice(speed.key.length), (t.dueAt - start) / M])).toEqual([
        [':step:0', 5],
        [':step:1', 15],
        [':step:2', 30],
        [':step:3', 60],
      ]);
    }
    // 01:50 EST + 15 real minutes is 03:05 EDT on the local clock.
    expect(show(at('2026-03-08T01:50') + 15 * M)).toBe('2026-03-08T03:05:00.000-04:00');
  });

  it('does not start a clock of the same id that still runs, and says so', () => {
    const first = mql(FRI_1630);
    const again = startClocks({
      model: MODEL,
      trigger: { kind: 'stage', stage: 'mql', at: FRI_1630 + H, cause: 'e2' },
      contact: { key: LEAD, stage: 'mql', owner: 'sofia' },
      running: first.clocks,
    });
    expect(again.clocks).toEqual([]);
    expect(again.effects).toEqual([]);
    expect(again.trace.map((t) => t.detail)).toEqual([
      'already running since 2026-01-09T21:30:00.000Z',
      'already running since 2026-01-09T21:30:00.000Z',
    ]);
  });

  it('starts event clocks when `start.when` holds, tier clocks on a named-account assignment, queue clocks on queueing', () => {
    const meeting = (action: string): InboundEvent => ({
      id: `m-${action}`,
      type: 'meeting',
      at: FRI_1630,
      source: 'api',
      contact: {},
      company: {},
      properties: { action },
    });
    const start = (event: InboundEvent) =>
      startClocks({
        model: MODEL,
        trigger: {
          kind: 'event',
          event,
          context: { event: { type: event.type, properties: event.properties } },
        },
        contact: { key: LEAD, stage: 'sql', owner: 'sofia' },
        running: [],
      });
    const held = start(meeting('held'));
    expect(held.clocks).toEqual([]);
    expect(held.trace).toEqual([
      {
        clockId: 'demo-follow-up',
        started: false,
        detail: 'start.when is false: event.properties.action == "booked"',
      },
    ]);
    const onBooked = start(meeting('booked'));
    expect(onBooked.clocks.map((c) => [c.clockId, c.dueAt - FRI_1630, c.cause])).toEqual([
      ['demo-follow-up', 48 * H, 'm-booked'],
    ]);

    const assigned = startClocks({
      model: MODEL,
      trigger: { kind: 'assigned', owner: 'priya', tier: 1, at: FRI_1630, cause: 'e3' },
      contact: { key: LEAD, stage: 'mql' },
      running: [],
    });
    expect(assigned.clocks.map((c) => [c.clockId, c.owner, c.dueAt - FRI_1630])).toEqual([
      ['abm-tier-1', 'priya', H],
    ]);
    const queued = startClocks({
      model: MODEL,
      trigger: { kind: 'queued', queue: 'inbound', at: FRI_1630, cause: 'e4' },
      contact: { key: LEAD, stage: 'mql' },
      running: [],
    });
    const queueClock = clockOf(queued.clocks, 'queue-inbound');
    expect(queueClock.dueAt - FRI_1630).toBe(H);
    expect(queueClock.owner).toBeUndefined();
    const picked = stopClocks({
      model: MODEL,
      clocks: queued.clocks,
      signal: { kind: 'assigned', owner: 'leo', at: FRI_1630 + 20 * M },
    });
    expect(picked.clocks.map((c) => [c.status, c.metAt, c.stopReason])).toEqual([
      ['met', FRI_1630 + 20 * M, 'assigned'],
    ]);
  });
});

describe('the escalation ladder', () => {
  const start = mql(FRI_1630);
  const speed = clockOf(start.clocks, 'speed-to-lead');
  const timer = (suffix: string) =>
    fired(
      ladderTimers(MODEL, definitionOf('speed-to-lead'), speed).find(
        (t) => t.key === `${speed.key}${suffix}`,
      ),
    );
  const zoe = contact();

  /**
   * Fires the clock's timers until `until` as the runner would: the one scheduled at the start, then
   * each next timer a fired one schedules, threading the clock through.
   */
  function climb(until: number, clock: SlaClock = speed) {
    let next = timersOf(start.effects).find((t) => t.key.startsWith(speed.key));
    let current = clock;
    const decisions = [];
    while (next !== undefined && next.dueAt <= until) {
      const decision = decideSlaTimer({
        model: MODEL,
        timer: fired(next),
        clock: current,
        contact: zoe,
        now: next.dueAt,
      });
      decisions.push(decision);
      current = decision.clock ?? current;
      next = timersOf(decision.effects)[0];
    }
    return { clock: current, decisions };
  }

  it('fires at exactly 5, 15, 30 and 60 minutes: rep, backup, manager, then a reassignment', () => {
    const { clock, decisions } = climb(FRI_1630 + 60 * M);
    expect(
      decisions.map((d) =>
        d.effects.flatMap((e) =>
          e.kind === 'outbox' ? [[e.type, e.payload['to'], (e.at - FRI_1630) / M]] : [],
        ),
      ),
    ).toEqual([
      [['sla_breached', undefined, 5]],
      [['sla_escalation', 'rep:sofia', 5]],
      [['sla_escalation', 'rep:priya', 15]],
      [['sla_escalation', 'rep:dan', 30]],
      [],
    ]);
    // Each fired timer schedules the next rung; the reassignment schedules none (the clock restarts).
    expect(
      decisions.map((d) =>
        timersOf(d.effects).map((t) => [t.key.slice(speed.key.length), (t.dueAt - FRI_1630) / M]),
      ),
    ).toEqual([[[':step:0', 5]], [[':step:1', 15]], [[':step:2', 30]], [[':step:3', 60]], []]);
    expect(decisions[4]?.reassign).toEqual({
      reason: 'speed-to-lead: no stop signal within 60m (sla clock speed-to-lead, step 4)',
      expectedOwner: 'sofia',
      restart: [speed.key],
    });
    expect(clock.status).toBe('breached');
    expect(clock.breachedAt).toBe(FRI_1630 + 5 * M);
    expect(clock.steps).toEqual([
      { index: 0, action: 'notify_rep', at: FRI_1630 + 5 * M, to: 'rep:sofia' },
      { index: 1, action: 'notify_backup', at: FRI_1630 + 15 * M, to: 'rep:priya' },
      { index: 2, action: 'notify_manager', at: FRI_1630 + 30 * M, to: 'rep:dan' },
      { index: 3, action: 'reassign', at: FRI_1630 + 60 * M, to: 'rep:sofia' },
    ]);
  });

  it('an escalation carries the lead context, the due time and a stable key', () => {
    const decision = decideSlaTimer({
      model: MODEL,
      timer: timer(':step:0'),
      clock: speed,
      contact: zoe,
      now: FRI_1630 + 5 * M,
    });
    expect(decision.effects.filter((e) => e.kind === 'outbox')).toStrictEqual([
      {
        kind: 'outbox',
        key: `sla-step:${speed.key}:0`,
        type: 'sla_escalation',
        contactKey: LEAD,
        at: FRI_1630 + 5 * M,
        payload: {
          to: 'rep:sofia',
          action: 'notify_rep',
          step: 0,
          after: '5m',
          message: 'Zoe Park has had no touch yet.',
          sla: speed.key,
          clock: 'speed-to-lead',
          clockName: 'speed-to-lead',
          contact: LEAD,
          email: 'zoe@acme.com',
          name: 'Zoe Park',
          company: 'Acme',
          owner: 'sofia',
          startedAt: '2026-01-09T21:30:00.000Z',
          dueAt: '2026-01-09T21:35:00.000Z',
          target: '5m',
        },
      },
    ]);
    // Fired again (a retried claim), the recorded step does nothing.
    const again = decideSlaTimer({
      model: MODEL,
      timer: timer(':step:0'),
      clock: decision.clock,
      contact: zoe,
      now: FRI_1630 + 6 * M,
    });
    expect(again).toEqual({ effects: [], flags: [], skipped: 'step 0 already fired' });
  });

  it('a touch at 20 minutes stops it: nothing fires after, the remaining timers are cancelled', () => {
    const { clock } = climb(FRI_1630 + 20 * M);
    const touch: SlaSignal = { kind: 'touch', rep: 'sofia', at: FRI_1630 + 20 * M };
    const stopped = stopClocks({
      model: MODEL,
      clocks: [clock, clockOf(start.clocks, 'mql-first-touch')],
      signal: touch,
    });
    const [speedAfter, firstAfter] = stopped.clocks;
    expect(speedAfter).toMatchObject({
      status: 'breached',
      stoppedAt: FRI_1630 + 20 * M,
      stopReason: 'touch',
      lateMs: 15 * M,
      lateWallMs: 15 * M,
      breachedAt: FRI_1630 + 5 * M,
    });
    expect(speedAfter?.metAt).toBeUndefined();
    expect(firstAfter).toMatchObject({ status: 'met', metAt: FRI_1630 + 20 * M, stopReason: 'touch' });
    expect(firstAfter?.lateMs).toBeUndefined();
    expect(stopped.effects).toEqual([
      { kind: 'cancelTimer', key: `${speed.key}:due` },
      { kind: 'cancelTimer', key: `${speed.key}:step:2` },
      { kind: 'cancelTimer', key: `${speed.key}:step:3` },
      { kind: 'cancelTimer', key: `${firstAfter?.key}:due` },
      { kind: 'cancelTimer', key: `${firstAfter?.key}:step:0` },
    ]);
    for (const suffix of [':step:2', ':step:3', ':due']) {
      const late = decideSlaTimer({
        model: MODEL,
        timer: timer(suffix),
        clock: speedAfter,
        contact: zoe,
        now: FRI_1630 + 30 * M,
      });
      expect(late).toEqual({ effects: [], flags: [], skipped: 'the clock is already breached' });
      expect(late.effects).toEqual([]);
    }
  });

  it('a step the config no longer has does nothing, and the clock goes on to its next rung', () => {
    const { clock } = climb(FRI_1630 + 5 * M);
    expect(clock.steps.map((s) => s.index)).toEqual([0]);
    const withoutBackup: SlaModel = Object.assign({}, MODEL, {
      clocks: MODEL.clocks.map((c) =>
        c.id === 'speed-to-lead' ? Object.assign({}, c, { steps: c.steps.filter((s) => s.index !== 1) }) : c,
      ),
    });
    const decision = decideSlaTimer({
      model: withoutBackup,
      timer: timer(':step:1'),
      clock,
      contact: zoe,
      now: FRI_1630 + 15 * M,
    });
    expect(decision.skipped).toBe('the clock has no step 1');
    expect(
      timersOf(decision.effects).map((t) => [t.key.slice(speed.key.length), (t.dueAt - FRI_1630) / M]),
    ).toEqual([[':step:2', 30]]);
  });

  it('only the owner, their backup or their manager stop it by touching', () => {
    const clocks = [speed];
    const by = (rep: string | undefined) =>
      stopClocks({ model: MODEL, clocks, signal: { kind: 'touch', rep, at: FRI_1630 + M } }).clocks.length;
    expect([by('jonas'), by('leo'), by('sofia'), by('priya'), by('dan'), by(undefined)]).toEqual([
      0, 0, 1, 1, 1, 1,
    ]);
  });

  it('a timer of an earlier run of the clock does nothing', () => {
    const stale = { ...timer(':due'), payload: { ...timer(':due').payload, startedAt: FRI_1630 - H } };
    expect(decideSlaTimer({ model: MODEL, timer: stale, clock: speed, now: FRI_1630 + 5 * M }).skipped).toBe(
      'no running clock for this timer (stopped, restarted or gone)',
    );
    expect(
      decideSlaTimer({ model: MODEL, timer: timer(':due'), clock: undefined, now: FRI_1630 + 5 * M }).skipped,
    ).toBe('no running clock for this timer (stopped, restarted or gone)');
  });

  it('a reassignment restarts the clock for the new owner, in their calendar', () => {
    const { clock } = climb(FRI_1630 + 60 * M);
    const at60 = FRI_1630 + 60 * M;
    const first = clockOf(start.clocks, 'mql-first-touch');
    const restarted = restartClocks({
      model: MODEL,
      clocks: [clock, first],
      owner: 'priya',
      at: at60,
      cause: 'timer:x',
    });
    const [oldSpeed, freshSpeed, oldFirst, freshFirst] = restarted.clocks;
    expect(oldSpeed).toMatchObject({
      status: 'breached',
      stopReason: 'reassigned',
      stoppedAt: at60,
      lateMs: 55 * M,
    });
    expect(oldFirst).toMatchObject({ status: 'cancelled', stopReason: 'reassigned', stoppedAt: at60 });
    expect(freshSpeed).toMatchObject({
      status: 'open',
      owner: 'priya',
      startedAt: at60,
      dueAt: at60 + 5 * M,
      cause: 'timer:x',
      steps: [],
    });
    // Priya (Los Angeles) at 14:30 her time: 2.5 hours on Friday, 1.5 on Monday.
    expect(show(freshFirst?.dueAt ?? 0, 'America/Los_Angeles')).toBe('2026-01-12T10:30:00.000-08:00');
    // Each restarted clock schedules the first timer of its fresh ladder.
    expect(timersOf(restarted.effects).map((t) => t.key)).toEqual([
      `sla:${LEAD}:speed-to-lead:${at60}:due`,
      `sla:${LEAD}:mql-first-touch:${at60}:due`,
    ]);
  });

  it('a breach runs onBreach: the manager is alerted and the flag raised', () => {
    const first = clockOf(start.clocks, 'mql-first-touch');
    const due = fired(timersOf(start.effects).find((t) => t.key === `${first.key}:due`));
    const decision = decideSlaTimer({
      model: MODEL,
      timer: due,
      clock: first,
      contact: zoe,
      now: first.dueAt + 2 * M,
    });
    expect(decision.clock).toMatchObject({
      status: 'breached',
      breachedAt: first.dueAt,
      lateMs: 2 * M,
      lateWallMs: 2 * M,
    });
    expect(decision.flags).toEqual(['sla_missed']);
    expect(
      decision.effects.map((e) => (e.kind === 'outbox' ? [e.key, e.type, e.payload['to'] ?? null] : e.kind)),
    ).toEqual([
      [`sla-breach:${first.key}`, 'sla_breached', null],
      [`notify:${LEAD}:sla:mql-first-touch:${first.dueAt}:0:0`, 'notify', 'rep:dan'],
      // The breached clock runs on: its next rung (the manager at the due time) is scheduled.
      'timer',
    ]);
    expect(timersOf(decision.effects).map((t) => [t.key, t.dueAt])).toEqual([
      [`${first.key}:step:0`, first.dueAt],
    ]);
  });

  it('flag steps raise their flag', () => {
    const sql = startClocks({
      model: MODEL,
      trigger: { kind: 'stage', stage: 'sql', at: FRI_1630, cause: 'e9' },
      contact: { key: LEAD, stage: 'sql', owner: 'sofia' },
      running: [],
    });
    const clock = clockOf(sql.clocks, 'opportunity-created');
    expect(show(clock.dueAt)).toBe('2026-01-16T16:30:00.000-05:00');
    const step = fired(
      ladderTimers(MODEL, definitionOf('opportunity-created'), clock).find(
        (t) => t.key === `${clock.key}:step:0`,
      ),
    );
    const decision = decideSlaTimer({ model: MODEL, timer: step, clock, now: step.dueAt });
    expect(decision.flags).toEqual(['pipeline_review']);
    expect(decision.clock?.steps).toEqual([
      { index: 0, action: 'flag', at: clock.dueAt, to: 'pipeline_review' },
    ]);
  });
});

describe('stop signals', () => {
  it('a stage exit stops clocks started in that stage; entering a named stage stops its clocks', () => {
    const mqlClocks = mql(FRI_1630).clocks;
    const exit = stopClocks({
      model: MODEL,
      clocks: mqlClocks,
      signal: { kind: 'stage', from: 'mql', to: 'sql', at: FRI_1630 + H },
    });
    expect(exit.clocks.map((c) => [c.clockId, c.status, c.stopReason])).toEqual([
      ['speed-to-lead', 'breached', 'stage_exit'],
      ['mql-first-touch', 'met', 'stage_exit'],
    ]);
    const sql = startClocks({
      model: MODEL,
      trigger: { kind: 'stage', stage: 'sql', at: FRI_1630, cause: 'e9' },
      contact: { key: LEAD, stage: 'sql', owner: 'sofia' },
      running: [],
    }).clocks;
    const other = stopClocks({
      model: MODEL,
      clocks: sql,
      signal: { kind: 'stage', from: 'mql', to: 'recycled', at: FRI_1630 + H },
    });
    expect(other.clocks).toEqual([]);
    const entered = stopClocks({
      model: MODEL,
      clocks: sql,
      signal: { kind: 'stage', from: 'sql', to: 'opportunity', at: FRI_1630 + H },
    });
    expect(entered.clocks.map((c) => [c.clockId, c.status, c.stopReason])).toEqual([
      ['opportunity-created', 'met', 'stage:opportunity'],
    ]);
  });

  it('reads the signals of an event: a touch, a meeting, a decision, a deal', () => {
    const e = (type: string, properties: Record<string, string>): InboundEvent => ({
      id: 'x',
      type,
      at: FRI_1630,
      source: 'api',
      contact: {},
      company: {},
      properties,
    });
    const kinds = (event: InboundEvent) => eventSignals(event, {}).map((s) => s.kind);
    expect(eventSignals(e('rep_activity', { kind: 'call', rep: 'leo' }), {})[0]).toEqual({
      kind: 'touch',
      rep: 'leo',
      at: FRI_1630,
    });
    expect(kinds(e('meeting', { action: 'held' }))).toEqual(['meeting', 'event']);
    expect(kinds(e('meeting', { action: 'no_show' }))).toEqual(['event']);
    expect(kinds(e('sales_decision', { decision: 'reject' }))).toEqual(['sales_decision', 'event']);
    expect(eventSignals(e('deal', { action: 'created', stage: 'qualified' }), {}).slice(0, 2)).toEqual([
      { kind: 'deal_created', at: FRI_1630 },
      { kind: 'dealStage', stage: 'qualified', at: FRI_1630 },
    ]);
    const sql = startClocks({
      model: MODEL,
      trigger: { kind: 'stage', stage: 'sql', at: FRI_1630, cause: 'e9' },
      contact: { key: LEAD, stage: 'sql', owner: 'sofia' },
      running: [],
    }).clocks;
    const stopped = stopClocksBySignals({
      model: MODEL,
      clocks: sql,
      signals: eventSignals(e('deal', { action: 'created' }), {}),
    });
    expect(stopped.clocks.map((c) => [c.clockId, c.status, c.stopReason])).toEqual([
      ['opportunity-created', 'met', 'deal_created'],
    ]);
  });

  it('a signal from before the clock started does not stop it', () => {
    const clocks = mql(FRI_1630).clocks;
    expect(stopClocks({ model: MODEL, clocks, signal: { kind: 'touch', at: FRI_1630 - 1 } }).clocks).toEqual(
      [],
    );
  });
});

describe('met or breached, never both (property)', () => {
  const START = at('2020-01-01T00:00');
  const END = at('2030-01-01T00:00');
  prop.prop(
    [
      fc.integer({ min: START, max: END }),
      fc.integer({ min: 0, max: 5 * 24 * 60 }),
      fc.boolean(),
      fc.constantFrom('sofia', 'priya', 'jonas'),
    ],
    { numRuns: 300 },
  )(
    'a touch before due meets the clock; after, it is breached by touch − due',
    (start, minutes, fireDueFirst, owner) => {
      const started = mql(start, owner);
      const touchAt = start + minutes * M;
      for (const clock of started.clocks) {
        let current = clock;
        if (fireDueFirst && touchAt > clock.dueAt) {
          const due = fired(timersOf(started.effects).find((t) => t.key === `${clock.key}:due`));
          current = decideSlaTimer({ model: MODEL, timer: due, clock, now: clock.dueAt }).clock ?? clock;
          expect(current.status).toBe('breached');
        }
        const [stopped] = stopClocks({
          model: MODEL,
          clocks: [current],
          signal: { kind: 'touch', at: touchAt },
        }).clocks;
        if (stopped === undefined) throw new Error('the touch did not stop the clock');
        if (touchAt <= clock.dueAt) {
          expect(stopped.status).toBe('met');
          expect(stopped.metAt).toBe(touchAt);
          expect(stopped.breachedAt).toBeUndefined();
          expect(stopped.lateMs).toBeUndefined();
        } else {
          const calendar = MODEL.calendarOf(owner);
          const measure = clock.business
            ? calendar.businessTimeBetween(clock.dueAt, touchAt)
            : touchAt - clock.dueAt;
          expect(stopped.status).toBe('breached');
          expect(stopped.metAt).toBeUndefined();
          expect(stopped.breachedAt).toBe(clock.dueAt);
          expect(stopped.lateMs).toBe(measure);
          expect(stopped.lateWallMs).toBe(touchAt - clock.dueAt);
        }
        expect(stopped.stoppedAt).toBe(touchAt);
      }
    },
  );
});

describe('concernsAnyClock', () => {
  const event = (type: string, action?: string): InboundEvent => ({
    id: `e-${type}`,
    type,
    at: FRI_1630,
    source: 'api',
    contact: {},
    company: {},
    properties: action === undefined ? {} : { action },
  });
  const onEvent = (e: InboundEvent): SlaTrigger => ({
    kind: 'event',
    event: e,
    context: { event: { type: e.type, properties: e.properties } },
  });
  const triggers: [string, SlaTrigger][] = [
    ['a page view', onEvent(event('page_view'))],
    ['a meeting booked', onEvent(event('meeting', 'booked'))],
    ['a meeting held (start.when false: traced)', onEvent(event('meeting', 'held'))],
    ['entering mql', { kind: 'stage', stage: 'mql', at: FRI_1630, cause: 'e1' }],
    ['entering lead', { kind: 'stage', stage: 'lead', at: FRI_1630, cause: 'e1' }],
    ['queued in inbound', { kind: 'queued', queue: 'inbound', at: FRI_1630, cause: 'e1' }],
    ['queued elsewhere', { kind: 'queued', queue: 'partners', at: FRI_1630, cause: 'e1' }],
    ['assigned, tier 1', { kind: 'assigned', owner: 'sofia', tier: 1, at: FRI_1630, cause: 'e1' }],
    ['a deal entering demo', { kind: 'dealStage', stage: 'demo', at: FRI_1630, cause: 'e1' }],
  ];

  it.each(triggers)(
    'agrees with startClocks on %s: true exactly when a clock starts or is traced',
    (_, trigger) => {
      const started = startClocks({
        model: MODEL,
        trigger,
        contact: { key: LEAD, stage: 'sql', owner: 'sofia' },
        running: [],
      });
      expect(concernsAnyClock(MODEL, trigger)).toBe(started.clocks.length > 0 || started.trace.length > 0);
    },
  );

  it('is false for a page view and true for a booked meeting (the list above is not all one answer)', () => {
    expect(concernsAnyClock(MODEL, triggers[0]![1])).toBe(false);
    expect(concernsAnyClock(MODEL, triggers[1]![1])).toBe(true);
    expect(concernsAnyClock(MODEL, triggers[2]![1])).toBe(true);
  });
});

describe('the scheduled timer is the first pending rung of the ladder', () => {
  /** Durations that tie with each other and with the targets (5m, 1h, 4 business hours). */
  const AFTER = ['5m', '1h', '4 business hours', '30m', '1 business day', '0m'] as const;
  const ACTIONS = ['notify_rep', 'notify_backup', 'notify_manager', 'flag'] as const;
  const ladder = fc.record({
    target: fc.constantFrom('5m', '1h', '4 business hours'),
    calendar: fc.constantFrom('company' as const, 'owner' as const),
    steps: fc.array(fc.tuple(fc.constantFrom(...AFTER), fc.constantFrom(...ACTIONS)), { maxLength: 6 }),
    owner: fc.constantFrom('sofia', 'priya', 'jonas'),
    start: fc.integer({ min: at('2026-01-05T00:00'), max: at('2026-01-12T00:00') }),
    breached: fc.boolean(),
    fired: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
  });

  prop.prop([ladder], { numRuns: 300 })(
    'on starting and after any steps fired: what sorting every rung would schedule',
    ({ target, calendar, steps: rows, owner, start, breached, fired: wasFired }) => {
      const definition = clockModel({
        id: 'generated',
        target: dur(target),
        calendar,
        steps: steps(...rows.map(([after, action]): [string, SlaStep['action']] => [after, action])),
      });
      const model: SlaModel = { ...MODEL, clocks: [definition] };
      const started = startClocks({
        model,
        trigger: { kind: 'stage', stage: 'mql', at: start, cause: 'e1' },
        contact: { key: LEAD, stage: 'mql', owner },
        running: [],
      });
      const clock = clockOf(started.clocks, 'generated');
      const every = ladderTimers(model, definition, clock);
      expect(every).toHaveLength(rows.length + 1);
      expect(timersOf(started.effects)).toStrictEqual([every[0]]);
      // Later: some steps recorded, maybe breached; the next timer is the first rung still to fire.
      const later: SlaClock = {
        ...clock,
        status: breached ? 'breached' : 'open',
        steps: definition.steps
          .filter((s) => wasFired[s.index] === true)
          .map((s) => ({ index: s.index, action: s.action, at: start })),
      };
      const pending = every.find((t) => {
        const step = t.payload['step'];
        return typeof step === 'number' ? wasFired[step] !== true : !breached;
      });
      expect(nextClockTimer(model, later)).toStrictEqual(pending);
    },
  );
});
