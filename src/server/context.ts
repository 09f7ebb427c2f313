/**
 * What every route of the HTTP API receives: the store, the running workspace (config + engine),
 * the clock and the limits. `compose.ts` builds it; tests build it on a temp database.
 *
 * Route plugins have one shape — `(app: FastifyInstance, ctx: ServerContext) => Promise<void>` — and
 * declare the API-key scope they need in their route options: `config: { scope: 'ingest' | 'read' |
 * 'admin' | 'approve' | 'public' }` (auth.ts enforces it; a route without one is treated as `admin`).
 */
import type { RevopsConfig } from '../config/schema/index.ts';
import type { Store } from '../core/ports.ts';
import type { Runtime } from '../compose.ts';
import type { Clock } from '../engine/clock.ts';

export const API_SCOPES = ['ingest', 'read', 'admin'] as const;
export type ApiScope = (typeof API_SCOPES)[number];
/**
 * What a key may hold: the three scopes, or `approve:<approver>` (`approve:rep:dan`,
 * `approve:role:finance`): votes on deal-desk approvals as that approver, and only as that one.
 */
export type GrantedScope = ApiScope | `approve:${string}`;
/** What a route may need: a scope, `approve` (admin or some `approve:…` scope; the route checks which), or no key. */
export type RouteScope = ApiScope | 'approve' | 'public';

export interface ServerLimits {
  /** Largest request body accepted, in bytes (default 5 MiB). */
  readonly maxBodyBytes: number;
  /** Most events in one `POST /v1/events` batch (default 1,000). */
  readonly maxBatch: number;
  /** Requests per minute per API key (default 60,000: 1,000/s); 0 turns the limit off. */
  readonly requestsPerMinute: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxBodyBytes: 5 * 1024 * 1024,
  maxBatch: 1000,
  requestsPerMinute: 60_000,
};

/** The config a server runs with, swapped as a whole when `POST /v1/config` activates a new version. */
export interface Workspace {
  /** The active config, its source text, its content hash and the engine built from it. */
  current(): {
    readonly config: RevopsConfig;
    readonly text: string;
    readonly hash: string;
    readonly runtime: Runtime;
  };
  /** Builds an engine for `config` and makes it current (callers store the version first). */
  activate(config: RevopsConfig, text: string, hash: string): void;
}

export interface ServerContext {
  readonly store: Store;
  readonly workspace: Workspace;
  readonly clock: Clock;
  readonly limits: ServerLimits;
  /** False only in tests that exercise routes without keys; the server always authenticates. */
  readonly auth: boolean;
  /**
   * The environment the inbound webhooks read their secrets from, by the names config gives
   * (`inbound.calendly.secretEnv`, `inbound.segment.writeKeyEnv`…); compose passes `process.env`.
   * Absent: no inbound source has a secret, so the signed ones answer `webhook.unknown_source`.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
}
