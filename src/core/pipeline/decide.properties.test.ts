/**
 * Invariants of a deal over any sequence of commands (events and API, flagged or blocked skips)
 * and stale timers firing in between:
 * - history is a chain: the first row has no `from`, each later `from` is the previous `to`, times
 *   never go back; `stage` and `stageEnteredAt` are the last row's; a decision's `move` is that row;
 * - `status` is the stage's kind, `closedAt` is set exactly when closed, and a closed deal never
 *   moves again;
 * - pushes only grow (earlier ones kept as they were), `forecastReview` is "2 or more pushes";
 * - `flags.skipped` is every row's `skipped`, in order; a stale flag is about the current stay;
 * - a refused part leaves the stage as it was; decisions are pure (same inputs, same output; the
 *   deal passed in is not changed).
 */
import { fc, it as prop } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { ACTIONS, AVA, BEN, DAY, env, FILLED, fired, MODEL, modelWith, T0 } from './__fixtures__/builders.ts';
import type { TimerEffect } from '../effects.ts';
import { DEAL_COMMAND_ACTIONS, type DealCommand } from './command.ts';
import { decideDeal, type DealEnv } from './decide.ts';
import { decideDealTimer } from './timer.ts';
import type { DealFieldValue, DealState } from './types.ts';

const STAGES = [
  'qualified',
  'discovery',
  'demo',
  'proposal',
  'negotiation',
  'closed_won',
  'closed_lost',
  'bogus',
];
const MOVING = new Set(['created', 'stage_changed', 'closed_won', 'closed_lost']);
const KIND = new Map(MODEL.pipelines[0]!.stages.map((s) => [s.id, s.kind]));

/** A field's value: usually filled, sometimes one of the empty shapes. */
const value = (filled: DealFieldValue): fc.Arbitrary<DealFieldValue> =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constant(filled) },
    fc.constantFrom<DealFieldValue>('', [], false, null),
  );

const FIELD_POOL: Record<string, DealFieldValue> = Object.assign({}, FILLED, {
  source: 'demo_request',
  amount: 36000,
  signedContract: true,
  lossReason: 'competitor',
  competitor: 'Acme CRM',
});
const changes = fc
  .record(
    Object.fromEntries(
      Object.entries(FIELD_POOL).map(([k, v]) => [
        k,
        k === 'amount' ? fc.constantFrom<DealFieldValue>(36000, 12000, 0, null) : value(v),
      ]),
    ),
    { requiredKeys: [] },
  )
  .map((c) => {
    const out: Record<string, DealFieldValue> = {};
    for (const [k, v] of Object.entries(c)) if (v !== undefined) out[k] = v;
    return out;
  })
  .chain((c) =>
    fc
      .option(
        fc
          .integer({ min: 0, max: 120 })
          .map((d) => new Date(Date.UTC(2026, 5, 1) + d * DAY).toISOString().slice(0, 10)),
        { nil: undefined },
      )
      .map((closeDate) => (closeDate === undefined ? c : Object.assign({}, c, { closeDate }))),
  );

type Step =
  | {
      readonly kind: 'command';
      readonly action: (typeof DEAL_COMMAND_ACTIONS)[number];
      readonly stage?: string;
      readonly changes: Record<string, DealFieldValue>;
      readonly reason?: string;
      readonly contact?: string;
      readonly strict: boolean;
      readonly dt: number;
    }
  | { readonly kind: 'fire'; readonly dt: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record(
      {
        kind: fc.constant('command' as const),
        action: fc.oneof(
          { weight: 8, arbitrary: fc.constant('stage_changed' as const) },
          { weight: 2, arbitrary: fc.constantFrom('created' as const, 'updated' as const) },
          { weight: 3, arbitrary: fc.constant('close_date_changed' as const) },
          fc.constantFrom(...DEAL_COMMAND_ACTIONS.filter((a) => a !== 'approval_decided')),
        ),
        stage: fc.oneof(
          { weight: 6, arbitrary: fc.constantFrom(...STAGES.slice(0, 5)) },
          fc.constantFrom(...STAGES),
        ),
        changes,
        reason: fc.constantFrom('legal review', 'budget freeze'),
        contact: fc.constantFrom(AVA, BEN),
        strict: fc.boolean(),
        dt: fc.integer({ min: 0, max: 12 * DAY }),
      },
      { requiredKeys: ['kind', 'action', 'changes', 'strict', 'dt'] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('fire' as const), dt: fc.integer({ min: 0, max: 40 * DAY }) }),
  },
);

