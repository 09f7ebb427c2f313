/**
 * `POST /v1/events`: the three body shapes, idempotency by id, per-item results, the status when
 * some or all items are rejected, and the size limits.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiServer, EXAMPLE_EVENTS, type ApiServer } from '../../../test/support/apiServer.ts';
import { DEMO_REQUEST } from '../../../test/support/cli.ts';

let api: ApiServer;
beforeEach(async () => {
  api = await apiServer({ limits: { maxBatch: 20 } });
});
afterEach(async () => {
  expect(api.bugs).toEqual([]);
  await api.close();
});

interface Result {
  accepted: number;
  duplicates: number;
  rejected: number;
  items: { index: number; id: string | null; status: string; issues: { code: string; path: string }[] }[];
}
const result = (body: string) => JSON.parse(body) as Result;
const counts = (r: Result) => [r.accepted, r.duplicates, r.rejected];

describe('POST /v1/events', () => {
  it('ingests a batch after commit, answering each item; sending it again changes nothing', async () => {
    const first = await api.post('/v1/events', EXAMPLE_EVENTS);
    expect(first.statusCode).toBe(200);
    const body = result(first.body);
    expect(counts(body)).toEqual([16, 1, 0]);
    expect(body.items).toHaveLength(17);
    expect(body.items[16]).toEqual({ index: 16, id: 'ev-0004', status: 'duplicate', issues: [] });
    expect((await api.store.counts()).events).toBe(16);
    expect((await api.store.counts()).contacts).toBe(5);

    const again = await api.post('/v1/events', { events: EXAMPLE_EVENTS });
    expect(again.statusCode).toBe(200);
    expect(counts(result(again.body))).toEqual([0, 17, 0]);
    expect((await api.store.counts()).events).toBe(16);
  });

  it('takes a single event, and routes it as the engine does', async () => {
    const res = await api.post('/v1/events', DEMO_REQUEST);
    expect(res.statusCode).toBe(200);
    expect(result(res.body)).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: 0,
      items: [{ index: 0, id: 'demo-1', status: 'accepted', issues: [] }],
    });
    const [lee] = await api.store.searchContacts({ limit: 1 });
    expect([lee?.key, lee?.stage, lee?.owner]).toEqual(['email:lee@company1.com', 'mql', 'priya']);
  });

  it('answers 207 when some items are rejected: the others are stored, each rejection says why', async () => {
    const res = await api.post('/v1/events', [
      EXAMPLE_EVENTS[0],
      { id: 'bad-1', type: 'page_veiw', contact: { email: 'ava.chen@northwind.io' } },
      { type: 'identify', contact: {} },
    ]);
    expect(res.statusCode).toBe(207);
    const body = result(res.body);
    expect(counts(body)).toEqual([1, 0, 2]);
    expect(
      body.items.map((i) => [i.index, i.id, i.status, i.issues.map((x) => `${x.code} ${x.path}`)]),
    ).toEqual([
      [0, 'ev-0001', 'accepted', []],
      [1, 'bad-1', 'rejected', ['event.unknown_type type']],
      [2, null, 'rejected', ['event.missing_field id', 'event.no_subject contact']],
    ]);
    expect((await api.store.counts()).events).toBe(1);
  });

  it('answers 422 event.rejected with every issue under its index when nothing could be stored', async () => {
    const res = await api.post('/v1/events', [
      { id: 'x1', type: 'nope', contact: { email: 'a@b.co' } },
      'not an event',
    ]);
    expect(res.statusCode).toBe(422);
    const { error } = JSON.parse(res.body) as {
      error: { code: string; message: string; issues: { code: string; path: string }[] };
    };
    expect(error.code).toBe('event.rejected');
    expect(error.message).toBe('all 2 events were rejected');
    expect(error.issues.map((i) => `${i.code} ${i.path}`)).toEqual([
      'event.unknown_type [0].type',
      'event.not_an_object [1]',
    ]);
    const single = await api.post('/v1/events', {
      id: 'x2',
      type: 'identify',
      contact: { email: 'not-an-email' },
    });
    expect(single.statusCode).toBe(422);
    const one = JSON.parse(single.body) as { error: { message: string; issues: { path: string }[] } };
    expect(one.error.message).toBe('the event was rejected');
    expect(one.error.issues.map((i) => i.path)).toEqual(['contact.email']);
    expect((await api.store.counts()).events).toBe(0);
  });

  it('refuses bodies of the wrong shape 400 and batches over the limit 413', async () => {
    const cases: [unknown, number, string, string][] = [
      [[], 400, 'http.invalid_body', 'the request holds no events'],
      [{ events: [] }, 400, 'http.invalid_body', 'the request holds no events'],
      [{ events: 'ev-1' }, 400, 'http.invalid_body', '`events` must be an array of events'],
      ['ev-1', 400, 'http.invalid_body', 'the body is not an event or a list of events'],
      [42, 400, 'http.invalid_body', 'the body is not an event or a list of events'],
      [
        Array.from({ length: 21 }, (_, i) => ({ id: `e${i}` })),
        413,
        'http.batch_too_large',
        'the request holds 21 events; at most 20 are accepted at once',
      ],
    ];
    for (const [body, status, code, message] of cases) {
      const res = await api.post('/v1/events', body);
      expect([res.statusCode, JSON.parse(res.body)]).toEqual([
        status,
        { error: { code, message, hint: expect.any(String) as string, issues: [] } },
      ]);
    }
    expect((await api.store.counts()).events).toBe(0);
  });
});
