/**
 * The HTTP API under load: `revops serve` in its own process on a temp SQLite file (mid-market
 * template, timers and outbox dispatcher running as in production), and a load generator in this
 * process on the same 2-core machine — so the two compete for the CPU, which the figures include.
 *
 * 1. One `page_view` per `POST /v1/events`, answered after its commit: requests/s and latency.
 * 2. 50 events per request: events/s.
 *
 * Each phase warms up for 2 s, then measures for 10 s with keep-alive connections; every event has a
 * fresh id (no duplicate shortcut), spread over 5,000 contacts at 500 companies.
 *
 * The load generator (bench/support/httpLoad.ts) writes each request as bytes on its keep-alive
 * socket and reads the response by its length: `node:http`'s client spent twice its CPU per request,
 * taken from the server's GC and checkpoint threads. `BENCH_HTTP_CLIENT=node` uses `node:http`
 * instead, for comparison. The client's CPU per request is in the first row's note.
 *
 * `SERVE_PROF=DIR` starts the server with `--cpu-prof --cpu-prof-dir=DIR` (a profile per thread).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openMigratedStore } from '../src/compose.ts';
import { templatePath } from '../src/config/templates/index.ts';
import { createApiKey } from '../src/server/apiKeys.ts';
import { LoadConnection } from './support/httpLoad.ts';
import { machineInfo } from './support/machine.ts';
import { report, type ResultRow } from './support/report.ts';
import { summarizeLatencies } from './support/sampling.ts';

const BIN = fileURLToPath(new URL('../bin/revops.js', import.meta.url));
const WARMUP_MS = 2_000;
const MEASURE_MS = 10_000;

interface Phase {
  readonly requests: number;
  readonly events: number;
  readonly seconds: number;
  readonly latenciesMs: number[];
  readonly failures: number;
  /** The load generator's CPU (this process) per request over the measured seconds. */
  readonly clientCpuUs: number;
}

let sequence = 0;
function pageView(): Record<string, unknown> {
  sequence += 1;
  const n = sequence % 5000;
  return {
    id: `bench-${process.pid}-${sequence}`,
    type: 'page_view',
    at: new Date().toISOString(),
    contact: { email: `visitor${n}@company${n % 500}.example` },
    properties: { url: 'https://example.com/pricing', category: 'pricing' },
  };
}

function post(agent: Agent, port: number, key: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1/events',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function phase(port: number, key: string, perRequest: number, concurrency: number): Promise<Phase> {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const nodeClient = process.env['BENCH_HTTP_CLIENT'] === 'node';
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const connections = nodeClient
    ? []
    : await Promise.all(
        Array.from({ length: concurrency }, () => LoadConnection.open(port, '/v1/events', headers)),
      );
  const latencies: number[] = [];
  let requests = 0;
  let failures = 0;
  let cpuFrom: NodeJS.CpuUsage | undefined;
  const start = performance.now();
  const measureFrom = start + WARMUP_MS;
  const end = measureFrom + MEASURE_MS;
  const worker = async (c: number) => {
    const connection = connections[c];
    while (performance.now() < end) {
      const events = Array.from({ length: perRequest }, pageView);
      const body = JSON.stringify(perRequest === 1 ? events[0] : events);
      const sent = performance.now();
      if (sent >= measureFrom) cpuFrom ??= process.cpuUsage();
      const status =
        connection === undefined ? await post(agent, port, key, body) : await connection.post(body);
      const done = performance.now();
      if (sent < measureFrom) continue;
      if (status !== 200) failures += 1;
      requests += 1;
      latencies.push(done - sent);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, c) => worker(c)));
  const cpu = process.cpuUsage(cpuFrom);
  for (const connection of connections) connection.close();
  agent.destroy();
  return {
    requests,
    events: requests * perRequest,
    seconds: MEASURE_MS / 1000,
    latenciesMs: latencies,
    failures,
    clientCpuUs: (cpu.user + cpu.system) / Math.max(1, requests),
  };
}

function startServe(dir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env['SERVE_PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['SERVE_PROF']}`] : []),
      BIN,
      'serve',
      '--config',
      join(dir, 'revops.yaml'),
      '--db',
      join(dir, 'revops.db'),
      '--port',
      '0',
      '--rate-limit',
      '0',
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /API on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (match?.[1] !== undefined) resolve({ child, port: Number(match[1]) });
    });
    child.on('exit', (code) => reject(new Error(`revops serve exited with ${code}: ${out}`)));
  });
}

export async function run(): Promise<void> {
  const machine = machineInfo();
  const dir = mkdtempSync(join(tmpdir(), 'revops-bench-http-'));
  copyFileSync(templatePath('mid-market'), join(dir, 'revops.yaml'));
  const store = await openMigratedStore(join(dir, 'revops.db'));
  const { key } = await createApiKey(store, { name: 'bench', scopes: ['ingest'], at: Date.now() });
  await store.close();
  const { child, port } = await startServe(dir);
  try {
    const single = await phase(port, key, 1, 16);
    const batched = await phase(port, key, 50, 4);
    const s = summarizeLatencies(single.latenciesMs);
    const b = summarizeLatencies(batched.latenciesMs);
    const rows: ResultRow[] = [
      {
        name: '1 event per request: requests/s',
        value: single.requests / single.seconds,
        unit: 'req/s',
        target: { kind: 'min', value: 5000 },
        note: `16 connections, ${single.failures} non-200; load generator ${single.clientCpuUs.toFixed(0)} µs CPU/request`,
      },
      {
        name: '1 event per request: p99 latency',
        value: s.p99,
        unit: 'ms',
        target: { kind: 'max', value: 15 },
        note: `p50 ${s.p50.toFixed(2)} / p95 ${s.p95.toFixed(2)} / max ${s.max.toFixed(1)} ms`,
      },
      {
        name: '50 events per request: events/s',
        value: batched.events / batched.seconds,
        unit: 'events/s',
        target: { kind: 'min', value: 100_000 },
        note: `4 connections, ${(batched.requests / batched.seconds).toFixed(0)} req/s, p99 ${b.p99.toFixed(1)} ms, ${batched.failures} non-200`,
      },
    ];
    report({
      bench: 'http',
      title: 'HTTP API: POST /v1/events on SQLite (server and load generator on the same 2-core machine)',
      machine,
      parameters: { warmupMs: WARMUP_MS, measureMs: MEASURE_MS, template: 'mid-market', event: 'page_view' },
      rows,
      details: { single: { ...s, requests: single.requests }, batched: { ...b, requests: batched.requests } },
    });
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}
