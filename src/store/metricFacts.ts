/**
 * Metric facts in SQL (migrations 0010, 0011): the roll-up rows lead-side reports read, rebuilt per
 * contact from its stored state, history, touches and speed-to-lead clocks by a derivation the
 * caller passes in (core/metrics/facts.ts `leadFactsOf`, bound to the metrics model).
 *
 * Freshness: the store's own writes of contacts, stage history, touches and SLA clocks mark the
 * contact in `metric_dirty` inside the same transaction (`markMetricsDirty`), so facts go stale
 * only visibly. A refresh takes dirty contacts a chunk at a time; each chunk locks its dirty rows
 * (`FOR UPDATE` where several writers exist), reads, replaces the contacts' facts and clears only
 * the marks it read (same `gen`), all in one transaction, so a contact changed meanwhile stays
 * dirty. A full rebuild (no facts yet, or built under another fingerprint) walks every contact in
 * key order and records the fingerprint only when it has finished. Each rewrite also moves the day
 * roll-ups (metricRollups.ts) by the difference between the contact's old and new rows, and
 * replaces the contact's clock facts (metricClocks.ts) the same way.
 */
import type { Insertable, Kysely, SelectQueryBuilder, Transaction } from 'kysely';
import {
  lengthBucket,
  type LengthSummary,
  type MetricsFacts,
  type MqlEntryFact,
  type OpenStaySummary,
} from '../core/metrics/facts.ts';
import { responseClass } from '../core/metrics/speedToLead.ts';
import { stayP90s } from '../core/metrics/timeInStage.ts';
import type {
  FunnelFactsQuery,
  MetricFactsQuery,
  MetricFactsRefresh,
  MetricFactsRefreshResult,
  OpenStaysQuery,
} from '../core/ports.ts';
import type { Weekday } from '../core/time/localDay.ts';
import type { ContactKey, ContactState, Millis, StageChange, Touch } from '../core/types.ts';
import type { SlaClock } from '../core/sla/model.ts';
import { rebuildClockFacts, rewriteClockFacts } from './metricClocks.ts';
import { DAY_MS, dayOf, readLeadCounts, readStaySummaries, RollupDeltas } from './metricRollups.ts';
import * as rows from './rows.ts';
import type { Database } from './schema.ts';

type Db = Kysely<Database>;
type Reader = Kysely<Database> | Transaction<Database>;

type RefreshOptions = MetricFactsRefresh & {
  /** Lock dirty rows while a chunk is refreshed (several writers: PostgreSQL). */
  readonly lockRows: boolean;
};

const num = (value: unknown): number => Number(value);
const optNum = (value: unknown): number | undefined =>
  value === null || value === undefined ? undefined : Number(value);

async function inputsOf(
  trx: Transaction<Database>,
  keys: readonly ContactKey[],
  clockId: string | undefined,
): Promise<{
  contacts: ContactState[];
  history: Map<ContactKey, StageChange[]>;
  touches: Map<ContactKey, Touch[]>;
  clocks: Map<ContactKey, SlaClock[]>;
}> {
  const group = <T extends { readonly contactKey: ContactKey }>(list: readonly T[]): Map<ContactKey, T[]> => {
    const byKey = new Map<ContactKey, T[]>();
    for (const row of list) {
      const found = byKey.get(row.contactKey);
      if (found === undefined) byKey.set(row.contactKey, [row]);
      else found.push(row);
    }
    return byKey;
  };
  const list = [...keys];
  const [contactRows, historyRows, touchRows, clockRows] = await Promise.all([
    trx.selectFrom('contacts').selectAll().where('key', 'in', list).orderBy('key').execute(),
    trx
      .selectFrom('stage_history')
      .selectAll()
      .where('contact_key', 'in', list)
      .orderBy('contact_key')
      .orderBy('at')
      .orderBy('id')
      .execute(),
    trx
      .selectFrom('touches')
      .selectAll()
      .where('contact_key', 'in', list)
      .orderBy('contact_key')
      .orderBy('at')
      .orderBy('id')
      .execute(),
    clockId === undefined
      ? Promise.resolve([])
      : trx
          .selectFrom('sla_clocks')
          .selectAll()
          .where('contact_key', 'in', list)
          .where('clock_id', '=', clockId)
          .execute(),
  ]);
  return {
    contacts: contactRows.map(rows.contactState),
    history: group(historyRows.map((r) => Object.assign(rows.stageChange(r), { at: num(r.at) }))),
    touches: group(touchRows.map((r) => Object.assign(rows.touch(r), { at: num(r.at) }))),
    clocks: group(clockRows.map(rows.slaClock)),
  };
}

