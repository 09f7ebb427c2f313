/**
 * Direct read-only queries on a bench's SQLite file, for checks and floors the Store port does not
 * offer: how many contacts carry a given score instant or memory fingerprint, which are MQLs,
 * outbox rows by type, and how long reading and parsing every contact row takes on its own.
 */
import BetterSqlite3 from 'better-sqlite3';

export interface ReadFloor {
  readonly rows: number;
  /** Reading every contact row in key order, in pages, as `contactsAfter` does. */
  readonly readMs: number;
  /** `JSON.parse` of the rows' JSON columns (attributes, company attributes, flags, memory, score). */
  readonly parseMs: number;
}

export class SqliteInspector {
  readonly #db: BetterSqlite3.Database;

  constructor(path: string) {
    this.#db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  }

  /** Contacts whose stored score was computed at `at`. */
  contactsScoredAt(at: number): number {
    const row = this.#db
      .prepare(`SELECT count(*) AS n FROM contacts WHERE json_extract(score, '$.at') = ?`)
      .get(at) as { n: number };
    return row.n;
  }

  /** Contacts whose scoring memory was made by the model with this fingerprint. */
  contactsWithFingerprint(fingerprint: string): number {
    const row = this.#db
      .prepare(`SELECT count(*) AS n FROM contacts WHERE json_extract(scoring, '$.model') = ?`)
      .get(fingerprint) as { n: number };
    return row.n;
  }

  /** Keys of the contacts whose stored score says MQL. */
  mqlKeys(): Set<string> {
    const rows = this.#db
      .prepare(`SELECT key FROM contacts WHERE json_extract(score, '$.mql') = 1`)
      .pluck()
      .all() as string[];
    return new Set(rows);
  }

  outboxByType(): Record<string, number> {
    const rows = this.#db.prepare('SELECT type, count(*) AS n FROM outbox GROUP BY type').all() as {
      type: string;
      n: number;
    }[];
    return Object.fromEntries(rows.map((r) => [r.type, r.n]));
  }

  /** Reads every contact in key order, `pageSize` at a time, then parses the JSON columns. */
  readFloor(pageSize: number): ReadFloor {
    const page = this.#db.prepare('SELECT * FROM contacts WHERE key > ? ORDER BY key LIMIT ?');
    let readMs = 0;
    let parseMs = 0;
    let rows = 0;
    let after = '';
    let sink = 0;
    for (;;) {
      const started = performance.now();
      const found = page.all(after, pageSize) as Record<string, unknown>[];
      const read = performance.now();
      for (const row of found) {
        for (const column of ['attributes', 'company_attributes', 'flags', 'scoring', 'score']) {
          const text = row[column];
          if (typeof text === 'string') sink += Object.keys(JSON.parse(text) as object).length;
        }
      }
      readMs += read - started;
      parseMs += performance.now() - read;
      rows += found.length;
      const last = found[found.length - 1];
      if (last === undefined || found.length < pageSize) break;
      after = String(last['key']);
    }
    if (sink < 0) throw new Error('unreachable');
    return { rows, readMs, parseMs };
  }

  close(): void {
    this.#db.close();
  }
}
