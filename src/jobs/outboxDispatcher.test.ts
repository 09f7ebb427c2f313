/**
 * The dispatcher end to end on every dialect: the real engine writes the outbox (the demo request
 * of test/support/cli.ts: an MQL routed to priya), local receivers on 127.0.0.1 take the webhooks,
 * Slack messages and email, and signatures are checked with the independent `standardwebhooks`.
 */
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runtime } from '../compose.ts';
import { safeLoadConfigText } from '../config/loader.ts';
import type { RevopsConfig } from '../config/schema/index.ts';
import { readTemplate } from '../config/templates/index.ts';
import type { OutboxItem, Store } from '../core/ports.ts';
import { SimulatedClock, systemClock } from '../engine/clock.ts';
import { newWebhookSecret } from '../net/standardWebhooks.ts';
import { DIALECTS } from '../../test/support/dialects.ts';
import { DEMO_REQUEST } from '../../test/support/cli.ts';
import { createDispatcher, startDispatcher, type DispatcherOptions } from './outboxDispatcher.ts';
import { startReceiver, startSmtpSink, type Receiver, type Reply } from './outboxTestServers.ts';

const AT = Date.parse(DEMO_REQUEST.at);
const NOW = AT + 1_000;
const ASSIGNED = `assigned:email:lee@company1.com:${AT}`;
const SECRET = newWebhookSecret();

