/**
 * A deal's life, from its creation after the discovery meeting to closed won or lost, as the rep and
 * the deal desk play it through the engine. Every move carries what its stage requires (the account
 * comes with the company's domain, which sales knows even when the lead wrote from a personal
 * address); about one deal in ten skips a stage; some slip and push their close date with a reason
 * (the second push puts the deal in forecast review); some go quiet in a stage past its limit, so
 * the engine's stale timers fire; the proposal goes to the approvers the deal desk named, who
 * answer within a few business days — most approve, some reject with a comment (the rep drops to
 * standard terms), some answer after the SLA (the request escalates). Once in the run a rep tries to
 * enter negotiation without the redlines: the engine refuses and the rep fills them in the next
 * working day. Wins and losses are steered to keep the run's win rate inside the config's benchmark
 * band. Every step reads the lead back and stops when it is no longer an opportunity.
 */
import { waitingOn } from '../core/dealdesk/approval.ts';
import type { ApprovalRequest } from '../core/pipeline/types.ts';
import type { JsonObject, Millis } from '../core/types.ts';
import { survey } from './customer.ts';
import { about, type DemoEvent } from './events.ts';
import type { LOSS_REASONS } from './names.ts';
import type { Random } from './random.ts';
import type { SalesContext } from './reaction.ts';
import { DAY, HOUR, MINUTE, afterWorkDays, duringWork } from './time.ts';
import type { DemoPerson } from './world.ts';

type Ctx = SalesContext;
type LossReason = (typeof LOSS_REASONS)[number];
type Stage = 'qualified' | 'discovery' | 'demo' | 'proposal' | 'negotiation';
type Weights<T> = readonly (readonly [T, number])[];

const PATH: readonly Stage[] = ['qualified', 'discovery', 'demo', 'proposal', 'negotiation'];

/** The chance a deal is lost when it leaves a stage, instead of moving on; and why, by stage. */
const LOSS: Readonly<Partial<Record<Stage, number>>> = {
  discovery: 0.16,
  demo: 0.2,
  proposal: 0.2,
  negotiation: 0.22,
};
const WHY: Readonly<Partial<Record<Stage, Weights<LossReason>>>> = {
  discovery: [
    ['no_decision', 35],
    ['timing', 30],
    ['missing_feature', 20],
    ['competitor', 15],
  ],
  demo: [
    ['missing_feature', 30],
    ['competitor', 30],
    ['no_decision', 20],
    ['timing', 20],
  ],
  proposal: [
    ['price', 40],
    ['competitor', 30],
    ['no_decision', 15],
    ['timing', 15],
  ],
  negotiation: [
    ['price', 35],
    ['competitor', 35],
    ['no_decision', 15],
    ['timing', 15],
  ],
};
/** A deal that went quiet is mostly lost to indecision; one whose discount was refused, on price. */
const QUIET_LOSS = 0.6;
const QUIET_WHY: Weights<LossReason> = [
  ['no_decision', 60],
  ['timing', 40],
];
const REFUSED_LOSS = 0.4;
const PRICE: Weights<LossReason> = [['price', 1]];

/** Close-date pushes a deal will make (the second flags it for forecast review). */
const SLIPS: Weights<number> = [
  [0, 47],
  [1, 28],
  [2, 25],
];
const PUSH_REASONS = [
  'Budget approval moved to next quarter',
  'Security review still open',
  'Legal review of the MSA is taking longer',
  'Champion out on leave for two weeks',
  'Procurement added a vendor assessment',
  'Customer reorganising the sales team first',
] as const;

const REJECTIONS: Readonly<Record<string, string>> = {
  'role:vp_sales': 'Too deep for a new logo: hold the discount under 10%',
  'role:finance': 'Multi-year only with annual prepayment: resubmit as a 12-month term',
  'role:legal': 'We cannot extend the liability cap over a multi-year term: keep it to 12 months',
};
const MANAGER_REJECTION = 'No discount at this deal size: offer standard pricing with a faster onboarding';

interface Terms {
  readonly amount: number;
  readonly discountPercent: number;
  readonly termMonths: number;
  readonly paymentTerms: string;
}

