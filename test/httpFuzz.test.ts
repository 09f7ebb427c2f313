// Fuzzing the front door: 10,000+ generated requests (fast-check) against POST /v1/events and every
// inbound webhook endpoint of the real app (buildApp, app.inject): malformed JSON, wrong types,
// huge and deep bodies, `__proto__` / `constructor` keys, bad dates, unknown types, bad signatures.
// Invariants: never a 5xx nor a bug; no prototype pollution; every event answered accepted (or
// duplicate) is in the store afterwards; a webhook never answers 200 with a rejected item.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../src/net/standardWebhooks.ts';
import { DIALECTS } from './support/dialects.ts';
import { fuzzRequest, type FuzzRequest, type Target } from './support/httpFuzz.ts';
import {
  CALENDLY_SECRET,
  GENERIC_SECRET,
  SEGMENT_KEYS,
  webhookServer,
  type WebhookServer,
} from './support/webhookServer.ts';

const SEED = Number(process.env['REVOPS_FUZZ_SEED'] ?? 20261124);
/** Runs per target on SQLite (10,200 in all); PostgreSQL gets a tenth. */
const RUNS: Readonly<Record<Target, number>> = {
  events: 3000,
  segment: 2600,
  calendly: 1200,
  generic: 1800,
  form: 1600,
};
const URLS: Readonly<Record<Exclude<Target, 'form'>, string>> = {
  events: '/v1/events',
  segment: '/v1/webhooks/segment',
  calendly: '/v1/webhooks/calendly',
  generic: '/v1/webhooks/generic',
};

interface Answer {
  readonly items?: readonly { readonly id?: string | null; readonly status?: string }[];
  readonly rejected?: number;
}

describe.each(DIALECTS)('HTTP fuzz on $name', (dialect) => {
  const share = dialect.name === 'sqlite' ? 1 : 0.1;
  let server: WebhookServer;
  let ingestKey: string;
  let readKey: string;
  /** Ids answered accepted or duplicate: each must be stored. */
  const answered = new Set<string>();
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    server = await webhookServer(await dialect.open(), {
      limits: { maxBodyBytes: 256 * 1024, maxBatch: 50, requestsPerMinute: 0 },
    });
    ingestKey = await server.bearer(['ingest']);
    readKey = await server.bearer(['read']);
  });
  afterAll(async () => {
    await server.close();
  });

  function send(request: FuzzRequest) {
    const headers: Record<string, string> = {};
    if (request.contentType !== undefined) headers['content-type'] = request.contentType;
    const credential = request.auth === 'none' ? undefined : request.auth === 'bad' ? readKey : ingestKey;
    if (request.target === 'events' || request.target === 'form') {
      if (credential !== undefined) headers['authorization'] = credential;
    } else if (request.target === 'segment') {
      const key = request.auth === 'bad' ? 'seg_wrong' : SEGMENT_KEYS[0];
      if (request.auth !== 'none')
        headers['authorization'] = `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
    } else if (request.signature !== 'none') {
      const secret = request.target === 'calendly' ? CALENDLY_SECRET : GENERIC_SECRET;
      const at = server.clock.now() - (request.signature === 'stale' ? 360_000 : 0);
      const signed = signWebhook(
        request.signature === 'bad' ? 'whsec_AAAA' : secret,
        request.deliveryId,
        at,
        request.body,
      );
      Object.assign(headers, signed);
    }
    const url = request.target === 'form' ? `/v1/webhooks/forms/${request.formId}` : URLS[request.target];
    return server.app.inject({ method: 'POST', url, payload: request.body, headers });
  }

  async function check(request: FuzzRequest): Promise<void> {
    const response = await send(request);
    statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
    const bug = server.bugs.at(-1);
    expect(
      response.statusCode,
      bug instanceof Error ? (bug.stack ?? bug.message) : response.body,
    ).toBeLessThan(500);
    const body = response.json<Answer & { error?: { code: string } }>();
    if (response.statusCode >= 400) {
      expect(body.error?.code).toMatch(/^[a-z]+\.[a-z_]+$/);
      return;
    }
    if (request.target !== 'events') expect(body.rejected).toBe(0);
    for (const item of body.items ?? []) {
      if ((item.status === 'accepted' || item.status === 'duplicate') && typeof item.id === 'string')
        answered.add(item.id);
    }
  }

  const targets: readonly Target[] = ['events', 'segment', 'calendly', 'generic', 'form'];
  it.each(targets)(
    'POST to %s never fails the server',
    async (target) => {
      await fc.assert(
        fc.asyncProperty(fuzzRequest(target), (request) => check(request)),
        { numRuns: Math.ceil(RUNS[target] * share), seed: SEED, endOnFailure: true },
      );
      expect(server.bugs).toEqual([]);
    },
    60_000,
  );

  it('answered accepted means stored, the prototype is clean, and the server still answers', async () => {
    const ids = [...answered];
    const stored = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      const known = await server.ctx.store.transaction((tx) => tx.knownEventIds(ids.slice(i, i + 500)));
      for (const id of known) stored.add(id);
    }
    expect(ids.filter((id) => !stored.has(id))).toEqual([]);
    // The run was not vacuous: events of every kind got in, and every kind of refusal happened.
    expect(ids.length).toBeGreaterThan(dialect.name === 'sqlite' ? 2000 : 150);
    expect(ids.some((id) => id.startsWith('segment:'))).toBe(true);
    expect(ids.some((id) => id.startsWith('calendly:'))).toBe(true);
    expect(ids.some((id) => id.startsWith('form:contact-us:'))).toBe(true);
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([200, 400, 401, 413, 415, 422]));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect((await server.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect(server.bugs).toEqual([]);
  });
});
