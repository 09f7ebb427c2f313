/**
 * The handoff as reps play it, from the moment the engine makes a lead an MQL: the owner the
 * engine chose answers (most within minutes, some late, a few never, so SLA clocks breach and
 * escalate), keeps trying, and decides — accept with BANT, or reject with a reason code that fits
 * the lead. Every step reads the lead back first: if the SLA ladder reassigned it meanwhile, the
 * new owner picks it up; if it waits in the queue, the queue team's manager does.
 */
import type { ContactState, Millis } from '../core/types.ts';
import { about } from './events.ts';
import { planReturn } from './journeys.ts';
import { startPipeline } from './pipeline.ts';
import { Random } from './random.ts';
import type { Reaction, SalesContext } from './reaction.ts';
import type { DemoTeam, Habit } from './team.ts';
import { HOUR, MINUTE, afterWorkDays, duringWork, isWorkingTime, nextWorkStart } from './time.ts';
import type { DemoPerson } from './world.ts';

const BANT = ['budget', 'authority', 'need', 'timeline'] as const;

/** Minutes to the first touch by habit, in working hours; `undefined`: no touch at all. */
const RESPONSE: Readonly<
  Record<Habit, readonly (readonly [readonly [number, number] | undefined, number])[]>
> = {
  fast: [
    [[0.5, 4.5], 76],
    [[5, 14], 10],
    [[15, 55], 6],
    [[62, 240], 5],
    [undefined, 3],
  ],
  steady: [
    [[0.5, 4.5], 62],
    [[5, 14], 15],
    [[15, 55], 10],
    [[62, 240], 8],
    [undefined, 5],
  ],
  busy: [
    [[0.5, 4.5], 45],
    [[5, 14], 20],
    [[15, 55], 14],
    [[62, 240], 13],
    [undefined, 8],
  ],
};

type Outcome =
  | { readonly kind: 'accept'; readonly bant: readonly string[]; readonly short: boolean }
  | { readonly kind: 'reject'; readonly code: string }
  | { readonly kind: 'silent' };

/** How well the lead fits, as a rep judges it: 0 to 4 (size, industry, seniority, market). */
function salesFit(p: DemoPerson, team: DemoTeam): number {
  const c = p.company;
  return (
    (c.employees >= 50 && c.employees <= 5000 ? 1 : 0) +
    (team.industries.has(c.industry) ? 1 : 0) +
    (['manager', 'director', 'vp', 'c_level'].includes(p.seniority) ? 1 : 0) +
    (team.markets.has(c.place.country) ? 1 : 0)
  );
}

function code(team: DemoTeam, wanted: string, fallback: string): string {
  return team.reasonCodes.has(wanted)
    ? wanted
    : team.reasonCodes.has(fallback)
      ? fallback
      : ([...team.reasonCodes][0] ?? wanted);
}

function outcomeOf(p: DemoPerson, r: Random, team: DemoTeam): Outcome {
  if (p.unresponsive) return { kind: 'silent' };
  // A competitor asking for a demo is not a real project.
  if (team.competitors.has(p.company.domain))
    return { kind: 'reject', code: code(team, 'QUAL-03', 'FIT-02') };
  const fit = salesFit(p, team);
  if (r.chance([0.055, 0.11, 0.25, 0.43, 0.53][fit] ?? 0.3)) {
    const bant = r.sample(BANT, r.int(2, 4));
    return { kind: 'accept', bant, short: r.chance(0.06) };
  }
  const c = p.company;
  if (c.employees < 50 && r.chance(0.7)) return { kind: 'reject', code: code(team, 'FIT-01', 'QUAL-03') };
  if (!team.industries.has(c.industry) && r.chance(0.6))
    return { kind: 'reject', code: code(team, 'FIT-02', 'QUAL-03') };
  if (['individual_contributor', 'student'].includes(p.seniority) && r.chance(0.7))
    return { kind: 'reject', code: code(team, 'FIT-03', 'FIT-01') };
  if (c.techStack.some((t) => team.competitorTools.has(t)) && r.chance(0.7))
    return { kind: 'reject', code: code(team, 'QUAL-02', 'QUAL-01') };
  const wanted = r.weighted([
    ['ENG-02', 35],
    ['QUAL-01', 35],
    ['QUAL-03', 30],
  ] as const);
  return { kind: 'reject', code: code(team, wanted, 'QUAL-01') };
}