/** The owner of the lead when it is in one of `stages` (the queue's manager when it has none). */
export async function stageIs(ctx: Ctx, stages: readonly string[]): Promise<string | undefined> {
  const contact = await ctx.lead();
  if (contact === undefined || !stages.includes(contact.stage)) return undefined;
  return contact.owner ?? ctx.team.queueRep ?? '';
}

/** A rep's time zone (the team's when the rep is unknown). */
export function zoneOf(ctx: Ctx, rep: string): string {
  return ctx.team.reps.get(rep)?.zone ?? ctx.team.zone;
}

/** An SQL whose meeting was held: the rep opens the deal, and it lives on from there. */
export async function createDeal(ctx: Ctx, p: DemoPerson, r: Random): Promise<void> {
  const rep = await stageIs(ctx, ['sql']);
  if (rep === undefined) return;
  const size = p.company.employees;
  const scale = size < 100 ? 0.6 : size < 500 ? 1 : size < 2000 ? 1.6 : 2.6;
  const acv = Math.round((ctx.team.acv * scale * r.between(0.6, 1.5)) / 500) * 500;
  new DealLife(p, r, acv, ctx.at).open(ctx, rep);
}

const isoDay = (at: Millis) => new Date(at).toISOString().slice(0, 10);

class DealLife {
  readonly id: string;
  readonly path: readonly Stage[];
  closeDate: string;
  /** Pushes still to come. */
  slips: number;
  terms: Terms | undefined;
  quiet = false;
  refused = false;
  /** This deal already had its move into negotiation refused once. */
  retried = false;

  constructor(
    readonly p: DemoPerson,
    readonly r: Random,
    readonly acv: number,
    at: Millis,
  ) {
    this.id = `D-${p.index}-${Math.floor(at / DAY)}`;
    // About one deal in ten jumps a stage: straight to the demo, or from the demo to negotiation.
    const skip = r.weighted<Stage | undefined>([
      [undefined, 88],
      ['discovery', 6],
      ['proposal', 6],
    ]);
    this.path = PATH.filter((s) => s !== skip);
    this.closeDate = isoDay(at + r.int(30, 55) * DAY);
    this.slips = r.weighted(SLIPS);
  }

  get zone(): string {
    return this.p.company.place.zone;
  }

  event(at: Millis, properties: JsonObject, company = false): DemoEvent {
    const event = about(this.p, at, 'deal', 'crm', Object.assign({ dealId: this.id }, properties));
    if (!company) return event;
    const c = this.p.company;
    return Object.assign({}, event, { company: { name: c.name, domain: c.domain } });
  }

  /** The deal opens in `qualified`, its account known; the rep moves it on within a few hours. */
  open(ctx: Ctx, rep: string): void {
    ctx.send(
      this.event(
        ctx.at,
        {
          action: 'created',
          name: `${this.p.company.name} — new business`,
          stage: 'qualified',
          amount: this.acv,
          currency: 'USD',
          closeDate: this.closeDate,
          owner: rep,
          source: this.p.source,
        },
        true,
      ),
    );
    ctx.later(ctx.at + this.r.int(60, 240) * MINUTE, (c) => this.enter(c, 1));
  }

  async current(ctx: Ctx): Promise<boolean> {
    return (await stageIs(ctx, ['opportunity'])) !== undefined;
  }

  /** Moves the deal into `path[index]` with the fields that stage requires. */
  async enter(ctx: Ctx, index: number): Promise<void> {
    const stage = this.path[index];
    if (stage === undefined || !(await this.current(ctx))) return;
    const fields = this.fields(stage);
    if (stage === 'negotiation' && !this.retried && this.triesWithoutRedlines(ctx)) {
      // Once in the run: the redlines are still with the customer's lawyers. Refused; fixed next day.
      this.retried = true;
      const { redlines: _redlines, ...without } = fields;
      ctx.send(this.event(ctx.at, Object.assign({ action: 'stage_changed', stage }, without)));
      ctx.later(afterWorkDays(this.r, ctx.at, 1, this.zone), (c) => this.enter(c, index));
      return;
    }
    ctx.send(this.event(ctx.at, Object.assign({ action: 'stage_changed', stage }, fields)));
    if (stage === 'proposal') ctx.later(ctx.at + MINUTE, (c) => this.review(c, index));
    else this.stay(ctx, index, ctx.at);
  }

