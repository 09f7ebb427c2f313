import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type AddressInfo } from 'node:net';
import { createDestinationGuard, type Resolver } from '../../net/destinationGuard.ts';
import { startReceiver, type Receiver } from '../outboxTestServers.ts';
import { excerptOf, postGuarded } from './http.ts';

const loopback = createDestinationGuard({ allow: ['127.0.0.1'] });
const options = { guard: loopback, timeoutMs: 2_000 };

describe('postGuarded', () => {
  let receiver: Receiver | undefined;
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  it('posts the body and headers, and reads the status, Retry-After and the start of the body', async () => {
    receiver = await startReceiver(() => ({
      status: 429,
      headers: { 'retry-after': '120' },
      body: `slow down\n\n${'x'.repeat(500)}`,
    }));
    const outcome = await postGuarded(`${receiver.url}/hooks?a=1`, '{"a":1}', { 'x-test': 'yes' }, options);
    expect(outcome).toEqual({
      kind: 'response',
      status: 429,
      retryAfter: '120',
      excerpt: `slow down ${'x'.repeat(190)}…`,
    });
    expect(receiver.requests).toMatchObject([
      {
        method: 'POST',
        path: '/hooks?a=1',
        body: '{"a":1}',
        headers: { 'x-test': 'yes', 'content-length': '7' },
      },
    ]);
  });

  it('refuses loopback unless allow-listed, without connecting', async () => {
    receiver = await startReceiver();
    const outcome = await postGuarded(
      receiver.url,
      '{}',
      {},
      { guard: createDestinationGuard({ allow: [] }), timeoutMs: 2_000 },
    );
    expect(outcome).toEqual({
      kind: 'refused',
      error:
        'outbox.destination_refused: 127.0.0.1 is a loopback address; allow it in delivery.allowPrivate if it is yours',
    });
    expect(receiver.requests).toHaveLength(0);
  });

  it('connects to the address the guard checked, resolving the name once (no rebinding window)', async () => {
    receiver = await startReceiver();
    const asked: string[] = [];
    const answers = ['127.0.0.1', '10.0.0.1'];
    const resolve: Resolver = (host) => {
      asked.push(host);
      return Promise.resolve([{ address: answers[asked.length - 1] ?? '10.0.0.1', family: 4 }]);
    };
    const guard = createDestinationGuard({ allow: ['127.0.0.1'], resolve });
    const outcome = await postGuarded(
      `http://hooks.example.test:${receiver.port}/in`,
      '{}',
      {},
      { guard, timeoutMs: 2_000 },
    );
    expect(outcome).toMatchObject({ kind: 'response', status: 200, excerpt: 'ok' });
    expect(asked).toEqual(['hooks.example.test']);
    expect(receiver.requests[0]?.headers.host).toBe(`hooks.example.test:${receiver.port}`);
    // The next resolution points inside: refused before any connection.
    expect(
      await postGuarded(
        `http://hooks.example.test:${receiver.port}/in`,
        '{}',
        {},
        { guard, timeoutMs: 2_000 },
      ),
    ).toEqual({
      kind: 'refused',
      error:
        'outbox.destination_refused: hooks.example.test resolves to 10.0.0.1, a private address; allow it in delivery.allowPrivate if it is yours',
    });
    expect(receiver.requests).toHaveLength(1);
  });

  it('turns timeouts, refused connections and bad URLs into outcomes', async () => {
    receiver = await startReceiver(() => 'hang');
    expect(await postGuarded(receiver.url, '{}', {}, { guard: loopback, timeoutMs: 150 })).toEqual({
      kind: 'network',
      error: 'no answer within 150 ms',
    });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await postGuarded(`http://127.0.0.1:${port}/`, '{}', {}, options)).toMatchObject({
      kind: 'network',
      error: expect.stringMatching(/^ECONNREFUSED: /) as unknown,
    });
    expect(await postGuarded('ftp://example.com/x', '{}', {}, options)).toEqual({
      kind: 'refused',
      error: 'outbox.destination_refused: ftp: URLs are not delivered to',
    });
    expect(await postGuarded('not a url', '{}', {}, options)).toEqual({
      kind: 'refused',
      error: 'outbox.destination_refused: `not a url` is not a URL',
    });
  });

  it('keeps excerpts to one line of 200 characters', () => {
    expect(excerptOf('  {"error":\n  "bad"}  ')).toBe('{"error": "bad"}');
    expect(excerptOf('y'.repeat(201))).toBe(`${'y'.repeat(200)}…`);
  });
});
