/**
 * The deal desk model compiled from the three templates through the real loader, its tiers' CEL
 * evaluated against `dealRuleContext`, and approval requests run end to end on the company calendar
 * (New York 09:00–17:00, US holidays). Figures from revops-SKILL.md "Deal Desk Processes".
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { decideApproval, requestApproval } from '../core/dealdesk/approval.ts';
import type { DealDeskModel } from '../core/dealdesk/model.ts';
import { dealRuleContext } from '../core/dealdesk/terms.ts';
import type { DealFieldValue, DealState } from '../core/pipeline/types.ts';
import { createBusinessCalendar, type BusinessCalendar } from '../core/time/calendar.ts';
import type { Duration } from '../core/time/duration.ts';
import { dealDeskModel } from './dealDeskModel.ts';
import { safeLoadConfigFile } from './loader.ts';
import type { RevopsConfig } from './schema/index.ts';
import { TEMPLATE_NAMES, templatePath, type TemplateName } from './templates/index.ts';

const NY = 'America/New_York';
const at = (iso: string): number => DateTime.fromISO(iso, { zone: NY }).toMillis();
const show = (t: number): string => DateTime.fromMillis(t, { zone: NY }).toISO() ?? 'invalid';

const cache = new Map<
  TemplateName,
  { config: RevopsConfig; model: DealDeskModel; calendar: BusinessCalendar }
>();
function load(name: TemplateName): {
  config: RevopsConfig;
  model: DealDeskModel;
  calendar: BusinessCalendar;
} {
  const hit = cache.get(name);
  if (hit) return hit;
  const result = safeLoadConfigFile(templatePath(name));
  if (!result.ok) throw new Error(`${name} does not load: ${JSON.stringify(result.issues)}`);
  const { config } = result;
  const model = dealDeskModel(config);
  if (model === undefined) throw new Error(`${name} has no deal desk`);
  const calendar = createBusinessCalendar({
    timezone: config.calendar.timezone ?? config.company.timezone,
    hours: config.calendar.hours,
    holidays: config.calendar.holidays,
  });
  const loaded = { config, model, calendar };
  cache.set(name, loaded);
  return loaded;
}

function deal(fields: Readonly<Record<string, DealFieldValue>>, amount = 12000): DealState {
  const t0 = at('2026-02-02T09:30');
  return {
    id: 'deal-7',
    pipeline: 'new-business',
    stage: 'negotiation',
    status: 'open',
    name: 'Contoso rollout',
    account: 'contoso.com',
    owner: 'sofia',
    amount,
    currency: 'USD',
    contacts: [],
    fields,
    createdAt: t0,
    updatedAt: t0,
    stageEnteredAt: t0,
    history: [],
    pushes: [],
    flags: { skipped: [], forecastReview: false },
  };
}

const resolve = (r: string): string => (r === 'manager' ? 'rep:dan' : r === 'owner' ? 'rep:sofia' : r);
const TUE_1000 = at('2026-03-10T10:00');

describe.each(TEMPLATE_NAMES.map((template) => ({ template })))(
  '$template: the deal desk model',
  ({ template }) => {
    const { model, calendar } = load(template);
    const addTime = (start: number, d: Duration): number => calendar.addBusinessTime(start, d);
    const open = (d: DealState) =>
      requestApproval(d, model, { at: TUE_1000, requestedBy: 'rep:sofia', sequence: 1, resolve, addTime });

    it('has the reference tiers, threshold, SLA and escalation, frozen', () => {
      expect(model.threshold).toBe(25000);
      expect(model.currency).toBe('USD');
      expect(model.standardPaymentTerms).toEqual(['net-30']);
      expect(model.match).toBe('all');
      expect(model.approvalSla).toMatchObject({ kind: 'duration', business: true, amount: 2, unit: 'day' });
      expect(model.escalateTo).toBe('manager');
      expect(model.tiers.map((t) => [t.id, t.approvers, t.mode, t.when.id, t.when.scope])).toEqual([
        ['standard', [], 'all', 'dealDesk.tiers[0].when', 'deal'],
        ['sales-manager', ['manager'], 'all', 'dealDesk.tiers[1].when', 'deal'],
        ['vp-sales', ['role:vp_sales'], 'all', 'dealDesk.tiers[2].when', 'deal'],
        ['deal-desk', ['role:deal_desk'], 'all', 'dealDesk.tiers[3].when', 'deal'],
        ['multi-year', ['role:finance', 'role:legal'], 'all', 'dealDesk.tiers[4].when', 'deal'],
      ]);
      expect(Object.isFrozen(model)).toBe(true);
      expect(Object.isFrozen(model.tiers)).toBe(true);
      expect(Object.isFrozen(model.tiers[0])).toBe(true);
    });

    it.each([
      [{ discountPercent: 0, termMonths: 12, paymentTerms: 'net-30' }, ['standard']],
      [{}, ['standard']],
      [{ discountPercent: 15 }, ['sales-manager']],
      [{ discountPercent: 25, termMonths: 12 }, ['vp-sales']],
      [{ discountPercent: 40 }, ['deal-desk']],
      [{ discountPercent: 5, customTerms: true }, ['deal-desk']],
      [{ discountPercent: 0, termMonths: 36 }, ['standard', 'multi-year']],
      [{ discountPercent: '25', termMonths: '24' }, ['vp-sales', 'multi-year']],
    ])('the compiled tiers match %j → %j', (fields, tiers) => {
      const context = dealRuleContext(deal(fields));
      expect(model.tiers.filter((t) => t.when.evaluate(context)).map((t) => t.id)).toEqual(tiers);
    });

    it('approves a standard $12,000 deal at once with no exceptions', () => {
      const { request, effects } = open(deal({ discountPercent: 0, termMonths: 12, paymentTerms: 'net-30' }));
      expect(request.status).toBe('approved');
      expect(request.exceptions).toEqual([]);
      expect(effects).toEqual([]);
    });

    it('a 25% discount goes to the VP of Sales only, due Thursday 10:00', () => {
      const { request } = open(deal({ discountPercent: 25, termMonths: 12 }));
      expect(request.steps.map((s) => [s.tier, s.approvers])).toEqual([['vp-sales', ['role:vp_sales']]]);
      expect(show(request.dueAt)).toBe('2026-03-12T10:00:00.000-04:00');
    });

    it("a 15% discount goes to the owner's manager", () => {
      const { request } = open(deal({ discountPercent: 15, termMonths: 12 }));
      expect(request.steps.map((s) => [s.tier, s.approvers])).toEqual([['sales-manager', ['rep:dan']]]);
    });

    it('a 3-year contract needs finance, then legal', () => {
      const d = deal({ discountPercent: 0, termMonths: 36 }, 90000);
      const { request } = open(d);
      expect(request.exceptions.map((e) => e.detail)).toEqual([
        'ACV $30,000 over the $25,000 threshold',
        '36-month term',
      ]);
      const afterFinance = decideApproval(
        request,
        { approver: 'role:finance', decision: 'approve', at: TUE_1000 + 1 },
        d,
      );
      expect(afterFinance.request.status).toBe('pending');
      const afterLegal = decideApproval(
        afterFinance.request,
        { approver: 'role:legal', decision: 'approve', at: TUE_1000 + 2 },
        d,
      );
      expect(afterLegal.request.status).toBe('approved');
    });
  },
);
