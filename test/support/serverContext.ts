/**
 * The server context the test servers (`apiServer`, `adminServer`, `webhookServer`) build their app
 * on: a config text loaded and recorded in the store, a workspace running it on a simulated clock.
 */
import { recordConfig } from '../../src/compose.ts';
import { safeLoadConfigText } from '../../src/config/loader.ts';
import type { Store } from '../../src/core/ports.ts';
import { SimulatedClock } from '../../src/engine/clock.ts';
import { DEFAULT_LIMITS, type ServerContext, type ServerLimits } from '../../src/server/context.ts';
import { createWorkspace } from '../../src/server/workspace.ts';

export interface TestContextOptions {
  /** The config as YAML text (loaded as `revops.yaml`). */
  readonly text: string;
  /** The simulated clock's start. */
  readonly at: number;
  /** When the config counts as recorded (default: `at`). */
  readonly recordedAt?: number;
  /** Limits that differ from `DEFAULT_LIMITS`. */
  readonly limits?: Partial<ServerLimits> | undefined;
  readonly auth: boolean;
  /** The environment the inbound webhooks read their secrets from (default: none). */
  readonly env?: Readonly<Record<string, string>>;
}

/** Loads `text` and records it in `store`, then builds the context. Throws when the text does not load. */
export async function testServerContext(
  store: Store,
  options: TestContextOptions,
): Promise<{ readonly ctx: ServerContext; readonly clock: SimulatedClock }> {
  const { text } = options;
  const loaded = safeLoadConfigText(text, 'revops.yaml');
  if (!loaded.ok) throw new Error(loaded.issues.map((i) => i.message).join('\n'));
  const clock = new SimulatedClock(options.at);
  await recordConfig(store, loaded.config, text, options.recordedAt ?? clock.now());
  const ctx: ServerContext = {
    store,
    workspace: createWorkspace(store, clock, loaded.config, text),
    clock,
    limits: Object.assign({}, DEFAULT_LIMITS, options.limits),
    auth: options.auth,
    ...(options.env === undefined ? {} : { env: options.env }),
  };
  return { ctx, clock };
}