/**
 * Replaces the facts of `keys` (contacts gone lose theirs) with those derived now, and moves the
 * day roll-ups by the difference. `fresh`: the facts were just cleared (a rebuild), nothing to count out.
 */
async function rewrite(
  trx: Transaction<Database>,
  keys: readonly ContactKey[],
  options: RefreshOptions,
  fresh: boolean,
): Promise<number> {
  const input = await inputsOf(trx, keys, options.clockId);
  const list = [...keys];
  const deltas = new RollupDeltas();
  if (!fresh) {
    const [oldLeads, oldStays, oldOpen] = await Promise.all([
      trx
        .selectFrom('metric_leads')
        .select(['created_at', 'source', 'owner', 'rank', 'rejections'])
        .where('contact_key', 'in', list)
        .execute(),
      trx
        .selectFrom('metric_stays')
        .select(['left_at', 'stage', 'bucket', 'length', 'owner'])
        .where('contact_key', 'in', list)
        .where('bucket', '>=', 0)
        .execute(),
      trx
        .selectFrom('metric_open_stays')
        .select(['stage', 'entered_at', 'owner', 'source'])
        .where('contact_key', 'in', list)
        .execute(),
    ]);
    for (const row of oldLeads) deltas.lead(row, -1);
    for (const row of oldStays) deltas.stay(row, -1);
    for (const row of oldOpen) deltas.openStay(row, -1);
    await trx.deleteFrom('metric_leads').where('contact_key', 'in', list).execute();
    await trx.deleteFrom('metric_mql_entries').where('contact_key', 'in', list).execute();
    await trx.deleteFrom('metric_stays').where('contact_key', 'in', list).execute();
    await trx.deleteFrom('metric_open_stays').where('contact_key', 'in', list).execute();
    // The clock facts follow the clocks stored now (a rebuild copies them all at its start).
    await rewriteClockFacts(trx, list);
  }
  const leads: Database['metric_leads'][] = [];
  const entries: Database['metric_mql_entries'][] = [];
  const stays: Database['metric_stays'][] = [];
  const open: Database['metric_open_stays'][] = [];
  for (const contact of input.contacts) {
    const facts = options.derive(
      contact,
      input.history.get(contact.key) ?? [],
      input.touches.get(contact.key) ?? [],
      input.clocks.get(contact.key) ?? [],
    );
    const { lead } = facts;
    const leadRow = {
      contact_key: lead.key,
      created_at: lead.createdAt,
      source: lead.source,
      owner: lead.owner ?? null,
      rank: lead.rank,
      rejections: lead.rejections.join(' '),
    };
    leads.push(leadRow);
    deltas.lead(leadRow, 1);
    facts.mqlEntries.forEach((e, seq) =>
      entries.push({
        contact_key: e.key,
        seq,
        at: e.at,
        until_at: Number.isFinite(e.until) ? e.until : null,
        recycled: e.recycled ? 1 : 0,
        first_touch_at: e.firstTouchAt ?? null,
        clock_verdict: e.clockVerdict === undefined ? null : e.clockVerdict ? 1 : 0,
        reached_sql: e.reachedSql ? 1 : 0,
        hour: e.hour,
        weekday: e.weekday,
        source: e.source,
        owner: e.owner ?? null,
        response_bucket: e.firstTouchAt === undefined ? null : lengthBucket(e.firstTouchAt - e.at),
        response_class: e.firstTouchAt === undefined ? null : responseClass(e.firstTouchAt - e.at),
        decision: e.decision === undefined ? null : e.decision ? 1 : 0,
      }),
    );
    facts.stays.forEach((s, seq) => {
      const row = {
        contact_key: s.key,
        stage: s.stage,
        entered_at: s.enteredAt,
        source: s.source,
        owner: s.owner ?? null,
      };
      if (s.leftAt === undefined) {
        open.push(row);
        deltas.openStay(row, 1);
        return;
      }
      const length = s.leftAt - s.enteredAt;
      const closed = Object.assign(row, { seq, left_at: s.leftAt, length, bucket: lengthBucket(length) });
      stays.push(closed);
      deltas.stay(closed, 1);
    });
  }
  // 13 columns at most per row: 500 rows stay far under every database's parameter limit.
  const insert = async <T extends keyof Database>(table: T, values: Insertable<Database[T]>[]) => {
    for (let i = 0; i < values.length; i += 500)
      await trx
        .insertInto(table)
        .values(values.slice(i, i + 500))
        .execute();
  };
  await insert('metric_leads', leads);
  await insert('metric_mql_entries', entries);
  await insert('metric_stays', stays);
  await insert('metric_open_stays', open);
  await deltas.apply(trx);
  return input.contacts.length;
}

