/**
 * Query strings are checked strictly: a parameter the route does not take is a 400 that names it,
 * with the closest parameter the route does take and the whole list. Ignoring it, as a lenient
 * schema does, answers a typo (`?score_min=80` for `minScore`) with every contact, unfiltered, and
 * nothing tells the caller why.
 */
import { distance } from 'fastest-levenshtein';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

type Compiler = typeof validatorCompiler;
type Route = Parameters<Compiler>[0];

/** `score_min`, `min-score`, `MinScore` → `min score` in order-free form: `min score`. */
const words = (name: string): string =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0)
    .sort()
    .join(' ');

/** The parameter `name` was probably meant to be: the same words in any order or case, or a near spelling. */
export function closestParameter(name: string, known: readonly string[]): string | undefined {
  const mine = words(name);
  const same = known.find((k) => words(k) === mine);
  if (same !== undefined) return same;
  let best: { name: string; d: number } | undefined;
  for (const k of known) {
    const d = distance(name.toLowerCase(), k.toLowerCase());
    if (d <= Math.max(1, Math.floor(k.length / 4)) && (best === undefined || d < best.d))
      best = { name: k, d };
  }
  return best?.name;
}

/** The message for parameters a route does not take. */
export function unknownParametersMessage(unknown: readonly string[], known: readonly string[]): string {
  const names = unknown.map((k) => `\`${k}\``).join(', ');
  const what = unknown.length === 1 ? 'is not a query parameter' : 'are not query parameters';
  const guess = unknown.length === 1 ? closestParameter(unknown[0] ?? '', known) : undefined;
  const meant = guess === undefined ? '' : ` (did you mean \`${guess}\`?)`;
  const takes = known.length === 0 ? 'it takes none' : `it takes ${known.join(', ')}`;
  return `${names} ${what} of this route${meant}; ${takes}`;
}

/** The query of an API route that declares none: it takes no parameter at all. */
const NO_QUERY = z.object({});

/**
 * An `onRoute` hook: an API route (`/v1/…`) that declares no query schema takes no query parameter
 * — `POST /v1/events?dryRun=true` would otherwise store the event as if the flag meant something.
 * Inbound webhooks (`/v1/webhooks/…`) are left alone: the tools that call them may add their own.
 */
export function takesNoQueryUnlessDeclared(route: {
  readonly url: string;
  schema?: { querystring?: unknown } | undefined;
}): void {
  if (!route.url.startsWith('/v1/') || route.url.startsWith('/v1/webhooks/')) return;
  if (route.schema?.querystring !== undefined) return;
  route.schema = Object.assign({}, route.schema, { querystring: NO_QUERY });
}

/** fastify-type-provider-zod's compiler, with each route's query object made strict. */
export const strictQueryValidatorCompiler: Compiler = (route: Route) => {
  const { schema, httpPart } = route;
  if (httpPart !== 'querystring' || !(schema instanceof z.ZodObject)) return validatorCompiler(route);
  const known = Object.keys(schema.shape);
  const validate = validatorCompiler(Object.assign({}, route, { schema: schema.strict() }));
  return (data: unknown) => {
    const result = validate(data);
    // The zod compiler answers synchronously with { value } or { error: issues }.
    if (typeof result !== 'object' || !('error' in result) || !Array.isArray(result.error)) return result;
    for (const issue of result.error as { keyword?: string; message?: string; params?: unknown }[]) {
      const keys = (issue.params as { keys?: unknown } | undefined)?.keys;
      if (issue.keyword === 'unrecognized_keys' && Array.isArray(keys)) {
        issue.message = unknownParametersMessage(keys.map(String), known);
      }
    }
    return result;
  };
};
