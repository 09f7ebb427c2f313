/**
 * A customer a few weeks after the deal closed won: the NPS answer; promoters become evangelists and
 * some refer a peer.
 */
import { about } from './events.ts';
import type { Random } from './random.ts';
import type { SalesContext } from './reaction.ts';
import { DAY } from './time.ts';
import type { DemoPerson } from './world.ts';

export async function survey(ctx: SalesContext, p: DemoPerson, r: Random): Promise<void> {
  const contact = await ctx.lead();
  if (contact?.stage !== 'customer') return;
  const score = r.weighted([
    [10, 25],
    [9, 22],
    [8, 20],
    [7, 13],
    [6, 8],
    [4, 7],
    [2, 5],
  ] as const);
  ctx.send(
    about(p, ctx.at, 'nps', 'survey', {
      score,
      comment: score >= 9 ? 'Speed-to-lead finally visible' : 'Setup took a while',
    }),
  );
  if (score >= 9 && r.chance(0.35)) {
    const referred = `${r.pick(['alex', 'sam', 'jordan', 'casey'])}.${p.lastName.toLowerCase()}@${r.pick(['brightline-labs', 'summit-cloud', 'atlas-systems'])}.example`;
    ctx.send(
      about(p, ctx.at + r.int(3, 12) * DAY, 'referral', 'crm', { referred, program: 'customer-referral' }),
    );
  }
}
