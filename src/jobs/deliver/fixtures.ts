/**
 * Test support for the message builders (not used by the product): Lee's outbox rows and lead
 * context, as the demo request of test/support/cli.ts leaves them (an MQL routed to priya, Tuesday
 * 2026-11-24 15:01 UTC, on the five-minute speed-to-lead clock).
 */
import type { OutboxRow } from '../../core/ports.ts';
import type { JsonObject } from '../../core/types.ts';
import type { LeadContext } from './message.ts';

/** When the rows were written: the demo request's time. */
export const AT = Date.parse('2026-11-24T15:01:00Z');
/** Lee's contact key. */
export const LEE_KEY = 'email:lee@company1.com';

/** A pending row for Lee, keyed `<type>:<contact>:<AT>`, after one attempt; `over` replaces fields. */
export const outboxRow = (type: string, payload: JsonObject, over: Partial<OutboxRow> = {}): OutboxRow =>
  Object.assign(
    {
      kind: 'outbox' as const,
      key: `${type}:${LEE_KEY}:${AT}`,
      type,
      contactKey: LEE_KEY,
      at: AT,
      payload,
      status: 'pending' as const,
      attempts: 1,
      nextAttemptAt: AT,
    },
    over,
  );

/** Lee's full lead context with its top reason; `over` replaces fields. */
export const leeContext = (over: Partial<LeadContext> = {}): LeadContext =>
  Object.assign(
    {
      key: LEE_KEY,
      name: 'Lee Number1',
      email: 'lee@company1.com',
      company: 'Company 1',
      stage: 'mql',
      owner: 'priya',
      score: { total: 41, fit: 30, engagement: 25, mql: true },
      reasons: [{ label: 'Demo request or trial signup', points: 25 }],
      sla: { name: 'Speed to lead', dueAt: Date.parse('2026-11-24T15:06:00Z') },
    },
    over,
  );