function checkChain(deal: DealState): string[] {
  const problems: string[] = [];
  const h = deal.history;
  const last = h.at(-1);
  if (last === undefined) return ['empty history'];
  if (h[0]?.from !== undefined) problems.push('first row has a `from`');
  h.forEach((row, i) => {
    const prev = h[i - 1];
    if (prev === undefined) return;
    if (row.from !== prev.to) problems.push(`row ${i} from ${row.from} after ${prev.to}`);
    if (row.at < prev.at) problems.push(`row ${i} goes back in time`);
  });
  if (deal.stage !== last.to) problems.push(`stage ${deal.stage} but last move to ${last.to}`);
  if (deal.stageEnteredAt !== last.at) problems.push('stageEnteredAt is not the last move');
  const kind = KIND.get(deal.stage);
  const status = kind === 'won' ? 'won' : kind === 'lost' ? 'lost' : 'open';
  if (deal.status !== status) problems.push(`status ${deal.status} in a ${kind} stage`);
  if ((deal.closedAt !== undefined) !== (status !== 'open')) problems.push('closedAt does not match status');
  if (deal.closedAt !== undefined && deal.closedAt !== last.at)
    problems.push('closedAt is not the closing move');
  if (JSON.stringify(deal.flags.skipped) !== JSON.stringify(h.flatMap((r) => r.skipped)))
    problems.push('flags.skipped is not the history’s skips');
  if (deal.flags.forecastReview !== deal.pushes.length >= 2) problems.push('forecastReview is not 2+ pushes');
  if (deal.flags.stale !== undefined && deal.flags.stale.stage !== deal.stage)
    problems.push('stale flag from another stay');
  return problems;
}

describe('a deal over any sequence of commands', () => {
  prop.prop(
    [
      fc.option(
        fc.record({
          kind: fc.constant('command' as const),
          action: fc.constant('created' as const),
          stage: fc.constantFrom(...STAGES.slice(0, 5)),
          changes,
          strict: fc.constant(false),
          dt: fc.constant(0),
        }),
        { nil: undefined, freq: 5 },
      ),
      fc.array(step, { minLength: 1, maxLength: 30, size: 'max' }),
      fc.constantFrom<'flag' | 'block'>('flag', 'block'),
    ],
    { numRuns: 300 },
  )('keeps its history, stage, status, pushes and flags consistent', (first, rest, skips) => {
    // Most runs start from a deal the CRM reported (an event creates it whatever it lacks).
    const steps: Step[] = first === undefined ? rest : [first, ...rest];
    const model = modelWith({ skips });
    let deal: DealState | undefined;
    let now = T0;
    const pending = new Map<string, TimerEffect>();
    let closed: string | undefined;
    let n = 0;
    for (const s of steps) {
      now += s.dt;
      const before = deal;
      if (s.kind === 'fire') {
        const due = [...pending.values()].filter((t) => t.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt);
        for (const timer of due) {
          pending.delete(timer.key);
          const out = decideDealTimer(deal, fired(timer), model, ACTIONS, now);
          for (const e of out.effects)
            if (e.kind === 'timer' && e.key.startsWith('deal-stale')) pending.set(e.key, e);
          if (out.deal !== undefined) {
            expect(out.deal.history).toBe(deal?.history);
            expect(out.deal.stage).toBe(deal?.stage);
            deal = out.deal;
          }
        }
      } else {
        // A non-moving event for an unknown deal creates it without a history row: a known bug,
        // pinned by the failing test in decide.test.ts; left out here so the rest is checked.
        if (before === undefined && !s.strict && !MOVING.has(s.action)) continue;
        n += 1;
        const cmd: DealCommand = Object.assign(
          { action: s.action, dealId: 'd1', at: now, cause: `ev-${n}`, changes: s.changes },
          s.stage === undefined ? {} : { stage: s.stage },
          s.reason === undefined ? {} : { reason: s.reason },
          s.contact === undefined ? {} : { contact: { key: s.contact } },
          { account: 'northwind.io' },
        );
        const e: DealEnv = env({ model, strict: s.strict });
        const snapshot = before === undefined ? undefined : structuredClone(before);
        const decision = decideDeal(before, cmd, e);
        // Pure: the deal passed in is untouched and the same call decides the same.
        expect(before).toEqual(snapshot);
        expect(decideDeal(snapshot, cmd, e)).toEqual(decision);
        const after = decision.deal;
        if (after !== undefined) {
          const grew = after.history.length - (before?.history.length ?? 0);
          if (decision.move === undefined) expect(grew).toBe(0);
          else {
            expect(grew).toBe(1);
            expect(after.history.at(-1)).toEqual(decision.move);
          }
          if (decision.refusal !== undefined && before !== undefined) expect(after.stage).toBe(before.stage);
          const pushes = before?.pushes ?? [];
          expect(after.pushes.slice(0, pushes.length)).toEqual(pushes);
          expect(after.pushes.length - pushes.length).toBeLessThanOrEqual(1);
          for (const p of after.pushes.slice(pushes.length)) expect(p.slipDays).toBeGreaterThan(0);
          deal = after;
        } else {
          expect(decision.refusal).toBeDefined();
        }
        for (const effect of decision.effects) {
          if (effect.kind === 'cancelTimer') pending.delete(effect.key);
          if (effect.kind === 'timer' && effect.key.startsWith('deal-stale')) pending.set(effect.key, effect);
        }
      }
      if (deal !== undefined) {
        expect(checkChain(deal)).toEqual([]);
        if (closed !== undefined) expect(deal.stage).toBe(closed);
        if (deal.status !== 'open') closed = deal.stage;
      }
    }
  });
});

