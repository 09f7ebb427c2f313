import { describe, expect, it } from 'vitest';
import type { TaskRow } from '../ports.ts';
import { tasksClosedBy } from './close.ts';

const LEAD = 'email:zoe@acme-widgets.com';
const T0 = Date.parse('2026-01-09T21:30:00Z');
const task = (key: string, assignee: string, createdAt = T0): TaskRow => ({
  key,
  contactKey: LEAD,
  title: `Follow up (${key})`,
  assignee,
  dueAt: Date.parse('2026-01-12T17:30:00Z'),
  createdAt,
  status: 'open',
});

describe('tasksClosedBy', () => {
  const open = [task('t1', 'rep:sofia'), task('t2', 'team:general'), task('t3', 'rep:sofia', T0 + 3_600_000)];

  it("closes the touching rep's earlier tasks for the lead and cancels their reminders", () => {
    const touch = { contactKey: LEAD, at: T0 + 600_000, kind: 'call', rep: 'sofia', eventId: 'e2' };
    expect(tasksClosedBy([touch], open, () => undefined)).toEqual([
      { kind: 'task', ...task('t1', 'rep:sofia'), status: 'done' },
      { kind: 'cancelTimer', key: 'task-due:t1' },
    ]);
  });

  it("a touch without a rep is the owner's; another rep's touch closes nothing", () => {
    const byOwner = { contactKey: LEAD, at: T0 + 7_200_000, kind: 'email', eventId: 'e3' };
    expect(tasksClosedBy([byOwner], open, () => 'sofia').map((e) => e.kind === 'task' && e.key)).toEqual([
      't1',
      false,
      't3',
      false,
    ]);
    const byPriya = { contactKey: LEAD, at: T0 + 7_200_000, kind: 'call', rep: 'priya', eventId: 'e4' };
    expect(tasksClosedBy([byPriya], open, () => 'sofia')).toEqual([]);
  });

  it('closes each task once however many touches meet it', () => {
    const touch = { contactKey: LEAD, at: T0 + 600_000, kind: 'call', rep: 'sofia', eventId: 'e2' };
    expect(
      tasksClosedBy([touch, Object.assign({}, touch, { eventId: 'e5' })], open, () => undefined),
    ).toHaveLength(2);
  });

  it("a sales decision closes all the lead's earlier tasks, whoever holds them, but not those it creates", () => {
    const decision = { contactKey: LEAD, at: T0 + 3_600_000 };
    const other = Object.assign(task('t4', 'rep:sofia'), { contactKey: 'email:bo@brightlane.io' });
    expect(
      tasksClosedBy([], [...open, other], () => undefined, [decision]).map((e) =>
        e.kind === 'task' ? `${e.key} ${e.status}` : e.kind === 'cancelTimer' ? e.key : e.kind,
      ),
    ).toEqual(['t1 done', 'task-due:t1', 't2 done', 'task-due:t2']);
  });
});