  triesWithoutRedlines(ctx: Ctx): boolean {
    return (
      ctx.at >= ctx.anchor - 40 * DAY &&
      ctx.at < ctx.anchor - 10 * DAY &&
      ctx.count('negotiation-without-redlines') === 1
    );
  }

  fields(stage: Stage): JsonObject {
    const r = this.r;
    switch (stage) {
      case 'qualified':
        return {};
      case 'discovery':
        return {
          painPoints: r.pick([
            'Slow lead follow-up; no shared MQL definition',
            'Leads fall through between marketing and sales',
            'No visibility into pipeline stalls',
          ]),
          currentSolution: r.pick(['spreadsheets', 'hubspot workflows', 'rivalmetrics', 'dashly']),
          timeline: r.pick(['this quarter', 'next quarter']),
        };
      case 'demo':
        return {
          technicalRequirements: r.pick([
            'Salesforce sync, SSO',
            'HubSpot sync, audit log',
            'SSO, EU hosting',
          ]),
          decisionMakers: r.sample(['VP Sales', 'RevOps Manager', 'CFO', 'Head of Marketing'], 2),
        };
      case 'proposal': {
        const discountPercent = r.weighted([
          [0, 42],
          [5, 10],
          [10, 16],
          [15, 14],
          [20, 6],
          [25, 9],
          [30, 3],
        ] as const);
        const termMonths = r.weighted([
          [12, 82],
          [24, 11],
          [36, 7],
        ] as const);
        const paymentTerms = r.weighted([
          ['net-30', 84],
          ['net-45', 8],
          ['net-60', 8],
        ] as const);
        const amount = this.price(discountPercent, termMonths);
        this.terms = { amount, discountPercent, termMonths, paymentTerms };
        return {
          amount,
          discountPercent,
          termMonths,
          paymentTerms,
          stakeholderMap: 'Champion, economic buyer, IT reviewer',
        };
      }
      case 'negotiation':
        return {
          redlines: r.pick([
            'Liability cap, renewal terms',
            'Data processing addendum, SLA credits',
            'Termination for convenience',
          ]),
          approvalChain: r.sample(['VP Sales', 'CFO', 'Procurement', 'Legal'], r.int(2, 3)),
        };
    }
  }

  /** The contract value for the term at a discount, rounded to $100. */
  price(discountPercent: number, termMonths: number): number {
    return Math.round((this.acv * (termMonths / 12) * (1 - discountPercent / 100)) / 100) * 100;
  }

  /**
   * The time in the stage entered at `from`: a few working days, longer when the deal slips (the
   * rep pushes the close date early in the stay) or goes quiet; the deal leaves it no earlier than
   * `ready` (the deal desk's answer).
   */
  stay(ctx: Ctx, index: number, from: Millis, ready = from): void {
    const r = this.r;
    const stage = this.path[index] ?? 'qualified';
    let days =
      stage === 'discovery'
        ? r.int(4, 9)
        : stage === 'demo'
          ? r.chance(0.68)
            ? r.int(2, 4)
            : r.int(6, 10) // past the 5-business-day proposal SLA
          : stage === 'proposal'
            ? r.int(3, 6)
            : r.int(5, 14);
    const left = this.path.length - index;
    if (this.slips > 0 && r.chance(this.slips / left)) {
      this.slips--;
      const extra = r.int(6, 14);
      days += extra;
      ctx.later(afterWorkDays(r, from, r.int(1, 3), this.zone), (c) => this.push(c, extra));
    } else if (r.chance(0.07)) {
      this.quiet = true;
      days += r.int(10, 20);
    }
    const at = Math.max(afterWorkDays(r, from, days, this.zone), ready);
    ctx.later(at, (c) => this.leave(c, index));
  }

  /** The deal slips by about `workDays`: the close date moves later, with the reason. */
  async push(ctx: Ctx, workDays: number): Promise<void> {
    if (await this.current(ctx)) this.pushNow(ctx, workDays, this.r.pick(PUSH_REASONS));
  }

