/** Column types the migrations share, from the database's profile. */
import { sql, type RawBuilder } from 'kysely';
import type { SqlProfile } from '../profile.ts';

/** Key columns compare by bytes on every database (ORDER BY key, key > afterKey). */
export function keyType(profile: SqlProfile): 'text' | RawBuilder<unknown> {
  return profile.byteOrderCollation === undefined
    ? 'text'
    : sql`text collate ${sql.id(profile.byteOrderCollation)}`;
}
