/**
 * After sales accepts a lead: the meeting gets booked (by the lead, on the scheduling tool) and
 * held or missed, most SQLs become deals that move through the pipeline stages with the fields
 * each stage asks for, some are lost (and the lead recycled), some won; customers answer the NPS
 * survey and a few promoters refer someone. Each step reads the lead back and stops if it moved on.
 */
import type { Millis } from '../core/types.ts';
import { about } from './events.ts';
import { LOSS_REASONS } from './names.ts';
import type { Random } from './random.ts';
import type { SalesContext } from './reaction.ts';
import { DAY, afterWorkDays, duringWork, HOUR } from './time.ts';
import type { DemoPerson } from './world.ts';

type Ctx = SalesContext;

const STAGES = ['discovery', 'demo', 'proposal', 'negotiation'] as const;
/** The chance a deal is lost at each stage instead of moving on. */
const LOSS = { discovery: 0.12, demo: 0.16, proposal: 0.22, negotiation: 0.3 } as const;

async function stageIs(ctx: Ctx, p: DemoPerson, stages: readonly string[]): Promise<string | undefined> {
  const contact = await ctx.lead();
  if (contact === undefined || !stages.includes(contact.stage)) return undefined;
  return contact.owner ?? ctx.team.queueRep ?? '';
}

function zoneOf(ctx: Ctx, rep: string): string {
  return ctx.team.reps.get(rep)?.zone ?? ctx.team.zone;
}

/** Accepted: the lead books a meeting (most do), which is then held or missed. */
export async function startPipeline(ctx: Ctx, p: DemoPerson, r: Random): Promise<void> {
  const rep = await stageIs(ctx, p, ['sql']);
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
    const owner = await stageIs(c, p, ['sql', 'opportunity']);
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
      const owner = await stageIs(c, p, ['sql']);
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

async function createDeal(ctx: Ctx, p: DemoPerson, r: Random): Promise<void> {
  const rep = await stageIs(ctx, p, ['sql']);
  if (rep === undefined) return;
  const size = p.company.employees;
  const scale = size < 100 ? 0.6 : size < 500 ? 1 : size < 2000 ? 1.6 : 2.6;
  const amount = Math.round((ctx.team.acv * scale * r.between(0.6, 1.5)) / 500) * 500;
  const deal = {
    dealId: `D-${p.index}-${Math.floor(ctx.at / DAY)}`,
    name: `${p.company.name} — new business`,
    currency: 'USD',
  };
  const closeDate = new Date(ctx.at + r.int(35, 60) * DAY).toISOString().slice(0, 10);
  ctx.send(
    about(
      p,
      ctx.at,
      'deal',
      'crm',
      Object.assign(
        { action: 'created', stage: 'qualified', amount, closeDate, owner: rep, source: p.source },
        deal,
      ),
    ),
  );
  advance(ctx, p, r, deal, 0, amount);
}

type Deal = { readonly dealId: string; readonly name: string; readonly currency: string };

function stageFields(
  stage: (typeof STAGES)[number],
  r: Random,
  amount: number,
): Record<string, string | number | string[]> {
  switch (stage) {
    case 'discovery':
      return {
        painPoints: 'Slow lead follow-up; no shared MQL definition',
        currentSolution: r.pick(['spreadsheets', 'hubspot workflows', 'rivalmetrics']),
        timeline: r.pick(['this quarter', 'next quarter']),
      };
    case 'demo':
      return {
        technicalRequirements: 'Salesforce sync, SSO',
        decisionMakers: ['VP Sales', 'RevOps Manager'],
      };
    case 'proposal':
      return {
        amount,
        discountPercent: r.weighted([
          [0, 50],
          [10, 25],
          [15, 15],
          [25, 10],
        ] as const),
        termMonths: r.chance(0.15) ? 24 : 12,
        paymentTerms: 'net-30',
        stakeholderMap: 'Champion, economic buyer, IT reviewer',
      };
    case 'negotiation':
      return { redlines: 'Liability cap, renewal terms', approvalChain: ['manager', 'finance'] };
  }
}

/** Moves the deal to its next stage after a few working days, or loses it; wins after negotiation. */
function advance(ctx: Ctx, p: DemoPerson, r: Random, deal: Deal, index: number, amount: number): void {
  const stage = STAGES[index];
  const zone = p.company.place.zone;
  // Proposals are usually out within the 5-business-day SLA after the demo; about a third are late.
  const wait =
    stage === 'proposal'
      ? r.chance(0.68)
        ? r.int(2, 4)
        : r.int(6, 10)
      : stage === undefined
        ? r.int(3, 8)
        : r.int(2, 6);
  ctx.later(afterWorkDays(r, ctx.at, wait, zone), async (c) => {
    const rep = await stageIs(c, p, ['opportunity']);
    if (rep === undefined) return;
    if (stage === undefined) {
      c.send(
        about(
          p,
          c.at,
          'deal',
          'crm',
          Object.assign({ action: 'closed_won', signedContract: true, paymentTerms: 'net-30', amount }, deal),
        ),
      );
      c.later(c.at + r.int(10, 30) * DAY, (n) => survey(n, p, r));
      return;
    }
    if (r.chance(LOSS[stage])) {
      const lossReason = r.pick(LOSS_REASONS);
      c.send(
        about(
          p,
          c.at,
          'deal',
          'crm',
          Object.assign(
            { action: 'closed_lost', lossReason, stage },
            lossReason === 'competitor' ? { competitor: 'rivalmetrics' } : {},
            deal,
          ),
        ),
      );
      // Most lost deals go back to marketing with a reason code.
      const reasonCode =
        lossReason === 'price' ? 'QUAL-01' : lossReason === 'competitor' ? 'QUAL-02' : 'ENG-02';
      if (r.chance(0.65) && c.team.reasonCodes.has(reasonCode))
        c.send(about(p, c.at + HOUR, 'sales_decision', 'crm', { decision: 'reject', reasonCode, rep }));
      return;
    }
    c.send(
      about(
        p,
        c.at,
        'deal',
        'crm',
        Object.assign({ action: 'stage_changed', stage }, stageFields(stage, r, amount), deal),
      ),
    );
    advance(c, p, r, deal, index + 1, amount);
  });
}

/** A customer a few weeks in: the NPS answer; promoters become evangelists and some refer a peer. */
async function survey(ctx: Ctx, p: DemoPerson, r: Random): Promise<void> {
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
