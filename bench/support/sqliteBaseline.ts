/**
 * A floor for comparison: how fast this machine appends plain rows to a SQLite file with the
 * store's pragmas (WAL, synchronous = NORMAL) — the `events` table's shape, one prepared INSERT per
 * row, 1,000 rows per transaction, straight through better-sqlite3 with no engine and no Kysely.
 */
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

export function sqliteInsertBaseline(dir: string, events: readonly Record<string, unknown>[]): number {
  const database = new BetterSqlite3(join(dir, 'baseline.sqlite'));
  try {
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('cache_size = -65536');
    database.exec(`CREATE TABLE events (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL,
      at BIGINT NOT NULL, source TEXT NOT NULL, received_at BIGINT NOT NULL, contact_key TEXT,
      contact TEXT NOT NULL, company TEXT NOT NULL, properties TEXT NOT NULL)`);
    const insert = database.prepare(
      'INSERT INTO events (id, type, at, source, received_at, contact_key, contact, company, properties) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertBatch = database.transaction((rows: readonly Record<string, unknown>[]) => {
      for (const row of rows) {
        const contact = (row['contact'] ?? {}) as Record<string, unknown>;
        insert.run(
          String(row['id']),
          String(row['type']),
          Date.parse(String(row['at'])),
          typeof row['source'] === 'string' ? row['source'] : 'api',
          0,
          `email:${String(contact['email'])}`,
          JSON.stringify(contact),
          JSON.stringify(row['company'] ?? {}),
          JSON.stringify(row['properties'] ?? {}),
        );
      }
    });
    const started = performance.now();
    for (let i = 0; i < events.length; i += 1000) insertBatch(events.slice(i, i + 1000));
    const seconds = (performance.now() - started) / 1000;
    return events.length / seconds;
  } finally {
    database.close();
  }
}