/**
 * The distinct sources of the leads in the facts, from the day roll-ups (which count every lead
 * row, so a source has a row with `n > 0` exactly when a lead has it): a few thousand rows at 1M
 * contacts (3 ms on SQLite, against 0.2 s for a distinct over `metric_leads`).
 */
export async function readLeadSources(db: Db): Promise<string[]> {
  const found = await db
    .selectFrom('metric_lead_days')
    .select('source')
    .distinct()
    .where('n', '>', 0)
    .execute();
  return found.map((r) => r.source);
}

/** The fingerprint the facts were last fully built under; undefined when never built. */
export async function factsFingerprintOf(db: Db): Promise<string | undefined> {
  const row = await db
    .selectFrom('metric_state')
    .select('fingerprint')
    .where('id', '=', 'facts')
    .executeTakeFirst();
  return row?.fingerprint;
}

/** How many contacts wait for a refresh. */
export async function dirtyCount(db: Db): Promise<number> {
  const row = await db
    .selectFrom('metric_dirty')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return num(row?.n ?? 0);
}

/**
 * Brings the facts up to date: a full rebuild when they were never built, were built under another
 * fingerprint, or `full` is asked; otherwise the dirty contacts only. Throws if storage fails (the
 * chunks committed so far stay; a rebuild cut short is redone by the next refresh).
 */
export async function refreshFacts(db: Db, options: RefreshOptions): Promise<MetricFactsRefreshResult> {
  const chunk = options.chunk ?? 1000;
  const full = options.full === true || (await factsFingerprintOf(db)) !== options.fingerprint;
  let done = 0;
  if (full) {
    const totalRow = await db
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    const total = num(totalRow?.n ?? 0);
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('metric_state').execute();
      await trx.deleteFrom('metric_dirty').execute();
      await trx.deleteFrom('metric_leads').execute();
      await trx.deleteFrom('metric_mql_entries').execute();
      await trx.deleteFrom('metric_stays').execute();
      await trx.deleteFrom('metric_open_stays').execute();
      await trx.deleteFrom('metric_lead_days').execute();
      await trx.deleteFrom('metric_stay_days').execute();
      await trx.deleteFrom('metric_open_stay_days').execute();
      await rebuildClockFacts(trx);
    });
    let after: string | undefined;
    for (;;) {
      const keys = (
        await db
          .selectFrom('contacts')
          .select('key')
          .$if(after !== undefined, (qb) => qb.where('key', '>', after ?? ''))
          .orderBy('key')
          .limit(chunk)
          .execute()
      ).map((r) => r.key);
      if (keys.length === 0) break;
      done += await db.transaction().execute((trx) => rewrite(trx, keys, options, true));
      after = keys[keys.length - 1];
      options.onProgress?.(done, total);
    }
    await db
      .insertInto('metric_state')
      .values({ id: 'facts', fingerprint: options.fingerprint, built_at: options.now })
      .execute();
    return { full: true, contacts: done };
  }
  for (;;) {
    const written = await db.transaction().execute(async (trx) => {
      const marks = await trx
        .selectFrom('metric_dirty')
        .select(['contact_key', 'gen'])
        .orderBy('contact_key')
        .limit(chunk)
        .$if(options.lockRows, (qb) => qb.forUpdate())
        .execute();
      if (marks.length === 0) return undefined;
      const keys = marks.map((m) => m.contact_key);
      await rewrite(trx, keys, options, false);
      for (const mark of marks)
        await trx
          .deleteFrom('metric_dirty')
          .where('contact_key', '=', mark.contact_key)
          .where('gen', '=', mark.gen)
          .execute();
      return marks.length;
    });
    if (written === undefined) break;
    done += written;
    options.onProgress?.(done, undefined);
  }
  return { full: false, contacts: done };
}

