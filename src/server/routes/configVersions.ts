/** Stored config versions as the API shows them, and finding one by its hash or a prefix of it. */
import { RevopsError } from '../../core/errors.ts';
import type { Store } from '../../core/ports.ts';
import { actorResolver } from '../actors.ts';
import type { ConfigVersionSchema } from '../schemas/admin.ts';
import { iso } from '../schemas/common.ts';

export type ConfigVersionView = ReturnType<typeof ConfigVersionSchema.parse>;

/** Every stored version, newest first, with the audit's actors named. Rejects only if the store fails. */
export async function configVersionViews(store: Store): Promise<ConfigVersionView[]> {
  const actor = await actorResolver(store);
  return (await store.configHistory()).map((v) => ({
    hash: v.hash,
    createdAt: iso(v.at),
    createdBy: actor(v.by),
    note: v.note ?? null,
    active: v.active,
    activations: v.activations.map((a) => ({ at: iso(a.at), by: actor(a.by), note: a.note ?? null })),
  }));
}

/**
 * The version whose hash is `ref` or starts with it (7+ characters, as git abbreviates). Throws
 * `RevopsError` (`config.unknown_version`) when none or several match; `param` names the request
 * parameter in the message.
 */
export function resolveVersion(
  versions: readonly ConfigVersionView[],
  ref: string,
  param: string,
): ConfigVersionView {
  const wanted = ref.trim().toLowerCase();
  const matches = versions.filter((v) => v.hash === wanted || v.hash.startsWith(wanted));
  const [only] = matches;
  if (matches.length === 1 && only !== undefined) return only;
  const recent = versions
    .slice(0, 5)
    .map((v) => `${v.hash.slice(0, 12)}${v.active ? ' (active)' : ''}`)
    .join(', ');
  if (matches.length > 1)
    throw new RevopsError(
      'config.unknown_version',
      `${param} \`${ref}\` matches ${matches.length} config versions`,
      {
        hint: 'give more characters of the hash (GET /v1/config/versions lists them)',
      },
    );
  throw new RevopsError(
    'config.unknown_version',
    `no stored config version has the hash ${param} \`${ref}\``,
    {
      hint:
        versions.length === 0
          ? 'no version is stored yet: POST /v1/config stores one'
          : `the newest versions are ${recent}; GET /v1/config/versions lists them all`,
    },
  );
}
