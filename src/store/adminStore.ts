/**
 * The SQL of the HTTP API's admin side, shared by SQLite and PostgreSQL: API keys, rep availability
 * overrides and the config audit (migration 0007). `KyselyStore` delegates to these; each takes the
 * database (or a transaction) it runs on. None throws except on a storage failure, or where a
 * comment says so.
 */
import type { Building } from '../core/building.ts';
import type { Kysely, Selectable } from 'kysely';
import type { ApiKeyRecord, ConfigVersionSummary, RepOverrideRecord } from '../core/ports.ts';
import { isEmptyOverride, type RepOverride } from '../core/routing/overrides.ts';
import type { Millis } from '../core/types.ts';
import type { ApiKeysTable, Database } from './schema.ts';

type Db = Kysely<Database>;

function apiKeyRecord(row: Selectable<ApiKeysTable>): ApiKeyRecord {
  const record: Building<ApiKeyRecord> = {
    id: row.id,
    name: row.name,
    scopes: JSON.parse(row.scopes) as string[],
    hash: row.hash,
    createdAt: row.created_at,
  };
  if (row.revoked_at !== null) record.revokedAt = row.revoked_at;
  if (row.last_used_at !== null) record.lastUsedAt = row.last_used_at;
  return record as ApiKeyRecord;
}

/** Stores a new key. Throws on a taken id (the primary key). */
export async function insertApiKey(db: Db, key: ApiKeyRecord): Promise<void> {
  await db
    .insertInto('api_keys')
    .values({
      id: key.id,
      name: key.name,
      scopes: JSON.stringify(key.scopes),
      hash: key.hash,
      created_at: key.createdAt,
      revoked_at: key.revokedAt ?? null,
      last_used_at: key.lastUsedAt ?? null,
    })
    .execute();
}

export async function apiKey(db: Db, id: string): Promise<ApiKeyRecord | undefined> {
  const row = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : apiKeyRecord(row);
}

export async function listApiKeys(db: Db): Promise<ApiKeyRecord[]> {
  const found = await db.selectFrom('api_keys').selectAll().orderBy('created_at').orderBy('id').execute();
  return found.map(apiKeyRecord);
}

/** Revokes at `at` unless already revoked (the first revocation time stays). */
export async function revokeApiKey(db: Db, id: string, at: Millis): Promise<ApiKeyRecord | undefined> {
  await db
    .updateTable('api_keys')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
  return apiKey(db, id);
}

/** Moves `last_used_at` forward to `at` (an older stamp never overwrites a newer one). */
export async function markApiKeyUsed(db: Db, id: string, at: Millis): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: at })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', at)]))
    .execute();
}

export async function repOverrides(db: Db): Promise<RepOverrideRecord[]> {
  const found = await db.selectFrom('rep_overrides').selectAll().orderBy('rep_id').execute();
  return found.map((row) => ({
    repId: row.rep_id,
    override: JSON.parse(row.data) as RepOverride,
    updatedAt: row.updated_at,
    ...(row.updated_by === null ? {} : { updatedBy: row.updated_by }),
  }));
}

/** The overrides by rep id, as routing reads them (inside its transaction). */
export async function repOverrideMap(db: Db): Promise<Map<string, RepOverride>> {
  const found = await db.selectFrom('rep_overrides').select(['rep_id', 'data']).execute();
  return new Map(found.map((row) => [row.rep_id, JSON.parse(row.data) as RepOverride]));
}

/** Replaces a rep's override (one statement: an upsert); an empty override deletes the row. */
export async function saveRepOverride(db: Db, record: RepOverrideRecord): Promise<void> {
  if (isEmptyOverride(record.override)) {
    await db.deleteFrom('rep_overrides').where('rep_id', '=', record.repId).execute();
    return;
  }
  await db
    .insertInto('rep_overrides')
    .values({
      rep_id: record.repId,
      data: JSON.stringify(record.override),
      updated_at: record.updatedAt,
      updated_by: record.updatedBy ?? null,
    })
    .onConflict((oc) =>
      oc.column('rep_id').doUpdateSet((eb) => ({
        data: eb.ref('excluded.data'),
        updated_at: eb.ref('excluded.updated_at'),
        updated_by: eb.ref('excluded.updated_by'),
      })),
    )
    .execute();
}

/**
 * Inside `saveConfigVersion`'s transaction, before the version is made active: an audit row when
 * `hash` is not the active version already (so recording the running config at every start adds
 * nothing), and the version's author when it is new.
 */
export async function auditActivation(
  trx: Db,
  version: { readonly hash: string; readonly at: Millis; readonly note?: string; readonly by?: string },
): Promise<void> {
  const active = await trx
    .selectFrom('config_versions')
    .select('hash')
    .where('active', '<>', 0)
    .executeTakeFirst();
  if (active?.hash === version.hash) return;
  await trx
    .insertInto('config_activations')
    .values({ hash: version.hash, at: version.at, by: version.by ?? null, note: version.note ?? null })
    .execute();
}

/** Every version, newest first (ties: hash), with its activations oldest first. */
export async function configHistory(db: Db): Promise<ConfigVersionSummary[]> {
  const versions = await db
    .selectFrom('config_versions')
    .select(['hash', 'created_at', 'active', 'note', 'created_by'])
    .orderBy('created_at', 'desc')
    .orderBy('hash')
    .execute();
  const activations = await db
    .selectFrom('config_activations')
    .selectAll()
    .orderBy('at')
    .orderBy('id')
    .execute();
  const byHash = new Map<string, ConfigVersionSummary['activations'][number][]>();
  for (const row of activations) {
    const list = byHash.get(row.hash) ?? [];
    const activation: Building<ConfigVersionSummary['activations'][number]> = { at: row.at };
    if (row.by !== null) activation.by = row.by;
    if (row.note !== null) activation.note = row.note;
    list.push(activation as ConfigVersionSummary['activations'][number]);
    byHash.set(row.hash, list);
  }
  return versions.map((row) => {
    const summary: Building<ConfigVersionSummary> = {
      hash: row.hash,
      at: row.created_at,
      active: row.active !== 0,
    };
    if (row.note !== null) summary.note = row.note;
    if (row.created_by !== null) summary.by = row.created_by;
    summary.activations = byHash.get(row.hash) ?? [];
    return summary as ConfigVersionSummary;
  });
}

export async function configText(db: Db, hash: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('config_versions')
    .select('text')
    .where('hash', '=', hash)
    .executeTakeFirst();
  return row?.text;
}