/**
 * The facts a report over [from, to) reads, but the open stays: the cohort's leads counted by what
 * the funnel tells apart, the MQL entries in the range (all, or only the recycled ones) and the
 * stays that closed in it summed up by stage — each only when `query.parts` asks for it. The
 * filters are applied here already. Throws if storage fails.
 */
export async function readFacts(
  db: Reader,
  query: MetricFactsQuery,
): Promise<Omit<MetricsFacts, 'openStays'>> {
  const { from, to } = query;
  const parts = query.parts ?? { leads: true, mqlEntries: 'all', closedStays: true };
  const none = query.owners !== undefined && query.owners.length === 0;
  const owners = query.owners === undefined ? undefined : [...query.owners];
  const [leads, entryRows, closedStays] = await Promise.all([
    parts.leads === true ? readLeadCounts(db, { from, to }, query) : Promise.resolve([]),
    parts.mqlEntries === undefined || parts.mqlEntries === 'none' || none
      ? Promise.resolve([])
      : db
          .selectFrom('metric_mql_entries')
          .select([
            'contact_key',
            'at',
            'until_at',
            'recycled',
            'first_touch_at',
            'clock_verdict',
            'reached_sql',
            'decision',
            'hour',
            'weekday',
            'source',
            'owner',
          ])
          .where('at', '>=', from)
          .where('at', '<', to)
          .$if(parts.mqlEntries === 'recycled', (q) => q.where('recycled', '=', 1))
          .$if(owners !== undefined, (q) => q.where('owner', 'in', owners ?? []))
          .$if(query.source !== undefined, (q) => q.where('source', '=', query.source ?? ''))
          .execute(),
    parts.closedStays !== true || none
      ? Promise.resolve(new Map<string, LengthSummary>())
      : readStaySummaries(db, { from, to }, query),
  ]);
  const owned = (owner: string | null) => (owner === null ? {} : { owner });
  const mqlEntries = entryRows.map((r): MqlEntryFact => {
    const touch = optNum(r.first_touch_at);
    const verdict = optNum(r.clock_verdict);
    const decision = optNum(r.decision);
    const entry: MqlEntryFact = Object.assign({ key: r.contact_key, source: r.source }, owned(r.owner), {
      at: num(r.at),
      until: optNum(r.until_at) ?? Infinity,
      recycled: num(r.recycled) === 1,
      reachedSql: num(r.reached_sql) === 1,
      hour: num(r.hour),
      weekday: r.weekday as Weekday,
    });
    return Object.assign(
      entry,
      touch === undefined ? {} : { firstTouchAt: touch },
      verdict === undefined ? {} : { clockVerdict: verdict === 1 },
      decision === undefined ? {} : { decision: decision === 1 },
    );
  });
  return { leads, mqlEntries, closedStays };
}

/**
 * The funnel's facts (`readFacts`) and the open stays as of `query.now` summed up against the p90s
 * of the closed stays read, all in one read-only repeatable-read transaction: a refresh committing
 * between the bucket counts and a rank lookup inside a bucket would otherwise shift the offset
 * (a wrong median or p90, or no row at the offset at all), and the open stays would be judged
 * against p90s of another state. Throws if storage fails.
 */
export function readFunnelFacts(db: Db, query: FunnelFactsQuery): Promise<MetricsFacts> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const facts = await readFacts(trx, query);
      const openStays = await readOpenStays(
        trx,
        Object.assign(
          { now: query.now, p90s: stayP90s(facts.closedStays) },
          query.owners === undefined ? {} : { owners: query.owners },
          query.source === undefined ? {} : { source: query.source },
        ),
      );
      return Object.assign({}, facts, { openStays });
    });
}

/**
 * The open stays by stage as of `query.now` (entered by then), of the owners and source given:
 * how many, the median age, and how many are older than the stage's p90 (from `query.p90s`).
 * Counts per stage and day of entry come from the day roll-ups (`metric_open_stay_days`) for the
 * days before `now`'s and from the rows for `now`'s own day; a median or the p90 cut-off then needs
 * the rows of one day only, read on the (stage, entered_at) index. Throws if storage fails.
 */
