/**
 * The contacts and accounts a single-connection store (SQLite) wrote or read last, kept between
 * transactions so the next event about them does not read and parse their rows again: a page view
 * about a known visitor spent ~10 % of its ingest time selecting and parsing its contact and account.
 *
 * Kept right only while this connection is the database's only writer, which is checked rather
 * than assumed: SQLite's `data_version` changes when any other connection (another process, a
 * `revops ingest` beside the server) commits, and the store compares it at the start of every
 * transaction, after `BEGIN IMMEDIATE` has taken the write lock, so nobody can commit in between.
 * A different version empties the cache. What a transaction reads or writes reaches the cache
 * once its work has succeeded, right before COMMIT and while the connection is still its own (the
 * next transaction cannot begin earlier); a rollback leaves the cache as it was, and a COMMIT that
 * fails empties it. Writes this store makes without a row in hand (`updateScores`) drop the
 * contacts they touch at once.
 *
 * States handed out are shared between transactions, like the account JSON the store memoises:
 * the engine never changes a state once built, it builds a new one. Under the test runner they
 * are deeply frozen, so code that changed one in place would fail there first.
 *
 * A contact or account is kept from its second sighting: the store admits what a transaction found
 * already stored, not what its first event created, so a stream of new leads seen once each keeps
 * nothing (and costs no garbage collection). The least recently used entries go beyond the limits
 * (20,000 contacts and 5,000 accounts by default: tens of MB).
 *
 * It also remembers which leads a look-up found without a running SLA clock, so the next event about
 * them skips `openClocksOf`'s query; writing a clock of a lead (`upsertClocks`) forgets it at once.
 */
import { deepFreeze } from '../core/deepFreeze.ts';
import type { StoreStats } from '../core/ports.ts';
import type { AccountState, ContactKey, ContactState } from '../core/types.ts';

/** A contact as stored: its state and its row's values (what `upsertContacts` compares with). */
export interface CachedContact {
  readonly state: ContactState;
  readonly row: Readonly<Record<string, unknown>>;
}

export interface StateCacheLimits {
  readonly contacts: number;
  readonly accounts: number;
}

const DEFAULT_LIMITS: StateCacheLimits = { contacts: 20_000, accounts: 5_000 };

/** Frozen in tests (vitest sets VITEST): an in-place change of a shared state throws there. */
const FREEZE = process.env['VITEST'] !== undefined;

export class StateCache {
  private readonly contacts = new Map<ContactKey, CachedContact>();
  private readonly byEmail = new Map<string, ContactKey>();
  private readonly byExternalId = new Map<string, ContactKey>();
  private readonly accounts = new Map<string, AccountState>();
  /**
   * Contacts known to have no running SLA clock (none open, none breached and not stopped): a page
   * view of a known visitor need not look its clocks up. Kept from a look-up that found none, until
   * a clock of theirs is written.
   */
  private readonly clockFree = new Set<ContactKey>();
  /** The database's `data_version` the entries belong to; undefined: none seen yet. */
  private version: number | undefined;
  /**
   * Look-ups answered and not, since the store opened, and clock look-ups not made (a lead known to
   * have no running clock): diagnostics and tests.
   */
  readonly stats = { hits: 0, misses: 0, cleared: 0, clocksSkipped: 0 };

  constructor(
    /** The database's current `data_version` (SQLite's pragma), read on the store's connection. */
    private readonly dataVersion: () => number,
    private readonly limits: StateCacheLimits = DEFAULT_LIMITS,
  ) {}

  /**
   * At the start of a transaction that holds the write lock: empties the cache when another
   * connection committed since the last check.
   */
  validate(): void {
    const version = this.dataVersion();
    if (version === this.version) return;
    if (this.version !== undefined) this.clear();
    this.version = version;
  }

  /** The counters and how many contacts, accounts and clock-free leads are kept now (`GET /metrics`). */
  figures(): NonNullable<StoreStats['stateCache']> {
    return {
      hits: this.stats.hits,
      misses: this.stats.misses,
      cleared: this.stats.cleared,
      contacts: this.contacts.size,
      accounts: this.accounts.size,
      clockFree: this.clockFree.size,
      clockLookupsSkipped: this.stats.clocksSkipped,
    };
  }