const SOURCE = 'crm';

/** One MQL handoff, from the engine's assignment to the sales decision. */
class Episode {
  owner: string | undefined;
  attempts = 0;
  /** Bumped at each handover: touches planned for an earlier owner are dropped. */
  turn = 0;
  /** The engine refused an accept with too few BANT criteria once already. */
  refused = false;
  readonly outcome: Outcome;

  constructor(
    readonly p: DemoPerson,
    readonly mqlAt: Millis,
    owner: string | undefined,
    readonly r: Random,
    readonly team: DemoTeam,
  ) {
    this.owner = owner;
    this.outcome = outcomeOf(p, r, team);
  }

  zoneOf(rep: string | undefined): string {
    return (rep === undefined ? undefined : this.team.reps.get(rep)?.zone) ?? this.team.zone;
  }

  /** When `rep` first answers a lead they got at `at`; undefined: never. */
  firstTouch(rep: string | undefined, at: Millis, urgent: boolean): Millis | undefined {
    const zone = this.zoneOf(rep);
    const habit = (rep === undefined ? undefined : this.team.reps.get(rep)?.habit) ?? 'steady';
    if (urgent) {
      // Reassigned with an urgent alert: usually a quick call, sometimes not.
      const roll = this.r.next();
      if (roll < 0.55) return at + Math.round(this.r.between(0.5, 4.8) * MINUTE);
      return roll < 0.93 ? at + this.r.int(5, 40) * MINUTE : undefined;
    }
    if (!isWorkingTime(at, zone)) {
      // Off hours: many answer from their phone, the rest the next morning; a few never do.
      const roll = this.r.next();
      if (roll < 0.45) return at + Math.round(this.r.between(0.5, 4.8) * MINUTE);
      if (roll < 0.62) return at + this.r.int(5, 50) * MINUTE;
      if (roll < 0.95) return nextWorkStart(at, zone) + this.r.int(3, 90) * MINUTE;
      return undefined;
    }
    const band = this.r.weighted(RESPONSE[habit]);
    return band === undefined ? undefined : at + Math.round(this.r.between(band[0], band[1]) * MINUTE);
  }

  /** Still the lead this episode is about: an MQL since `mqlAt`. */
  current(contact: ContactState | undefined): contact is ContactState {
    return contact !== undefined && contact.stage === 'mql' && contact.stageEnteredAt === this.mqlAt;
  }

  /** The first steps: the owner's first touch, and a look after the ladder's reassignment rung. */
  start(): { at: Millis; step: Reaction }[] {
    return this.plan(this.mqlAt, false);
  }

  /**
   * Whoever owns the lead now (since `at`) answers — a queued lead is picked up by the queue's
   * manager — and, unless that is within the hour, the lead is looked at again after 61 minutes.
   */
  private plan(at: Millis, urgent: boolean): { at: Millis; step: Reaction }[] {
    const turn = this.turn;
    const first = this.owner === undefined ? this.queuePickup(at) : this.firstTouch(this.owner, at, urgent);
    const steps: { at: Millis; step: Reaction }[] = [];
    if (first !== undefined) steps.push({ at: first, step: (ctx) => this.touch(ctx, turn) });
    if (first === undefined || first > at + 60 * MINUTE)
      steps.push({ at: at + 61 * MINUTE, step: (ctx) => this.recheck(ctx) });
    return steps;
  }

  queuePickup(at: Millis): Millis {
    return duringWork(this.r, at + this.r.int(20, 150) * MINUTE, this.zoneOf(this.team.queueRep));
  }

  /** The owner changed (reassigned or queued): whoever has it now answers, urgently. */
  private handover(ctx: SalesContext, contact: ContactState): boolean {
    if (contact.owner === this.owner) return false;
    this.owner = contact.owner;
    this.turn++;
    for (const { at, step } of this.plan(ctx.at, true)) ctx.later(at, step);
    return true;
  }