export async function readOpenStays(
  db: Reader,
  query: OpenStaysQuery,
): Promise<Map<string, OpenStaySummary>> {
  const out = new Map<string, OpenStaySummary>();
  if (query.owners !== undefined && query.owners.length === 0) return out;
  const owners = query.owners === undefined ? undefined : [...query.owners];
  const { now, source } = query;
  const today = dayOf(now);
  /** The stage's open stays entered from `from` on, filtered; `through` inclusive. */
  const entered = <Q extends SelectQueryBuilder<Database, 'metric_open_stays', object>>(
    qb: Q,
    stage: string,
    from: Millis,
    through: Millis,
  ): Q =>
    qb
      .where('stage', '=', stage)
      .where('entered_at', '>=', from)
      .where('entered_at', '<=', through)
      .$if(owners !== undefined, (q) => q.where('owner', 'in', owners ?? []))
      .$if(source !== undefined, (q) => q.where('source', '=', source ?? '')) as Q;
  const countEntered = async (stage: string, from: Millis, through: Millis): Promise<number> => {
    const row = await entered(
      db.selectFrom('metric_open_stays').select((eb) => eb.fn.countAll<number>().as('n')),
      stage,
      from,
      through,
    ).executeTakeFirst();
    return num(row?.n ?? 0);
  };
  const dayRows = await db
    .selectFrom('metric_open_stay_days')
    .select((eb) => ['stage', 'day', eb.fn.sum<number>('n').as('n')])
    .where('day', '<=', today)
    .$if(owners !== undefined, (q) => q.where('owner', 'in', owners ?? []))
    .$if(source !== undefined, (q) => q.where('source', '=', source ?? ''))
    .groupBy(['stage', 'day'])
    .orderBy('stage')
    .orderBy('day')
    .execute();
  const days = new Map<string, { day: number; n: number }[]>();
  for (const r of dayRows) {
    const day = num(r.day);
    // `now`'s own day counts only the stays entered by `now`.
    const n = day === today ? await countEntered(r.stage, today * DAY_MS, now) : num(r.n);
    if (n <= 0) continue;
    const list = days.get(r.stage);
    if (list === undefined) days.set(r.stage, [{ day, n }]);
    else list.push({ day, n });
  }
  for (const [stage, counts] of days) {
    let count = 0;
    for (const { n } of counts) count += n;
    /** The entry time at a 1-based rank in entry order: the day holding it, then its rows. */
    const enteredAtRank = async (rank: number): Promise<number> => {
      let before = 0;
      for (const { day, n } of counts) {
        if (rank > before + n) {
          before += n;
          continue;
        }
        const row = await entered(
          db.selectFrom('metric_open_stays').select('entered_at'),
          stage,
          day * DAY_MS,
          Math.min((day + 1) * DAY_MS - 1, now),
        )
          .orderBy('entered_at')
          .limit(1)
          .offset(rank - before - 1)
          .executeTakeFirstOrThrow();
        return num(row.entered_at);
      }
      throw new Error(`no open stay of ${stage} at rank ${rank} of ${count}`);
    };
    // The median age is `now` less the median entry time (ages sort the other way round).
    const medianAgeMs =
      count % 2 === 1
        ? now - (await enteredAtRank((count + 1) / 2))
        : (2 * now - ((await enteredAtRank(count / 2)) + (await enteredAtRank(count / 2 + 1)))) / 2;
    const p90 = query.p90s.get(stage);
    let pastP90 = 0;
    if (p90 !== undefined) {
      // Entered before `now - p90`: the whole days before the cut-off's day, then its rows.
      const cut = now - p90;
      const cutDay = dayOf(cut);
      for (const { day, n } of counts) if (day < cutDay) pastP90 += n;
      const older = await entered(
        db.selectFrom('metric_open_stays').select((eb) => eb.fn.countAll<number>().as('n')),
        stage,
        cutDay * DAY_MS,
        now,
      )
        .where('entered_at', '<', cut)
        .executeTakeFirst();
      pastP90 += num(older?.n ?? 0);
    }
    out.set(stage, { count, medianAgeMs, pastP90 });
  }
  return out;
}