describe('stale timers over any sequence', () => {
  prop.prop(
    [
      fc.array(fc.integer({ min: 1, max: 30 * DAY }), { minLength: 1, maxLength: 8 }),
      fc.integer({ min: 0, max: 60 * DAY }),
    ],
    {
      numRuns: 200,
    },
  )('a stale timer flags the deal only while the stay it was set for lasts', (gaps, fireAfter) => {
    // The deal walks forward a stage at a time with all fields filled; the first negotiation timer
    // fires `fireAfter` after it was due.
    const open = ['qualified', 'discovery', 'demo', 'proposal', 'negotiation'];
    let deal: DealState | undefined;
    let now = T0;
    const timersSet: TimerEffect[] = [];
    gaps.forEach((gap, i) => {
      now += gap;
      const stage = open[Math.min(i, open.length - 1)]!;
      const decision = decideDeal(
        deal,
        {
          action: deal === undefined ? 'created' : 'stage_changed',
          dealId: 'd1',
          at: now,
          cause: `ev-${i}`,
          stage,
          changes: Object.assign({ source: 'demo_request', amount: 36000, closeDate: '2026-12-31' }, FILLED),
          contact: { key: AVA },
          account: 'northwind.io',
        },
        env(),
      );
      deal = decision.deal;
      for (const e of decision.effects)
        if (e.kind === 'timer' && e.key === 'deal-stale:d1') timersSet.push(e);
    });
    for (const timer of timersSet) {
      const at = timer.dueAt + fireAfter;
      const out = decideDealTimer(deal, fired(timer), MODEL, ACTIONS, at);
      const current =
        timer.payload['enteredAt'] === deal?.stageEnteredAt && timer.payload['stage'] === deal?.stage;
      expect(out.deal !== undefined).toBe(current);
      if (out.deal !== undefined) {
        expect(out.deal.flags.stale?.since).toBe(timer.dueAt);
        expect(out.deal.flags.stale!.since - out.deal.stageEnteredAt).toBe(out.deal.flags.stale!.limitMs);
        const days = Math.floor((at - out.deal.stageEnteredAt) / DAY);
        const alert = out.effects.find((e) => e.kind === 'outbox' && e.type === 'deal_stale');
        expect(alert?.kind === 'outbox' && alert.payload['daysInStage']).toBe(days);
      } else expect(out.effects).toEqual([]);
    }
  });
});
