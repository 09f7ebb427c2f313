/**
 * Which columns of a row a write really changes. An upsert that sets every column rewrites every
 * index on the table, changed or not: SQLite (and PostgreSQL, outside HOT updates) updates an
 * index whenever one of its columns is assigned. A page view changes a contact's activity, counts
 * and score, never its email, stage or owner; writing only what changed spares the contacts'
 * email, owner, stage/owner and domain indexes on most events, and the pages they would dirty.
 *
 * The comparison is against the row as this transaction read it (or last wrote it): values as the
 * driver gave them, compared with `===`. Anything unequal is written, so a value read back in
 * another form (PostgreSQL hands JSON columns back parsed, never `===` to their text) is simply
 * written again, as before; only an equal value is left alone.
 */

/** The columns of `next` (in `columns` order) whose value is not `===` to `stored`'s. */
export function changedColumns<R extends object, K extends keyof R>(
  stored: object,
  next: R,
  columns: readonly K[],
): K[] {
  const read = stored as Readonly<Record<string, unknown>>;
  const changed: K[] = [];
  for (const column of columns) {
    if (read[column as string] !== next[column]) changed.push(column);
  }
  return changed;
}

/**
 * Rows grouped by the columns they change, each group in first-seen order: one statement per group
 * sets its columns. A row that changes nothing is left out; `columns` undefined means a row this
 * transaction has not read, written with every column.
 */
export function groupByChange<R extends object, K extends keyof R>(
  rows: readonly R[],
  storedOf: (row: R) => object | undefined,
  columns: readonly K[],
): { readonly columns: readonly K[]; readonly rows: R[] }[] {
  const groups = new Map<string, { columns: readonly K[]; rows: R[] }>();
  for (const row of rows) {
    const stored = storedOf(row);
    const changed = stored === undefined ? columns : changedColumns(stored, row, columns);
    if (changed.length === 0) continue;
    const signature = stored === undefined ? '*' : changed.join(',');
    const group = groups.get(signature);
    if (group === undefined) groups.set(signature, { columns: changed, rows: [row] });
    else group.rows.push(row);
  }
  return [...groups.values()];
}