  pushNow(ctx: Ctx, workDays: number, reason: string): void {
    const base = Math.max(Date.parse(`${this.closeDate}T00:00:00Z`), ctx.at);
    this.closeDate = isoDay(base + (Math.round((workDays * 7) / 5) + this.r.int(3, 10)) * DAY);
    ctx.send(this.event(ctx.at, { action: 'close_date_changed', closeDate: this.closeDate, reason }));
  }

  /** The signature is held up: a few more working days in negotiation (a push if the date passes). */
  hold(ctx: Ctx, index: number): void {
    const days = this.r.int(3, 8);
    const at = afterWorkDays(this.r, ctx.at, days, this.zone);
    if (Date.parse(`${this.closeDate}T00:00:00Z`) < at)
      this.pushNow(ctx, days, 'Signature waiting on the customer’s procurement');
    ctx.later(at, (c) => this.leave(c, index));
  }

  async leave(ctx: Ctx, index: number): Promise<void> {
    const stage = this.path[index];
    if (stage === undefined) return;
    const rep = await stageIs(ctx, ['opportunity']);
    if (rep === undefined) return;
    const r = this.r;
    const quiet = this.quiet;
    const refused = this.refused && stage === 'proposal';
    this.quiet = false;
    const chance = steer(ctx, quiet ? QUIET_LOSS : refused ? REFUSED_LOSS : (LOSS[stage] ?? 0));
    if (r.chance(chance) && keepsBand(ctx, 'lost')) {
      const why = quiet ? QUIET_WHY : refused ? PRICE : (WHY[stage] ?? QUIET_WHY);
      this.lose(ctx, rep, r.weighted(why));
    } else if (index < this.path.length - 1) await this.enter(ctx, index + 1);
    else if (keepsBand(ctx, 'won')) this.win(ctx);
    else this.hold(ctx, index);
  }

  /** Right after the proposal: the approvers the deal desk named answer, the rep waits for them. */
  async review(ctx: Ctx, index: number): Promise<void> {
    if (!(await this.current(ctx))) return;
    const requests = await ctx.approvals(this.id);
    const latest = requests.reduce<ApprovalRequest | undefined>(
      (a, b) => (a === undefined || sequence(b) > sequence(a) ? b : a),
      undefined,
    );
    let ready = ctx.at;
    if (latest?.status === 'pending') ready = this.answer(ctx, latest);
    this.stay(ctx, index, ctx.at, ready);
  }

  /**
   * Each approver answers within 0-3 business days (a few later: the request escalates); about one
   * request in seven is rejected, by one of them, with a comment. Returns when the rep can go on.
   */
  answer(ctx: Ctx, request: ApprovalRequest): Millis {
    const r = this.r;
    const approvers = waitingOn(request);
    // One request in seven (the 2nd, the 9th, …) is rejected, by one of its approvers.
    const rejecter =
      ctx.count('approval-review') % 7 === 2 && approvers.length > 0 ? r.pick(approvers) : undefined;
    const times = approvers.map((approver) => {
      const zone = this.approverZone(ctx, approver);
      const days = r.weighted([
        [0, 22],
        [1, 28],
        [2, 20],
        [3, 14],
        [5, 9],
        [8, 7],
      ] as const);
      const at =
        days === 0 ? duringWork(r, ctx.at + r.int(1, 5) * HOUR, zone) : afterWorkDays(r, ctx.at, days, zone);
      return { approver, at };
    });
    const rejectAt = times.find((t) => t.approver === rejecter)?.at;
    let decidedAt = ctx.at;
    for (const { approver, at } of times) {
      const rejects = approver === rejecter;
      if (rejectAt !== undefined && !rejects && at >= rejectAt) continue; // decided already
      decidedAt = Math.max(decidedAt, at);
      const comment = rejects ? (REJECTIONS[approver] ?? MANAGER_REJECTION) : undefined;
      ctx.send(
        this.event(
          at,
          Object.assign(
            {
              action: 'approval_decided',
              approvalId: request.id,
              approver,
              decision: rejects ? 'reject' : 'approve',
            },
            comment === undefined ? {} : { comment },
          ),
        ),
      );
    }
    if (rejectAt === undefined) return decidedAt + r.int(1, 4) * HOUR;
    // Rejected: the rep goes back to standard terms (12 months, under 10% off) and carries on.
    const reworkAt = rejectAt + r.int(1, 4) * HOUR;
    ctx.later(reworkAt, async (c) => {
      if (!(await this.current(c)) || this.terms === undefined) return;
      const discountPercent = Math.min(this.terms.discountPercent, 5);
      this.terms = Object.assign({}, this.terms, {
        discountPercent,
        termMonths: 12,
        amount: this.price(discountPercent, 12),
      });
      this.refused = true;
      c.send(
        this.event(c.at, {
          action: 'updated',
          discountPercent,
          termMonths: 12,
          amount: this.terms.amount,
        }),
      );
    });
    return reworkAt + r.int(1, 4) * HOUR;
  }

