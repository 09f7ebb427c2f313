/**
 * The outbox dispatcher: claims due pending rows (leased, so several dispatchers may share a
 * database), reads their leads' context, delivers each row to every destination that takes it —
 * signed webhooks, Slack, email — and records the outcome: delivered, retried later (backoff with
 * jitter, or the server's Retry-After), dead, or skipped when nothing takes it. A row delivered to
 * some destinations and not others remembers which, and a retry sends only to the rest.
 *
 * Nothing runs while the config has no `delivery` section. `runOnce(now)` does one batch (tests,
 * `revops outbox` tooling); `start()` polls until `stop()`.
 */
import { randomBytes } from 'node:crypto';
import type { RevopsConfig } from '../config/schema/index.ts';
import type { OutboxItem, Store } from '../core/ports.ts';
import type { ContactKey, Millis } from '../core/types.ts';
import type { Clock } from '../engine/clock.ts';
import { createDestinationGuard, type Resolver } from '../net/destinationGuard.ts';
import { emailContent, sendEmail } from './deliver/email.ts';
import { postGuarded } from './deliver/http.ts';
import type { LeadContext } from './deliver/message.ts';
import { slackMessage } from './deliver/slack.ts';
import { webhookBody, webhookHeaders } from './deliver/webhook.ts';
import { leadOf, loadLeads } from './outboxContext.ts';
import { deliveryPlan, targetsOf, type DeliveryPlan, type Env, type Target } from './outboxPlan.ts';
import { httpVerdict, rowStep, type AttemptVerdict } from './retryPolicy.ts';
import { sleep } from './sleep.ts';

export interface DispatcherOptions {
  readonly store: Store;
  /** The config, or a function giving the current one (a server swaps configs at run time). */
  readonly config: RevopsConfig | (() => RevopsConfig);
  /** Signing timestamps and, in `start()`, what is due. */
  readonly clock: Clock;
  /** Where URLs, secrets and SMTP credentials named by `…Env` keys are read (compose passes process.env). */
  readonly env: Env;
  /** Jitter source in [0, 1) (default Math.random). */
  readonly random?: () => number;
  /** Host name resolution (default: the system resolver). */
  readonly resolve?: Resolver;
  /** Rows per claim (default 50). */
  readonly batchSize?: number;
  /** How long a claim holds before another dispatcher may take the row (default 5 minutes). */
  readonly leaseMs?: number;
  /** Deadline of one HTTP request or SMTP exchange (default 10 s). */
  readonly timeoutMs?: number;
  /** Rows delivered at the same time (default 8). */
  readonly concurrency?: number;
  /** Sleep between polls when nothing was due (default 1 s). */
  readonly pollMs?: number;
  /** This dispatcher's name in `lease_owner` (default `outbox-<pid>-<random>`). */
  readonly worker?: string;
  /** Hears every batch that claimed something. */
  readonly onBatch?: (report: DispatchReport) => void;
  /** Hears one line per problem (a failed poll, a row refused). */
  readonly onLog?: (line: string) => void;
}

/** What one batch did. */
export interface DispatchReport {
  readonly at: Millis;
  readonly claimed: number;
  readonly delivered: number;
  readonly retried: number;
  readonly dead: number;
  readonly skipped: number;
  /** Rows settled by another claimer meanwhile (their lease ran out): nothing recorded. */
  readonly lost: number;
}

export interface Dispatcher {
  /** Claims and delivers one batch due at `now` (default: the clock). Throws only if storage fails. */
  runOnce(now?: Millis): Promise<DispatchReport>;
  /** Starts polling (a second call does nothing). Failures are reported to `onLog` and retried. */
  start(): void;
  /** Stops polling; resolves once the batch in flight is recorded. Safe to call twice. */
  stop(): Promise<void>;
}

