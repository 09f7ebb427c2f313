// How the SLA board orders clocks and says how long is left.
import { describe, expect, it } from 'vitest';
import type { SlaClock } from '../core/sla/model.ts';
import { boardOrder, dueText, type ClockRow } from './clockTerms.ts';

const clock = (key: string, dueAt: number, status: SlaClock['status'] = 'open'): SlaClock => ({
  key,
  contactKey: `email:${key}@x.io`,
  clockId: 'c',
  name: 'C',
  startedAt: 0,
  dueAt,
  status,
  target: '4 business hours',
  business: true,
  timezone: 'UTC',
  cause: 'e',
  steps: [],
  updatedAt: 0,
});
const row = (c: SlaClock, now: number): ClockRow => ({
  clock: c,
  lead: { key: c.contactKey, name: c.key },
  due: { wallMs: c.dueAt - now },
});

describe('the SLA board', () => {
  it('puts overdue clocks first (most overdue on top), then the soonest due', () => {
    const now = 1000;
    const rows = [
      row(clock('later', 5000), now),
      row(clock('late', 900), now),
      row(clock('soon', 2000), now),
      row(clock('breached', 100, 'breached'), now),
    ];
    expect(boardOrder(rows).map((r) => r.clock.key)).toEqual(['breached', 'late', 'soon', 'later']);
  });

  it('says the time left in business terms, and the wall time beside it', () => {
    const h = 3_600_000;
    expect(dueText({ wallMs: 5 * h, businessMs: 4 * h })).toBe(
      '4 h of business time left (5 h on the clock)',
    );
    expect(dueText({ wallMs: 14 * h, businessMs: 0 })).toBe('due at the next opening (14 h on the clock)');
    expect(dueText({ wallMs: -26 * h, businessMs: -(8 * h + 30 * 60_000) })).toBe(
      'overdue by 8 h 30 min of business time (1 d 2 h on the clock)',
    );
    expect(dueText({ wallMs: 230 * 60_000 })).toBe('due in 3 h 50 min');
    expect(dueText({ wallMs: -30_000 })).toBe('overdue by < 1 min');
  });
});
