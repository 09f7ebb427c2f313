// The generated calibration example (examples/calibration): it cannot drift from its script, every
// event passes the engine's validation under the sales-led template, and truth.json counts what the
// history holds.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FEATURE_RULES, writeCalibrationHistory } from '../scripts/generate-calibration-history.ts';
import { engineSetup } from '../src/config/engineModel.ts';
import { loadConfigFile } from '../src/config/loader.ts';
import { templatePath } from '../src/config/templates/index.ts';
import { validateBatch } from '../src/engine/ingest.ts';

const EXAMPLE = new URL('../examples/calibration/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, EXAMPLE));
const DAY = 86_400_000;

interface RawEvent {
  id: string;
  type: string;
  at: string;
  contact: { email: string };
  company?: { domain?: string };
  properties?: Record<string, unknown>;
}
interface Truth {
  totals: Record<'leads' | 'outcomes' | 'won' | 'lost' | 'accept' | 'reject' | 'events', number>;
  ruleHits: Record<string, { outcomes: number; won: number }>;
  leads: { email: string; features: Record<string, boolean>; pWin: number; outcome: 'won' | 'lost' }[];
}

const lines = read('history.ndjson').toString('utf8').trimEnd().split('\n');
const events = lines.map((line) => JSON.parse(line) as RawEvent);
const truth = JSON.parse(read('truth.json').toString('utf8')) as Truth;
const count = (test: (e: RawEvent) => boolean) => events.filter(test).length;
const action = (e: RawEvent) => e.properties?.['action'];
const decision = (e: RawEvent) => (e.type === 'sales_decision' ? e.properties?.['decision'] : undefined);

const dir = mkdtempSync(join(tmpdir(), 'revops-calibration-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('examples/calibration', () => {
  it('is exactly what the generator writes', async () => {
    await writeCalibrationHistory(dir);
    for (const name of ['history.ndjson', 'truth.json', 'README.md']) {
      expect(readFileSync(join(dir, name)).equals(read(name)), name).toBe(true);
    }
    expect(read('history.ndjson').length).toBeLessThan(3_000_000);
  });

  it('passes the engine validation under the sales-led template, ids unique and in time order', () => {
    const setup = engineSetup(loadConfigFile(templatePath('sales-led')));
    const { valid, results } = validateBatch(events, { ...setup.catalog, now: 0, defaultSource: 'import' });
    expect(results.filter((r) => r !== undefined)).toEqual([]);
    expect(valid).toHaveLength(events.length);
    events.forEach((e, i) => expect(e.id).toBe(`cal-${String(i + 1).padStart(6, '0')}`));
    const times = valid.map((v) => v.event.at);
    expect(times.every((t, i) => i === 0 || (times[i - 1] as number) <= t)).toBe(true);
    expect(times[0]).toBeGreaterThanOrEqual(Date.parse('2025-12-01T00:00:00Z'));
    expect(times[times.length - 1]).toBeLessThan(Date.parse('2026-11-01T00:00:00Z'));
    // Work domains must not be taken for free mail, or the leads would lose their account.
    const domains = new Set(
      events.flatMap((e) => (e.company?.domain === undefined ? [] : [e.company.domain])),
    );
    expect(domains.size).toBe(400);
    expect([...domains].filter((d) => setup.model.isFreeMail(d))).toEqual([]);
  });

  it('has totals in truth.json that match the events', () => {
    const identifies = events.filter((e) => e.type === 'identify').map((e) => e.contact.email);
    expect(new Set(identifies).size).toBe(identifies.length);
    expect({
      leads: identifies.length,
      outcomes: count(
        (e) => e.type === 'deal' && (action(e) === 'closed_won' || action(e) === 'closed_lost'),
      ),
      won: count((e) => e.type === 'deal' && action(e) === 'closed_won'),
      lost: count((e) => e.type === 'deal' && action(e) === 'closed_lost'),
      accept: count((e) => decision(e) === 'accept'),
      reject: count((e) => decision(e) === 'reject'),
      events: events.length,
    }).toEqual({
      leads: truth.totals.leads,
      outcomes: truth.totals.outcomes,
      won: truth.totals.won,
      lost: truth.totals.lost,
      accept: truth.totals.accept,
      reject: truth.totals.reject,
      events: truth.totals.events,
    });
    expect(truth.totals).toMatchObject({ leads: 1200, outcomes: 428, won: 185, lost: 243, events: 12593 });
    expect(truth.totals.accept / (truth.totals.accept + truth.totals.reject)).toBeLessThan(0.3);
  });

  it('closes each truth lead as truth.json says, 2-8 weeks after its last activity, after accept and deal', () => {
    const sales = new Set(['sales_decision', 'deal']);
    const byEmail = new Map<string, RawEvent[]>();
    for (const e of events) byEmail.set(e.contact.email, [...(byEmail.get(e.contact.email) ?? []), e]);
    expect(truth.leads).toHaveLength(truth.totals.outcomes);
    for (const lead of truth.leads) {
      const own = byEmail.get(lead.email) ?? [];
      const close = own.find((e) => e.type === 'deal' && String(action(e)).startsWith('closed_'));
      expect(action(close as RawEvent), lead.email).toBe(`closed_${lead.outcome}`);
      const closeAt = Date.parse((close as RawEvent).at);
      const lastActivity = Math.max(...own.filter((e) => !sales.has(e.type)).map((e) => Date.parse(e.at)));
      expect(closeAt - lastActivity).toBeGreaterThanOrEqual(14 * DAY);
      expect(closeAt - lastActivity).toBeLessThanOrEqual(56 * DAY);
      const before = own.filter((e) => Date.parse(e.at) < closeAt);
      expect(before.some((e) => decision(e) === 'accept')).toBe(true);
      expect(before.some((e) => e.type === 'deal' && action(e) === 'created')).toBe(true);
    }
  });

  it('hits every scored rule it stands for in at least 10% of the outcomes', () => {
    for (const rule of Object.values(FEATURE_RULES)) {
      expect(truth.ruleHits[rule]?.outcomes, rule).toBeGreaterThanOrEqual(0.1 * truth.totals.outcomes);
      const hits = truth.leads.filter((l) => l.features[featureOf(rule)]).length;
      expect(hits, rule).toBe(truth.ruleHits[rule]?.outcomes);
    }
  });
});

function featureOf(rule: string): string {
  return Object.entries(FEATURE_RULES).find(([, r]) => r === rule)?.[0] ?? '';
}
