/**
 * The HTTP bench's load generator counts what the server answered: a status per request, each
 * response read to the end of its body (a count off by one would inflate the bench's req/s).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LoadConnection, parseHeader } from '../bench/support/httpLoad.ts';

let server: Server | undefined;
afterEach(async () => {
  const running = server;
  server = undefined;
  if (running !== undefined) await new Promise((resolve) => running.close(resolve));
});

/** A loopback server on a free port answering each POST as `answer` says, with what it received. */
async function serve(
  answer: (body: string, n: number) => { status: number; body: string; chunked?: boolean },
) {
  const received: string[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push(`${req.method} ${req.url} ${req.headers['authorization']} ${body}`);
      const reply = answer(body, received.length);
      if (reply.chunked === true) {
        res.writeHead(reply.status, { 'content-type': 'application/json' });
        res.write(reply.body.slice(0, 3));
        res.end(reply.body.slice(3));
        return;
      }
      res.writeHead(reply.status, { 'content-length': Buffer.byteLength(reply.body) });
      // Header and body in separate writes: the client must wait for the whole body.
      res.flushHeaders();
      setTimeout(() => res.end(reply.body), 2);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { port: (server?.address() as AddressInfo).port, received };
}

describe('LoadConnection', () => {
  it('posts over one keep-alive socket and resolves each status after its whole body', async () => {
    const { port, received } = await serve((body, n) => ({
      status: n === 2 ? 400 : 200,
      body: JSON.stringify({ n, echo: body, pad: 'é'.repeat(n * 100) }),
    }));
    const connection = await LoadConnection.open(port, '/v1/events', { authorization: 'Bearer k1' });
    const statuses: number[] = [];
    for (const body of ['{"a":1}', '{"b":"ü"}', '{"c":3}']) statuses.push(await connection.post(body));
    connection.close();
    expect(statuses).toEqual([200, 400, 200]);
    expect(received).toEqual([
      'POST /v1/events Bearer k1 {"a":1}',
      'POST /v1/events Bearer k1 {"b":"ü"}',
      'POST /v1/events Bearer k1 {"c":3}',
    ]);
  });

  it('refuses a second request while one is in flight', async () => {
    const { port } = await serve(() => ({ status: 200, body: '{}' }));
    const connection = await LoadConnection.open(port, '/', {});
    const first = connection.post('{}');
    await expect(connection.post('{}')).rejects.toThrow('already in flight');
    expect(await first).toBe(200);
    connection.close();
  });

  it('fails a response it cannot size instead of guessing', async () => {
    const { port } = await serve(() => ({ status: 200, body: '{"chunked":true}', chunked: true }));
    const connection = await LoadConnection.open(port, '/', {});
    await expect(connection.post('{}')).rejects.toThrow('without content-length');
    connection.close();
  });
});

describe('parseHeader', () => {
  it('reads the status and the content length whatever the header case', () => {
    expect(parseHeader('HTTP/1.1 201 Created\r\nContent-Length: 17\r\nx: y')).toEqual({
      status: 201,
      length: 17,
    });
    expect(parseHeader('HTTP/1.1 503 Busy\r\ncontent-length:0')).toEqual({ status: 503, length: 0 });
    expect(parseHeader('HTTP/1.0 200 OK\r\ncontent-length: 2')).toBeInstanceOf(Error);
  });
});
