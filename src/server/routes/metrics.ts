/**
 * `GET /metrics`: Prometheus text (0.0.4) — events stored, contacts by stage, routing decisions by
 * kind, timers pending and overdue, outbox messages by status, tasks and SLA clocks by status, HTTP
 * requests by route and status code, and process uptime. One grouped read of the store per scrape.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { OutboxStatus, StoreStats } from '../../core/ports.ts';
import { SLA_CLOCK_STATUSES } from '../../core/sla/model.ts';
import type { ServerContext } from '../context.ts';
import type { HttpMetrics } from '../httpMetrics.ts';
import { exposition, labelled, type MetricFamily } from '../metricsText.ts';

/** Every outbox status, listed with 0 when no row has it. */
const OUTBOX_STATUSES = [
  'pending',
  'delivered',
  'dead',
  'skipped',
] as const satisfies readonly OutboxStatus[];

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Registers `GET /metrics`, reading HTTP counts from `http`. Does not throw. */
export async function metricsRoutes(
  app: FastifyInstance,
  ctx: ServerContext,
  http: HttpMetrics,
): Promise<void> {
  await Promise.resolve();
  app.get(
    '/metrics',
    {
      config: { scope: 'public' },
      schema: {
        tags: ['health'],
        summary: 'Prometheus metrics (text format 0.0.4)',
        response: { 200: z.string().describe('Prometheus text exposition') },
      },
      serializerCompiler: () => (data) => String(data),
    },
    async (_request, reply) => {
      const now = ctx.clock.now();
      const stats = await ctx.store.stats(now);
      const stages = ctx.workspace.current().config.lifecycle.stages.map((s) => s.id);
      const families: MetricFamily[] = [
        {
          name: 'revops_events_stored',
          help: 'Events stored (accepted, unique by id).',
          type: 'gauge',
          series: [{ value: stats.events }],
        },
        {
          name: 'revops_contacts',
          help: 'Contacts by lifecycle stage.',
          type: 'gauge',
          series: labelled('stage', stats.contactsByStage, stages),
        },
        {
          name: 'revops_routing_decisions',
          help: 'Routing decisions recorded, by kind (assigned, kept, queued, review).',
          type: 'gauge',
          series: labelled('kind', stats.assignmentsByKind, ['assigned', 'kept', 'queued', 'review']),
        },
        {
          name: 'revops_timers_pending',
          help: 'Timers scheduled and not yet fired.',
          type: 'gauge',
          series: [{ value: stats.timersPending }],
        },
        {
          name: 'revops_timers_overdue',
          help: 'Pending timers whose due time has passed (the timer runner is behind when this stays above 0).',
          type: 'gauge',
          series: [{ value: stats.timersOverdue }],
        },
        {
          name: 'revops_outbox_messages',
          help: 'Outbox messages by delivery status.',
          type: 'gauge',
          series: labelled('status', stats.outboxByStatus, OUTBOX_STATUSES),
        },
        {
          name: 'revops_tasks',
          help: 'Tasks by status.',
          type: 'gauge',
          series: labelled('status', stats.tasksByStatus, ['open', 'done', 'cancelled']),
        },
        {
          name: 'revops_sla_clocks',
          help: 'SLA clocks by status.',
          type: 'gauge',
          series: labelled('status', stats.slaClocksByStatus, SLA_CLOCK_STATUSES),
        },
        {
          name: 'revops_http_requests_total',
          help: 'HTTP requests answered, by method, route pattern and status code.',
          type: 'counter',
          series: http.series().map((s) => ({
            labels: { method: s.method, route: s.route, status: String(s.status) },
            value: s.count,
          })),
        },
        ...cacheFamilies(stats.stateCache),
        {
          name: 'revops_process_uptime_seconds',
          help: 'Seconds since the process started.',
          type: 'gauge',
          series: [{ value: Math.round(process.uptime() * 1000) / 1000 }],
        },
      ];
      return reply.type(METRICS_CONTENT_TYPE).send(exposition(families));
    },
  );
}

/**
 * The state cache's figures (SQLite): a low hit share with many events about known contacts, or
 * `cleared` climbing, says another process writes the same database file (docs/events.md#importing).
 */
function cacheFamilies(cache: StoreStats['stateCache']): MetricFamily[] {
  if (cache === undefined) return [];
  return [
    {
      name: 'revops_state_cache_lookups_total',
      help: 'Contact and account look-ups answered from the store’s memory (hit) or its rows (miss).',
      type: 'counter',
      series: [
        { labels: { result: 'hit' }, value: cache.hits },
        { labels: { result: 'miss' }, value: cache.misses },
      ],
    },
    {
      name: 'revops_state_cache_cleared_total',
      help: 'Times the kept contacts and accounts were dropped because another connection committed.',
      type: 'counter',
      series: [{ value: cache.cleared }],
    },
    {
      name: 'revops_state_cache_entries',
      help: 'Contacts and accounts kept between transactions, and leads known to have no running SLA clock.',
      type: 'gauge',
      series: [
        { labels: { kind: 'contact' }, value: cache.contacts },
        { labels: { kind: 'account' }, value: cache.accounts },
        { labels: { kind: 'clock_free_lead' }, value: cache.clockFree },
      ],
    },
    {
      name: 'revops_state_cache_clock_lookups_skipped_total',
      help: 'SLA clock look-ups not run because the lead was known to have no running clock.',
      type: 'counter',
      series: [{ value: cache.clockLookupsSkipped }],
    },
  ];
}
