/** Per-day capacity counts from the quarter-hour assignment slots the store aggregates. */
import { describe, expect, it } from 'vitest';
import { at, rep, routingModel } from '../routing/__fixtures__/builders.ts';
import { ASSIGNMENT_SLOT_MS } from '../ports.ts';
import { assignedPerDay } from './routeContact.ts';

describe('assignedPerDay', () => {
  it("counts each slot's leads on the rep's local date, either side of the rep's midnight", () => {
    const model = routingModel({ reps: [rep('ana'), rep('kenji', { timezone: 'Asia/Kolkata' })] });
    // 23:45 and 00:00 in New York; the same instants are 10:15 and 10:30 in Kolkata (UTC+5:30).
    const lateMonday = at('2026-11-30T23:45');
    const tuesday = at('2026-12-01T00:00');
    expect(lateMonday % ASSIGNMENT_SLOT_MS).toBe(0);
    const perDay = assignedPerDay(
      model,
      new Map([
        [
          'ana',
          [
            { at: lateMonday, n: 3 },
            { at: tuesday, n: 2 },
          ],
        ],
        [
          'kenji',
          [
            { at: lateMonday, n: 4 },
            { at: tuesday, n: 1 },
          ],
        ],
      ]),
    );
    expect(perDay).toEqual(
      new Map([
        [
          'ana',
          new Map([
            ['2026-11-30', 3],
            ['2026-12-01', 2],
          ]),
        ],
        ['kenji', new Map([['2026-12-01', 5]])],
      ]),
    );
  });
});
