/**
 * After sales accepts a lead: the meeting gets booked (by the lead, on the scheduling tool) and
 * held or missed; most SQLs then become deals (deal.ts plays their life), some are rejected after
 * all. Each step reads the lead back and stops if it moved on.
 */
import type { Millis } from '../core/types.ts';
import { createDeal, stageIs, zoneOf } from './deal.ts';
import { about } from './events.ts';
import type { Random } from './random.ts';
import type { SalesContext } from './reaction.ts';
import { afterWorkDays, duringWork, HOUR } from './time.ts';
import type { DemoPerson } from './world.ts';

type Ctx = SalesContext;

/** Accepted: the lead books a meeting (most do), which is then held or missed. */
export async function startPipeline(ctx: Ctx, p: DemoPerson, r: Random): Promise<void> {
  const rep = await stageIs(ctx, ['sql']);
  if (rep === undefined || !r.chance(0.9)) return; // some never book: the meeting SLA flags them
  book(ctx, p, r, rep, duringWork(r, ctx.at + r.int(1, 20) * HOUR, p.company.place.zone), 0);
}

function book(ctx: Ctx, p: DemoPerson, r: Random, rep: string, at: Millis, missed: number): void {
  const startsAt = afterWorkDays(
    r,
    at,
    r.weighted([
      [1, 45],
      [2, 35],
      [3, 12],
      [4, 8],
    ] as const),
    zoneOf(ctx, rep),
  );
  ctx.send(
    about(p, at, 'meeting', 'scheduling', {
      action: 'booked',
      startsAt: new Date(startsAt).toISOString(),
      rep,
    }),
  );
  ctx.later(startsAt, async (c) => {
    const owner = await stageIs(c, ['sql', 'opportunity']);
    if (owner === undefined) return;
    if (missed === 0 && r.chance(0.12)) {
      c.send(
        about(p, c.at + 15 * 60_000, 'meeting', 'scheduling', {
          action: 'no_show',
          startsAt: new Date(startsAt).toISOString(),
          rep,
        }),
      );
      book(c, p, r, owner, afterWorkDays(r, c.at, r.int(1, 2), zoneOf(c, owner)), missed + 1);
      return;
    }
    c.send(
      about(p, c.at + 45 * 60_000, 'meeting', 'scheduling', {
        action: 'held',
        startsAt: new Date(startsAt).toISOString(),
        rep,
      }),
    );
    afterMeeting(c, p, r, owner);
  });
}

/** After discovery: most become deals, some are rejected after all, the rest wait. */
function afterMeeting(ctx: Ctx, p: DemoPerson, r: Random, rep: string): void {
  const roll = r.next();
  const zone = zoneOf(ctx, rep);
  if (roll < 0.72) {
    ctx.later(
      r.chance(0.4)
        ? duringWork(r, ctx.at + r.int(2, 6) * HOUR, zone)
        : afterWorkDays(r, ctx.at, r.int(1, 2), zone),
      (c) => createDeal(c, p, r),
    );
  } else if (roll < 0.86) {
    ctx.later(afterWorkDays(r, ctx.at, r.int(2, 8), zone), async (c) => {
      const owner = await stageIs(c, ['sql']);
      if (owner === undefined) return;
      const reasonCode = r.weighted([
        ['QUAL-01', 40],
        ['ENG-02', 40],
        ['QUAL-03', 20],
      ] as const);
      if (!c.team.reasonCodes.has(reasonCode)) return;
      c.send(about(p, c.at, 'sales_decision', 'crm', { decision: 'reject', reasonCode, rep: owner }));
    });
  }
}