const EMPTY = { claimed: 0, delivered: 0, retried: 0, dead: 0, skipped: 0, lost: 0 };

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** Builds a dispatcher; nothing runs until `runOnce` or `start`. Never throws. */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { store, clock, env } = options;
  const configOf =
    typeof options.config === 'function' ? options.config : () => options.config as RevopsConfig;
  const random = options.random ?? Math.random;
  const batchSize = options.batchSize ?? 50;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const pollMs = options.pollMs ?? 1000;
  const worker = options.worker ?? `outbox-${process.pid}-${randomBytes(3).toString('hex')}`;
  const log = (line: string) => options.onLog?.(line);
  const plans = new WeakMap<
    RevopsConfig,
    { plan: DeliveryPlan | undefined; guard: ReturnType<typeof createDestinationGuard> }
  >();

  const planFor = (config: RevopsConfig) => {
    let found = plans.get(config);
    if (found === undefined) {
      const plan = deliveryPlan(config, env);
      const guard = createDestinationGuard(
        Object.assign(
          { allow: plan?.allowPrivate ?? [] },
          options.resolve === undefined ? {} : { resolve: options.resolve },
        ),
      );
      found = { plan, guard };
      plans.set(config, found);
    }
    return found;
  };

  async function attempt(
    target: Target,
    row: OutboxItem,
    lead: LeadContext | undefined,
    plan: DeliveryPlan,
    guard: ReturnType<typeof createDestinationGuard>,
  ): Promise<AttemptVerdict> {
    const { destination } = target;
    if (destination.problem !== undefined) return { kind: 'dead', error: destination.problem };
    const input = Object.assign({ row, people: plan.people }, lead === undefined ? {} : { lead });
    if (destination.kind === 'email') {
      if (plan.smtp === undefined)
        return { kind: 'dead', error: plan.smtpProblem ?? 'delivery.email is not configured' };
      return sendEmail(plan.smtp, target.emails ?? [], emailContent(input, plan.smtp.from), {
        guard,
        timeoutMs,
      });
    }
    const url = destination.url ?? '';
    const body = destination.kind === 'slack' ? JSON.stringify(slackMessage(input)) : webhookBody(row, lead);
    const headers =
      destination.kind === 'slack'
        ? { 'content-type': 'application/json' }
        : webhookHeaders(row.key, destination.secret, clock.now(), body);
    const outcome = await postGuarded(url, body, headers, { guard, timeoutMs });
    switch (outcome.kind) {
      case 'refused':
        log(`outbox ${row.id} (${row.key}): ${destination.id}: ${outcome.error}`);
        return { kind: 'dead', error: outcome.error };
      case 'network':
        return { kind: 'retry', error: outcome.error };
      case 'response':
        return httpVerdict(outcome.status, outcome.excerpt, outcome.retryAfter, clock.now());
    }
  }

  async function runOnce(at?: Millis): Promise<DispatchReport> {
    const now = at ?? clock.now();
    const config = configOf();
    const { plan, guard } = planFor(config);
    if (plan === undefined) return Object.assign({ at: now }, EMPTY);
    const claimed = await store.claimDueOutbox(now, batchSize, leaseMs, worker);
    if (claimed.length === 0) return Object.assign({ at: now }, EMPTY);
    const leads: Map<ContactKey, LeadContext> = await loadLeads(store, config, claimed, now);
    const counts = { claimed: claimed.length, delivered: 0, retried: 0, dead: 0, skipped: 0, lost: 0 };
    await eachLimited(claimed, concurrency, async (row) => {
      const lead = leadOf(row, leads);
      const { targets, why } = targetsOf(row, plan, lead?.owner);
      let recorded: boolean;
      if (targets.length === 0) {
        recorded = await store.settleOutbox(row.id, row.attempts, { status: 'skipped', at: now, error: why });
        if (recorded) counts.skipped += 1;
      } else {
        const open = targets.filter((t) => !row.deliveredTo.includes(t.destination.id));
        const verdicts = await Promise.all(
          open.map(async (t) => ({
            destination: t.destination.id,
            verdict: await attempt(t, row, lead, plan, guard),
          })),
        );
        const deliveredTo = [
          ...row.deliveredTo,
          ...verdicts.filter((v) => v.verdict.kind === 'delivered').map((v) => v.destination),
        ];
        const step = rowStep(verdicts, row.attempts, random);
        const outcome =
          step.kind === 'delivered'
            ? { status: 'delivered' as const, at: now, deliveredTo }
            : step.kind === 'dead'
              ? { status: 'dead' as const, at: now, error: step.error, deliveredTo }
              : {
                  status: 'pending' as const,
                  nextAttemptAt: now + step.waitMs,
                  error: step.error,
                  deliveredTo,
                };
        recorded = await store.settleOutbox(row.id, row.attempts, outcome);
        if (recorded) counts[step.kind === 'retry' ? 'retried' : step.kind] += 1;
      }
      if (!recorded) counts.lost += 1;
    });
    const report = Object.assign({ at: now }, counts);
    options.onBatch?.(report);
    return report;
  }

  const controller = new AbortController();
  let loop: Promise<void> | undefined;
  const poll = async () => {
    while (!controller.signal.aborted) {
      let wait = pollMs;
      try {
        const report = await runOnce(clock.now());
        if (report.claimed >= batchSize) wait = 0;
      } catch (error) {
        log(
          `outbox dispatcher: ${error instanceof Error ? error.message : String(error)}; trying again in ${pollMs * 5} ms`,
        );
        wait = pollMs * 5;
      }
      await sleep(wait, controller.signal);
    }
  };

  return {
    runOnce,
    start() {
      if (loop === undefined && !controller.signal.aborted) loop = poll();
    },
    async stop() {
      controller.abort();
      await loop;
    },
  };
}

/** Creates a dispatcher and starts it polling: what `revops serve` and `npm start` run. */
export function startDispatcher(options: DispatcherOptions): Dispatcher {
  const dispatcher = createDispatcher(options);
  dispatcher.start();
  return dispatcher;
}