function configWith(delivery: string): RevopsConfig {
  const loaded = safeLoadConfigText(`${readTemplate('mid-market')}\n${delivery}`, 'mid-market.yaml');
  if (!loaded.ok) throw new Error(loaded.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
  return loaded.config;
}

const WEBHOOK_ONLY = configWith(`
delivery:
  allowPrivate: ['127.0.0.1']
  webhooks:
    - { id: crm, urlEnv: CRM_HOOK_URL, secretEnv: CRM_HOOK_SECRET, types: [assigned] }
`);

describe.each(DIALECTS)('outbox dispatcher on $name', (dialect) => {
  let store: Store;
  const receivers: Receiver[] = [];
  const receiver = async (reply?: (n: number) => Reply) => {
    const r = await startReceiver(reply === undefined ? undefined : (_req, n) => reply(n));
    receivers.push(r);
    return r;
  };

  beforeEach(async () => {
    store = await dialect.open();
    const { engine } = runtime(store, WEBHOOK_ONLY, new SimulatedClock(AT));
    await engine.ingest([DEMO_REQUEST]);
  });
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.close()));
    await store.close();
  });

  const dispatcher = (
    config: RevopsConfig,
    env: Record<string, string>,
    over: Partial<DispatcherOptions> = {},
  ) => createDispatcher(Object.assign({ store, config, clock: systemClock, env, random: () => 0.5 }, over));
  const item = async (key = ASSIGNED): Promise<OutboxItem> => {
    const found = await store.findOutboxItem(key);
    if (found === undefined) throw new Error(`no outbox row ${key}`);
    return found;
  };
  const crm = (r: Receiver) => ({ CRM_HOOK_URL: `${r.url}/hooks/revops`, CRM_HOOK_SECRET: SECRET });

  it('delivers a signed webhook once, with the row key as webhook-id, and skips what nothing takes', async () => {
    const hooks = await receiver();
    const report = await dispatcher(WEBHOOK_ONLY, crm(hooks)).runOnce(NOW);
    expect(report).toEqual({ at: NOW, claimed: 5, delivered: 1, retried: 0, dead: 0, skipped: 4, lost: 0 });
    expect(hooks.requests).toHaveLength(1);
    const [request] = hooks.requests;
    expect(request?.path).toBe('/hooks/revops');
    expect(request?.headers['webhook-id']).toBe(ASSIGNED);
    expect(request?.headers['idempotency-key']).toBe(ASSIGNED);
    expect(request?.headers['content-type']).toBe('application/json');
    const body = new Webhook(SECRET).verify(request?.body ?? '', request?.headers as Record<string, string>);
    expect(body).toMatchObject({
      type: 'assigned',
      timestamp: '2026-11-24T15:01:00.000Z',
      data: {
        key: ASSIGNED,
        contact: 'email:lee@company1.com',
        payload: { to: 'rep:priya', rule: 'round-robin', team: 'general' },
        lead: {
          name: 'Lee Number1',
          email: 'lee@company1.com',
          company: 'Company 1',
          stage: 'mql',
          owner: 'priya',
          score: { total: 41, fit: 30, engagement: 25, mql: true },
          sla: { name: 'Speed to lead', dueAt: '2026-11-24T15:06:00.000Z' },
        },
      },
    });
    expect(await item()).toMatchObject({
      status: 'delivered',
      attempts: 1,
      deliveredTo: ['webhook:crm'],
      settledAt: NOW,
    });
    expect(await item(`mql:email:lee@company1.com:${AT}`)).toMatchObject({
      status: 'skipped',
      lastError: 'no destination takes `mql`',
    });
    expect(await dispatcher(WEBHOOK_ONLY, crm(hooks)).runOnce(NOW + 3_600_000)).toMatchObject({ claimed: 0 });
    expect(hooks.requests).toHaveLength(1);
  });

  it('retries a 500 after the backoff and delivers, with the same webhook-id on both attempts', async () => {
    const hooks = await receiver((n) => (n === 0 ? { status: 500, body: 'boom' } : { status: 204 }));
    const run = dispatcher(WEBHOOK_ONLY, crm(hooks));
    expect(await run.runOnce(NOW)).toMatchObject({ retried: 1, delivered: 0 });
    expect(await item()).toMatchObject({
      status: 'pending',
      attempts: 1,
      nextAttemptAt: NOW + 9_000,
      lastError: 'webhook:crm: HTTP 500: boom',
      deliveredTo: [],
    });
    expect(await run.runOnce(NOW + 8_999)).toMatchObject({ claimed: 0 });
    expect(await run.runOnce(NOW + 9_000)).toMatchObject({ claimed: 1, delivered: 1 });
    expect(await item()).toMatchObject({ status: 'delivered', attempts: 2, deliveredTo: ['webhook:crm'] });
    expect(hooks.requests.map((r) => r.headers['webhook-id'])).toEqual([ASSIGNED, ASSIGNED]);
    for (const r of hooks.requests)
      expect(() => new Webhook(SECRET).verify(r.body, r.headers as Record<string, string>)).not.toThrow();
  });

  it('dead-letters a 400 at once, with the status and the start of the body', async () => {
    const hooks = await receiver(() => ({ status: 400, body: '{"error":"unknown field \\"rule\\""}' }));
    expect(await dispatcher(WEBHOOK_ONLY, crm(hooks)).runOnce(NOW)).toMatchObject({ dead: 1 });
    expect(await item()).toMatchObject({
      status: 'dead',
      attempts: 1,
      settledAt: NOW,
      lastError: 'webhook:crm: HTTP 400: {"error":"unknown field \\"rule\\""}',
    });
    expect(hooks.requests).toHaveLength(1);
  });

  it('retries 408 after the backoff and 429 after its Retry-After', async () => {
    const timeout = await receiver(() => ({ status: 408 }));
    await dispatcher(WEBHOOK_ONLY, crm(timeout)).runOnce(NOW);
    expect(await item()).toMatchObject({
      status: 'pending',
      nextAttemptAt: NOW + 9_000,
      lastError: 'webhook:crm: HTTP 408',
    });
    const busy = await receiver(() => ({
      status: 429,
      headers: { 'retry-after': '120' },
      body: 'slow down',
    }));
    await dispatcher(WEBHOOK_ONLY, crm(busy)).runOnce(NOW + 9_000);
    expect(await item()).toMatchObject({
      status: 'pending',
      attempts: 2,
      nextAttemptAt: NOW + 9_000 + 120_000,
      lastError: 'webhook:crm: HTTP 429: slow down',
    });
  });

  it('gives up after 10 attempts over ~24.6 h, then `retry` revives the row and it is delivered', async () => {
    let down = true;
    const hooks = await receiver(() => (down ? { status: 503, body: 'down' } : { status: 200 }));
    const run = dispatcher(WEBHOOK_ONLY, crm(hooks));
    let at = NOW;
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      expect(await run.runOnce(at)).toMatchObject({ claimed: attempt === 1 ? 5 : 1 });
      const row = await item();
      if (attempt < 10) at = row.nextAttemptAt;
    }
    expect(at - NOW).toBe(88_569_000);
    expect(await item()).toMatchObject({
      status: 'dead',
      attempts: 10,
      lastError: 'gave up after 10 attempts: webhook:crm: HTTP 503: down',
    });
    expect(new Set(hooks.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([ASSIGNED]));
    expect(hooks.requests).toHaveLength(10);
    const { id } = await item();
    expect(await store.reviveOutbox([id], at + 60_000)).toEqual([id]);
    down = false;
    expect(await run.runOnce(at + 60_000)).toMatchObject({ claimed: 1, delivered: 1 });
    expect(await item()).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(hooks.requests).toHaveLength(11);
  });

  it('refuses a loopback destination that is not allow-listed: dead at once, nothing sent', async () => {
    const hooks = await receiver();
    const lines: string[] = [];
    const config = configWith(`
delivery:
  webhooks:
    - { id: crm, urlEnv: CRM_HOOK_URL, secretEnv: CRM_HOOK_SECRET, types: [assigned] }
`);
    expect(await dispatcher(config, crm(hooks), { onLog: (l) => lines.push(l) }).runOnce(NOW)).toMatchObject({
      dead: 1,
    });
    const refusal =
      'outbox.destination_refused: 127.0.0.1 is a loopback address; allow it in delivery.allowPrivate if it is yours';
    expect(await item()).toMatchObject({ status: 'dead', attempts: 1, lastError: `webhook:crm: ${refusal}` });
    expect(lines).toEqual([`outbox ${(await item()).id} (${ASSIGNED}): webhook:crm: ${refusal}`]);
    expect(hooks.requests).toHaveLength(0);
  });

  it('dead-letters a row whose destination secret is not set, naming the variable', async () => {
    const hooks = await receiver();
    await dispatcher(WEBHOOK_ONLY, { CRM_HOOK_URL: hooks.url }).runOnce(NOW);
    expect(await item()).toMatchObject({
      status: 'dead',
      lastError: 'webhook:crm: CRM_HOOK_SECRET is not set (delivery.webhooks[0].secretEnv)',
    });
  });

  it('posts Slack messages with the lead context, and a retry sends only to what failed', async () => {
    const hooks = await receiver();
    const slack = await receiver((n) =>
      n === 0 ? { status: 500, body: 'internal_error' } : { status: 200, body: 'ok' },
    );
    const config = configWith(`
delivery:
  allowPrivate: ['127.0.0.1']
  webhooks:
    - { id: crm, urlEnv: CRM_HOOK_URL, secretEnv: CRM_HOOK_SECRET, types: [assigned] }
  slack:
    - { id: floor, urlEnv: SLACK_FLOOR_URL, types: [assigned] }
`);
    const run = dispatcher(config, Object.assign(crm(hooks), { SLACK_FLOOR_URL: slack.url }));
    await run.runOnce(NOW);
    expect(await item()).toMatchObject({
      status: 'pending',
      deliveredTo: ['webhook:crm'],
      lastError: 'slack:floor: HTTP 500: internal_error',
    });
    await run.runOnce(NOW + 9_000);
    expect(await item()).toMatchObject({ status: 'delivered', deliveredTo: ['webhook:crm', 'slack:floor'] });
    expect(hooks.requests).toHaveLength(1);
    expect(slack.requests).toHaveLength(2);
    const message = JSON.parse(slack.requests[1]?.body ?? '{}') as {
      text: string;
      blocks: { fields?: { text: string }[] }[];
    };
    expect(message.text).toBe(':inbox_tray: New lead for Priya Natarajan: *Lee Number1* (Company 1)');
    expect(message.blocks[1]?.fields?.map((f) => f.text)).toEqual([
      '*Owner*\nPriya Natarajan',
      '*Score*\n41 (fit 30 · engagement 25) · MQL',
      '*Why*\n+25 Demo request or trial signup · +15 Company size: 50-1,000 employees · +15 Job title: Manager to VP',
      '*Rule*\nround-robin',
      '*SLA*\nSpeed to lead due <!date^1795532760^{date_short_pretty} at {time}|2026-11-24 15:06 UTC>',
      '*Stage*\nmql',
      '*Email*\nlee@company1.com',
    ]);
  });

  it('sends rows addressed to a notification channel to its URL, and skips them while it has none', async () => {
    const channel = await receiver();
    await store.transaction((tx) =>
      tx.insertOutbox([
        {
          kind: 'outbox',
          key: 'notify:channel-test',
          type: 'notify',
          contactKey: 'email:lee@company1.com',
          at: AT,
          payload: { to: 'channel:sales-alerts', message: 'New MQL Lee Number1 (Company 1), score 41.' },
        },
      ]),
    );
    const config = configWith(`
delivery:
  allowPrivate: ['127.0.0.1']
`);
    await dispatcher(config, { SLACK_SALES_ALERTS_URL: channel.url }).runOnce(NOW);
    expect(await item('notify:channel-test')).toMatchObject({
      status: 'delivered',
      deliveredTo: ['channel:sales-alerts'],
    });
    expect((JSON.parse(channel.requests[0]?.body ?? '{}') as { text: string }).text).toBe(
      ':bell: New MQL Lee Number1 (Company 1), score 41.',
    );
    expect(await item()).toMatchObject({ status: 'skipped', lastError: 'no destination takes `assigned`' });
  });

  it('skips channel rows when the channel URL variable is unset, saying so', async () => {
    await store.transaction((tx) =>
      tx.insertOutbox([
        {
          kind: 'outbox',
          key: 'notify:unset',
          type: 'notify',
          at: AT,
          payload: { to: 'channel:sales-alerts', message: 'x' },
        },
      ]),
    );
    await dispatcher(configWith('delivery: {}'), {}).runOnce(NOW);
    expect(await item('notify:unset')).toMatchObject({
      status: 'skipped',
      lastError:
        'channel sales-alerts has no URL: SLACK_SALES_ALERTS_URL is not set (notifications.channels[0].urlEnv)',
    });
  });

  it('emails the owner through SMTP', async () => {
    const sink = await startSmtpSink();
    try {
      const config = configWith(`
delivery:
  allowPrivate: ['127.0.0.1']
  email: { host: 127.0.0.1, port: ${sink.port}, from: revops@example.com, types: [assigned, mql] }
`);
      expect(await dispatcher(config, {}).runOnce(NOW)).toMatchObject({ delivered: 2, skipped: 3 });
      expect(sink.messages.map((m) => [m.from, m.to])).toEqual([
        ['revops@example.com', ['priya.natarajan@example.com']],
        ['revops@example.com', ['priya.natarajan@example.com']],
      ]);
      expect(await item()).toMatchObject({ status: 'delivered', deliveredTo: ['email'] });
    } finally {
      await sink.close();
    }
  });

  it('claims nothing while the config has no delivery section', async () => {
    const config = configWith('');
    expect(await dispatcher(config, {}).runOnce(NOW)).toEqual({
      at: NOW,
      claimed: 0,
      delivered: 0,
      retried: 0,
      dead: 0,
      skipped: 0,
      lost: 0,
    });
    expect(await store.countOutbox()).toEqual({ pending: 5, delivered: 0, dead: 0, skipped: 0 });
  });

  it('polls when started and stops cleanly', async () => {
    const hooks = await receiver();
    const batches: number[] = [];
    const running = startDispatcher({
      store,
      config: () => WEBHOOK_ONLY,
      clock: systemClock,
      env: crm(hooks),
      pollMs: 10,
      onBatch: (r) => batches.push(r.claimed),
    });
    for (let i = 0; i < 200 && hooks.requests.length === 0; i += 1)
      await new Promise((r) => setTimeout(r, 10));
    await running.stop();
    await running.stop();
    expect(hooks.requests).toHaveLength(1);
    expect(batches).toEqual([5]);
    expect(await store.countOutbox()).toEqual({ pending: 0, delivered: 1, dead: 0, skipped: 4 });
  });
});