  approverZone(ctx: Ctx, approver: string): string {
    return approver.startsWith('rep:') ? zoneOf(ctx, approver.slice(4)) : ctx.team.zone;
  }

  lose(ctx: Ctx, rep: string, lossReason: LossReason): void {
    const r = this.r;
    const rivals = [...ctx.team.competitorTools];
    const competitor =
      lossReason === 'competitor' ? (rivals.length === 0 ? 'another vendor' : r.pick(rivals)) : undefined;
    ctx.send(
      this.event(
        ctx.at,
        Object.assign({ action: 'closed_lost', lossReason }, competitor === undefined ? {} : { competitor }),
      ),
    );
    // Most lost deals go back to marketing with a reason code.
    const reasonCode =
      lossReason === 'price' ? 'QUAL-01' : lossReason === 'competitor' ? 'QUAL-02' : 'ENG-02';
    if (r.chance(0.65) && ctx.team.reasonCodes.has(reasonCode))
      ctx.send(
        about(this.p, ctx.at + HOUR, 'sales_decision', 'crm', { decision: 'reject', reasonCode, rep }),
      );
  }

  win(ctx: Ctx): void {
    ctx.send(
      this.event(ctx.at, {
        action: 'closed_won',
        signedContract: true,
        paymentTerms: this.terms?.paymentTerms ?? 'net-30',
        amount: this.terms?.amount ?? this.acv,
      }),
    );
    ctx.later(ctx.at + this.r.int(10, 30) * DAY, (n) => survey(n, this.p, this.r));
  }
}

/**
 * The chance of a loss, steered once a few deals have closed: a run whose win rate drifts out of
 * the middle of the benchmark band loses more (or fewer) deals until it is back, so every anchor's
 * history shows a win rate inside the band despite the small number of deals.
 */
function steer(ctx: Ctx, chance: number): number {
  const { won, lost } = ctx.closed();
  const closed = won + lost;
  if (closed < 6) return chance;
  const { min, max } = ctx.team.winRate;
  const margin = (max - min) / 5;
  const rate = won / closed;
  if (rate > max - margin) return Math.min(0.9, chance * 2.5);
  if (rate < min + margin) return chance / 3;
  return chance;
}

/**
 * Whether closing one more deal `outcome` keeps the run's win rate inside the benchmark band (once
 * enough deals have closed). A loss that would not waits (the deal moves on), a win is held up.
 */
function keepsBand(ctx: Ctx, outcome: 'won' | 'lost'): boolean {
  const { won, lost } = ctx.closed();
  const closed = won + lost;
  const { min, max } = ctx.team.winRate;
  const slack = (max - min) / 10;
  // Only once one more deal moves the rate by less than the band (less the slack on both sides):
  // before that, a win and a loss could both leave it, and the run would hold every deal.
  if (1 / (closed + 1) >= max - min - 2 * slack) return true;
  return outcome === 'won' ? (won + 1) / (closed + 1) <= max - slack : won / (closed + 1) >= min + slack;
}

/** `n` of a request id `<dealId>:<n>`. */
function sequence(request: ApprovalRequest): number {
  return Number(request.id.slice(request.id.lastIndexOf(':') + 1));
}
