/** `GET /metrics`: Prometheus text 0.0.4 with the store's figures and the requests served. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServer, EXAMPLE_EVENTS, type ApiServer } from '../../../test/support/apiServer.ts';
import { exposition } from '../metricsText.ts';

let api: ApiServer;
beforeAll(async () => {
  api = await apiServer();
  await api.post('/v1/events', EXAMPLE_EVENTS);
  await api.post('/v1/events', EXAMPLE_EVENTS);
  await api.get('/v1/contacts/nobody@nowhere.example');
  await api.get('/no/such/path');
});
afterAll(async () => {
  expect(api.bugs).toEqual([]);
  await api.close();
});

describe('GET /metrics', () => {
  it('exposes the store’s figures, the requests served and the uptime', async () => {
    const res = await api.get('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const lines = res.body.split('\n');
    expect(lines.filter((l) => !l.startsWith('#') && !l.startsWith('revops_process_'))).toEqual([
      'revops_events_stored 16',
      'revops_contacts{stage="subscriber"} 2',
      'revops_contacts{stage="lead"} 2',
      'revops_contacts{stage="mql"} 1',
      'revops_contacts{stage="sql"} 0',
      'revops_contacts{stage="opportunity"} 0',
      'revops_contacts{stage="customer"} 0',
      'revops_contacts{stage="evangelist"} 0',
      'revops_contacts{stage="recycled"} 0',
      'revops_contacts{stage="disqualified"} 0',
      'revops_routing_decisions{kind="assigned"} 1',
      'revops_routing_decisions{kind="kept"} 0',
      'revops_routing_decisions{kind="queued"} 0',
      'revops_routing_decisions{kind="review"} 0',
      // Ava's task reminder, SLA clocks and ladders and the others' lifecycle timers: all due
      // before 2026-11-09 13:00 (no timer runner in this test).
      // The routed MQL's three SLA clocks hold one timer each (decision 016), plus the task reminder.
      'revops_timers_pending 4',
      'revops_timers_overdue 4',
      'revops_outbox_messages{status="pending"} 11',
      'revops_outbox_messages{status="delivered"} 0',
      'revops_outbox_messages{status="dead"} 0',
      'revops_outbox_messages{status="skipped"} 0',
      'revops_tasks{status="open"} 1',
      'revops_tasks{status="done"} 0',
      'revops_tasks{status="cancelled"} 0',
      'revops_sla_clocks{status="open"} 3',
      'revops_sla_clocks{status="met"} 0',
      'revops_sla_clocks{status="breached"} 0',
      'revops_sla_clocks{status="cancelled"} 0',
      'revops_http_requests_total{method="GET",route="/v1/contacts/:ref",status="404"} 1',
      'revops_http_requests_total{method="POST",route="/v1/events",status="200"} 2',
      'revops_http_requests_total{method="GET",route="unmatched",status="404"} 1',
      // The example batch's contacts and accounts, then nobody@nowhere: all read from their rows
      // (or found missing); a first sighting is not kept (decision 024).
      'revops_state_cache_lookups_total{result="hit"} 0',
      'revops_state_cache_lookups_total{result="miss"} 9',
      'revops_state_cache_cleared_total 0',
      'revops_state_cache_entries{kind="contact"} 0',
      'revops_state_cache_entries{kind="account"} 0',
      'revops_state_cache_entries{kind="clock_free_lead"} 0',
      'revops_state_cache_clock_lookups_skipped_total 0',
      '',
    ]);
    const stats = await api.store.stats(api.clock.now());
    expect(lines).toContain(`revops_timers_pending ${stats.timersPending}`);
    expect(lines).toContain(`revops_timers_overdue ${stats.timersOverdue}`);
    expect(stats.timersOverdue).toBe(stats.timersPending);
    expect(lines).toContain(
      `revops_outbox_messages{status="pending"} ${stats.outboxByStatus['pending'] ?? 0}`,
    );
    expect(lines).toContain('# TYPE revops_http_requests_total counter');
    expect(lines).toContain('# TYPE revops_contacts gauge');
    expect(lines.find((l) => l.startsWith('revops_process_uptime_seconds '))).toMatch(
      /^revops_process_uptime_seconds \d+(\.\d+)?$/,
    );
  });

  it('escapes label values and help text as the text format requires', () => {
    expect(
      exposition([
        {
          name: 'x',
          help: 'a \\ back\nslash',
          type: 'gauge',
          series: [{ labels: { route: 'a"b\\c\nd' }, value: 1.5 }, { value: Number.POSITIVE_INFINITY }],
        },
      ]),
    ).toBe('# HELP x a \\\\ back\\nslash\n# TYPE x gauge\nx{route="a\\"b\\\\c\\nd"} 1.5\nx +Inf\n');
  });
});

describe('GET /metrics: the state cache', () => {
  it('counts a returning visitor read from its row once, then from memory', async () => {
    const visit = (id: string) =>
      api.post('/v1/events', {
        id,
        type: 'page_view',
        at: '2026-11-09T12:00:00Z',
        contact: { email: 'ava.chen@northwind.io' },
        properties: { url: 'https://example.com/pricing', category: 'pricing' },
      });
    const figures = async () =>
      (await api.get('/metrics')).body.split('\n').filter((l) => l.startsWith('revops_state_cache_'));
    const before = await figures();
    expect((await visit('metrics-cache-1')).statusCode).toBe(200);
    expect((await visit('metrics-cache-2')).statusCode).toBe(200);
    // Ava and Northwind: read from their rows by the first visit (and kept: found stored), from
    // memory by the second.
    expect(before.slice(0, 2)).toEqual([
      'revops_state_cache_lookups_total{result="hit"} 0',
      'revops_state_cache_lookups_total{result="miss"} 9',
    ]);
    expect(await figures()).toEqual([
      'revops_state_cache_lookups_total{result="hit"} 2',
      'revops_state_cache_lookups_total{result="miss"} 11',
      'revops_state_cache_cleared_total 0',
      'revops_state_cache_entries{kind="contact"} 1',
      'revops_state_cache_entries{kind="account"} 1',
      // Ava is an MQL with running clocks: her clocks are looked up every time.
      'revops_state_cache_entries{kind="clock_free_lead"} 0',
      'revops_state_cache_clock_lookups_skipped_total 0',
    ]);
  });
});

describe('GET /metrics: leads known to have no running SLA clock', () => {
  it('counts the clock look-ups a returning visitor without clocks no longer needs', async () => {
    const visit = (id: string) =>
      api.post('/v1/events', {
        id,
        type: 'page_view',
        at: '2026-11-09T12:05:00Z',
        contact: { email: 'noor@quietfield.example' },
        properties: { url: 'https://example.com/blog/a', category: 'blog' },
      });
    const clockFigures = async () =>
      (await api.get('/metrics')).body
        .split('\n')
        .filter((l) =>
          /^revops_state_cache_(entries\{kind="clock_free_lead"\}|clock_lookups_skipped_total)/.test(l),
        );
    const seen: string[][] = [await clockFigures()];
    for (const id of ['quiet-1', 'quiet-2', 'quiet-3', 'quiet-4']) {
      expect((await visit(id)).statusCode).toBe(200);
      seen.push(await clockFigures());
    }
    const figures = (free: number, skipped: number) => [
      `revops_state_cache_entries{kind="clock_free_lead"} ${free}`,
      `revops_state_cache_clock_lookups_skipped_total ${skipped}`,
    ];
    expect(seen).toEqual([
      figures(0, 0),
      // A first sighting has no clock to look up; the second visit looks and finds none, and is
      // remembered; every later visit skips the look-up.
      figures(0, 0),
      figures(1, 0),
      figures(1, 1),
      figures(1, 2),
    ]);
  });
});
