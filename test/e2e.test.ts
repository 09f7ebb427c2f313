// End to end over loopback: the real server (`startServer`, as `revops serve` runs it) with the
// outbox dispatcher, an API key, an event posted with fetch, and the resulting `assigned` webhook
// caught by a local receiver that verifies its signature with the independent `standardwebhooks`
// package.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMigratedStore } from '../src/compose.ts';
import { safeLoadConfigText } from '../src/config/loader.ts';
import { readTemplate } from '../src/config/templates/index.ts';
import { startReceiver, type Receiver } from '../src/jobs/outboxTestServers.ts';
import { newWebhookSecret } from '../src/net/standardWebhooks.ts';
import { createApiKey } from '../src/server/apiKeys.ts';
import { startServer, type RunningServer } from '../src/server/index.ts';
import { DEMO_REQUEST } from './support/cli.ts';

const SECRET = newWebhookSecret();
const STARTED = new Date().toISOString();
let dir: string;
let receiver: Receiver;
let server: RunningServer;
let key: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revops-e2e-'));
  receiver = await startReceiver();
  const text = `${readTemplate('mid-market')}
delivery:
  allowPrivate: [127.0.0.1]
  webhooks:
    - id: crm
      url: ${receiver.url}/revops
      secretEnv: E2E_WEBHOOK_SECRET
      types: [assigned]
`;
  const loaded = safeLoadConfigText(text, 'revops.yaml');
  if (!loaded.ok) throw new Error(loaded.issues.map((i) => i.message).join('\n'));
  const store = await openMigratedStore(join(dir, 'revops.db'));
  key = (await createApiKey(store, { name: 'e2e', scopes: ['ingest', 'read'], at: Date.now() })).key;
  server = await startServer({
    store,
    config: loaded.config,
    text,
    port: 0,
    env: { E2E_WEBHOOK_SECRET: SECRET },
    onLog: () => {},
  });
});

afterAll(async () => {
  await server?.close();
  await receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function until<T>(probe: () => T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the engine end to end over loopback', () => {
  it('refuses an event without a key, ingests it with one, and delivers the signed assigned webhook', async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${server.url}/v1/events`, {
        method: 'POST',
        headers: Object.assign({ 'content-type': 'application/json' }, headers),
        // Now, so that no SLA timer is already due (the server runs on the system clock).
        body: JSON.stringify(Object.assign({}, DEMO_REQUEST, { at: STARTED })),
      });
    const anonymous = await post({});
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('auth.missing_key');

    const accepted = await post({ authorization: `Bearer ${key}` });
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ accepted: 1, rejected: 0 });

    // The lead is visible at once: an MQL with a rep of the template's team.
    const contact = await fetch(`${server.url}/v1/contacts/lee@company1.com`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(contact.status).toBe(200);
    const lead = (await contact.json()) as { stage: string; owner: string };
    expect(lead.stage).toBe('mql');
    expect(['priya', 'leo', 'sofia', 'jonas']).toContain(lead.owner);

    const request = await until(() => receiver.requests[0]);
    expect(request.path).toBe('/revops');
    const headers = {
      'webhook-id': String(request.headers['webhook-id']),
      'webhook-timestamp': String(request.headers['webhook-timestamp']),
      'webhook-signature': String(request.headers['webhook-signature']),
    };
    const payload = new Webhook(SECRET).verify(request.body, headers) as { type: string };
    expect(payload.type).toBe('assigned');
    expect(request.headers['idempotency-key']).toBe(headers['webhook-id']);
    expect(request.body).toContain('lee@company1.com');
    expect(request.body).toContain(`"to":"rep:${lead.owner}"`);

    // Sent once: the row is delivered and a re-sent event changes nothing (the speed-to-lead ladder
    // reassigns only after 60 minutes).
    const again = await post({ authorization: `Bearer ${key}` });
    expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receiver.requests).toHaveLength(1);
  });
});