  clear(): void {
    this.stats.cleared += 1;
    this.contacts.clear();
    this.byEmail.clear();
    this.byExternalId.clear();
    this.accounts.clear();
    this.clockFree.clear();
  }

  /** Whether `key` is known to have no running clock. */
  hasNoClocks(key: ContactKey): boolean {
    const known = this.clockFree.has(key);
    if (known) this.stats.clocksSkipped += 1;
    return known;
  }

  /** Records that `key` has no running clock (the least recently recorded go beyond the contacts' limit). */
  putNoClocks(key: ContactKey): void {
    this.clockFree.delete(key);
    this.clockFree.add(key);
    if (this.clockFree.size > this.limits.contacts) {
      const oldest = this.clockFree.values().next();
      if (oldest.done !== true) this.clockFree.delete(oldest.value);
    }
  }

  /** Forgets that `key` has no running clock: a clock of theirs is being written. */
  dropNoClocks(key: ContactKey): void {
    this.clockFree.delete(key);
  }

  contactByEmail(email: string): CachedContact | undefined {
    return this.used(this.contacts, this.byEmail.get(email));
  }

  contactByExternalId(externalId: string): CachedContact | undefined {
    return this.used(this.contacts, this.byExternalId.get(externalId));
  }

  contact(key: ContactKey): CachedContact | undefined {
    return this.contacts.get(key);
  }

  account(domain: string): AccountState | undefined {
    return this.used(this.accounts, domain);
  }

  /** Keeps `entry` as the contact's stored state (replacing what was kept under its key). */
  putContact(entry: CachedContact): void {
    this.dropContact(entry.state.key);
    if (FREEZE) deepFreeze(entry);
    this.contacts.set(entry.state.key, entry);
    if (entry.state.email !== undefined) this.byEmail.set(entry.state.email, entry.state.key);
    if (entry.state.externalId !== undefined) this.byExternalId.set(entry.state.externalId, entry.state.key);
    const evicted = overflow(this.contacts, this.limits.contacts);
    if (evicted !== undefined) this.dropContact(evicted);
  }

  dropContact(key: ContactKey): void {
    const found = this.contacts.get(key);
    if (found === undefined) return;
    this.contacts.delete(key);
    const { email, externalId } = found.state;
    if (email !== undefined && this.byEmail.get(email) === key) this.byEmail.delete(email);
    if (externalId !== undefined && this.byExternalId.get(externalId) === key)
      this.byExternalId.delete(externalId);
  }

  dropAccount(domain: string): void {
    this.accounts.delete(domain);
  }

  putAccount(state: AccountState): void {
    this.accounts.delete(state.domain);
    if (FREEZE) deepFreeze(state);
    this.accounts.set(state.domain, state);
    const evicted = overflow(this.accounts, this.limits.accounts);
    if (evicted !== undefined) this.accounts.delete(evicted);
  }

  /** `map`'s entry under `key`, moved to the most recently used end; counted as a hit or a miss. */
  private used<K, V>(map: Map<K, V>, key: K | undefined): V | undefined {
    const found = key === undefined ? undefined : map.get(key);
    if (key === undefined || found === undefined) {
      this.stats.misses += 1;
      return undefined;
    }
    this.stats.hits += 1;
    map.delete(key);
    map.set(key, found);
    return found;
  }
}

/** The least recently used key of `map` once it holds more than `limit` entries. */
function overflow<K, V>(map: ReadonlyMap<K, V>, limit: number): K | undefined {
  if (map.size <= limit) return undefined;
  const oldest = map.keys().next();
  return oldest.done === true ? undefined : oldest.value;
}

/** What one transaction read and wrote, for the cache once it commits. */
export class PendingStates {
  readonly contacts = new Map<ContactKey, CachedContact>();
  readonly accounts = new Map<string, AccountState>();
  /** Contacts whose clock look-up found none, and no clock of theirs was written after it. */
  readonly noClocks = new Set<ContactKey>();

  /** Into `cache`, after the transaction committed. */
  commitTo(cache: StateCache): void {
    for (const entry of this.contacts.values()) cache.putContact(entry);
    for (const state of this.accounts.values()) cache.putAccount(state);
    for (const key of this.noClocks) cache.putNoClocks(key);
  }
}
