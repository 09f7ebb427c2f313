/**
 * A lean HTTP/1.1 load generator for the HTTP bench: one keep-alive socket per connection, one
 * request in flight on each, the request written as bytes and the response read by its status line
 * and `content-length`. It runs on the same 2-core machine as the server, so every microsecond it
 * spends is taken from the server's helper threads (GC, WAL checkpoints): `node:http`'s client
 * spent ~100 µs of CPU per request here, this one a fraction of that (the bench reports it).
 */
import { connect, type Socket } from 'node:net';

const HEADER_END = Buffer.from('\r\n\r\n');

interface Waiting {
  readonly resolve: (status: number) => void;
  readonly reject: (error: Error) => void;
}

/** One keep-alive connection to 127.0.0.1:`port`; `post` sends a request once the last has answered. */
export class LoadConnection {
  private readonly socket: Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: Waiting | undefined;
  /** Bytes of the current response still to come after its header, or −1 while reading the header. */
  private status = 0;
  private bodyLeft = -1;

  private constructor(
    socket: Socket,
    private readonly head: string,
  ) {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('the server closed a keep-alive connection')));
  }

  /** Opens a connection that posts to `path` with `headers` (name: value, without content-length). */
  static open(
    port: number,
    path: string,
    headers: Readonly<Record<string, string>>,
  ): Promise<LoadConnection> {
    const lines = [`POST ${path} HTTP/1.1`, `host: 127.0.0.1:${port}`, 'connection: keep-alive'];
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
    const head = `${lines.join('\r\n')}\r\ncontent-length: `;
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.off('error', reject);
        resolve(new LoadConnection(socket, head));
      });
      socket.once('error', reject);
    });
  }

  /** Sends `body` and resolves with the response's status code once its body has arrived. */
  post(body: string): Promise<number> {
    if (this.waiting !== undefined) return Promise.reject(new Error('a request is already in flight'));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(`${this.head}${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
  }

  close(): void {
    this.waiting = undefined;
    this.socket.removeAllListeners('close');
    this.socket.destroy();
  }

  private read(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.bodyLeft < 0) {
        const end = this.buffer.indexOf(HEADER_END);
        if (end < 0) return;
        const header = this.buffer.toString('latin1', 0, end);
        this.buffer = this.buffer.subarray(end + HEADER_END.length);
        const parsed = parseHeader(header);
        if (parsed instanceof Error) return this.fail(parsed);
        this.status = parsed.status;
        this.bodyLeft = parsed.length;
      }
      if (this.buffer.length < this.bodyLeft) return;
      this.buffer = this.buffer.subarray(this.bodyLeft);
      this.bodyLeft = -1;
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.resolve(this.status);
    }
  }

  private fail(error: Error): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(error);
  }
}

/** The status and body length of a response header; an Error for anything but a sized body. */
export function parseHeader(header: string): { status: number; length: number } | Error {
  const status = Number(header.slice(9, 12));
  if (!header.startsWith('HTTP/1.1 ') || !Number.isInteger(status))
    return new Error(`not an HTTP/1.1 status line: ${header.slice(0, 40)}`);
  const match = /\r\ncontent-length: *(\d+)/i.exec(header);
  if (match?.[1] === undefined)
    return new Error(`response without content-length (status ${status}): the bench reads sized bodies only`);
  return { status, length: Number(match[1]) };
}