  private async recheck(ctx: SalesContext): Promise<void> {
    const contact = await ctx.lead();
    if (!this.current(contact) || this.attempts > 0) return;
    if (this.handover(ctx, contact)) return;
    // Still with the same owner: look again after the next rung of the ladder.
    if (ctx.at < this.mqlAt + 6 * HOUR) ctx.later(ctx.at + 61 * MINUTE, (next) => this.recheck(next));
  }

  private rep(contact: ContactState): string | undefined {
    return contact.owner ?? this.team.queueRep;
  }

  private async touch(ctx: SalesContext, turn: number): Promise<void> {
    const contact = await ctx.lead();
    if (!this.current(contact) || turn !== this.turn) return;
    if (this.attempts === 0 && this.handover(ctx, contact)) return;
    const rep = this.rep(contact);
    this.attempts++;
    const kind =
      this.attempts === 1
        ? this.r.weighted([
            ['call', 60],
            ['email', 40],
          ] as const)
        : this.r.pick(['call', 'email'] as const);
    ctx.send(about(this.p, ctx.at, 'rep_activity', SOURCE, { kind, ...(rep === undefined ? {} : { rep }) }));
    const zone = this.zoneOf(rep);
    if (this.outcome.kind === 'silent') {
      // No answer: two more attempts a working day or two apart, then ENG-01.
      const next = afterWorkDays(this.r, ctx.at, this.r.int(1, 2), zone);
      if (this.attempts < 3) ctx.later(next, (c) => this.touch(c, turn));
      else ctx.later(next, (c) => this.decide(c));
      return;
    }
    const roll = this.r.next();
    const at =
      roll < 0.55
        ? duringWork(this.r, ctx.at + this.r.int(1, 6) * HOUR, zone)
        : roll < 0.88
          ? afterWorkDays(this.r, ctx.at, 1, zone)
          : afterWorkDays(this.r, ctx.at, this.r.int(2, 5), zone); // past the 48-hour decision SLA
    ctx.later(at, (c) => this.decide(c));
  }

  private async decide(ctx: SalesContext): Promise<void> {
    const contact = await ctx.lead();
    if (!this.current(contact)) return;
    const rep = this.rep(contact);
    const by = rep === undefined ? {} : { rep };
    const o = this.outcome;
    if (o.kind === 'accept') {
      // Now and then a rep accepts with one criterion: the engine refuses, they confirm more the next day.
      const bant = o.short && !this.refused ? o.bant.slice(0, 1) : o.bant;
      ctx.send(
        about(this.p, ctx.at, 'sales_decision', SOURCE, Object.assign({ decision: 'accept', bant }, by)),
      );
      if (bant.length < o.bant.length) {
        this.refused = true;
        ctx.later(afterWorkDays(this.r, ctx.at, 1, this.zoneOf(rep)), (c) => this.decide(c));
      } else {
        ctx.later(ctx.at + MINUTE, (c) =>
          startPipeline(c, this.p, Random.derive(this.team.seed, `sql:${this.p.index}:${this.mqlAt}`)),
        );
      }
      return;
    }
    const reasonCode = o.kind === 'silent' ? code(this.team, 'ENG-01', 'ENG-02') : o.code;
    ctx.send(
      about(this.p, ctx.at, 'sales_decision', SOURCE, Object.assign({ decision: 'reject', reasonCode }, by)),
    );
    // Some nurtured or recycled leads come back weeks later (and may become MQLs again).
    if (!['FIT-02', 'QUAL-03'].includes(reasonCode) && this.r.chance(0.2)) {
      for (const event of planReturn(this.p, this.r, ctx.at + this.r.int(12, 40) * 86_400_000))
        ctx.send(event);
    }
  }
}

/**
 * The steps that follow a lead becoming an MQL at `mqlAt` (its `n`th time), owned by `owner` as the
 * engine routed it (undefined: queued or held for review).
 */
export function onMql(
  p: DemoPerson,
  mqlAt: Millis,
  owner: string | undefined,
  n: number,
  team: DemoTeam,
): { at: Millis; step: Reaction }[] {
  return new Episode(p, mqlAt, owner, Random.derive(team.seed, `mql:${p.index}:${n}`), team).start();
}
