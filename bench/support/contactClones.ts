/**
 * A million realistic contacts without a million events. A few thousand generated events go
 * through the real engine (on `:memory:`), and the contacts and accounts it stores become
 * templates: attributes with provenance, a scoring memory carrying the model's fingerprint, a
 * score. Each clone account copies one template account under a fresh domain and takes 1–19
 * contacts cloned from that account's own contacts, under fresh names and emails; every time in
 * an account and its contacts moves back by the same whole number of days (so per-day memories
 * stay valid). Clones are written with the store's own upserts, many thousand rows a transaction.
 */
import { openMigratedStore, runtime } from '../../src/compose.ts';
import type { RevopsConfig } from '../../src/config/schema/index.ts';
import type { Store } from '../../src/core/ports.ts';
import { rollUpAccount } from '../../src/core/scoring/account.ts';
import { DAY } from '../../src/core/scoring/decay.ts';
import type { ScoringMemory, SignalMemory } from '../../src/core/scoring/memory.ts';
import type { ScoringModel } from '../../src/core/scoring/model.ts';
import type { AccountState, Attributes, ContactState, Millis } from '../../src/core/types.ts';
import { SimulatedClock } from '../../src/engine/clock.ts';
import { mulberry32 } from '../../test/support/prng.ts';

export interface TemplateAccount {
  readonly account: AccountState;
  readonly contacts: readonly ContactState[];
}

export interface Templates {
  readonly accounts: readonly TemplateAccount[];
  readonly contacts: number;
  /** The latest event time among the templates. */
  readonly lastAt: Millis;
  readonly ingestMs: number;
}

/** Ingests `events` on `:memory:` through the real engine; its accounts and their contacts come back. */
export async function harvestTemplates(
  config: RevopsConfig,
  events: readonly Record<string, unknown>[],
): Promise<Templates> {
  const lastAt = Date.parse(String(events[events.length - 1]?.['at']));
  const store = await openMigratedStore(':memory:');
  try {
    const { engine } = runtime(store, config, new SimulatedClock(lastAt + 60_000));
    const started = performance.now();
    for (let i = 0; i < events.length; i += 1000) await engine.ingest(events.slice(i, i + 1000));
    const ingestMs = performance.now() - started;
    const contacts = await store.listContacts();
    const byDomain = new Map<string, ContactState[]>();
    for (const c of contacts) {
      if (c.accountDomain === undefined || c.score === undefined) continue;
      byDomain.set(c.accountDomain, [...(byDomain.get(c.accountDomain) ?? []), c]);
    }
    const accounts = (await store.listAccounts()).flatMap((account) => {
      const members = byDomain.get(account.domain) ?? [];
      return members.length === 0 ? [] : [{ account, contacts: members }];
    });
    return { accounts, contacts: contacts.length, lastAt, ingestMs };
  } finally {
    await store.close();
  }
}

const FIRST = ['ana', 'ben', 'chloe', 'dev', 'elif', 'femi', 'gus', 'hana', 'ivan', 'jia', 'kofi', 'lena'];
const LAST = ['abe', 'berg', 'costa', 'diaz', 'eze', 'fox', 'gupta', 'ho', 'ito', 'jones', 'kim', 'lund'];

const shiftTimes = (record: Readonly<Record<string, Millis>>, dt: Millis) =>
  Object.fromEntries(Object.entries(record).map(([k, t]) => [k, t + dt]));

function shiftAttributes(
  attributes: Attributes,
  dt: Millis,
  values: Record<string, string> = {},
): Attributes {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, a]) => [
      name,
      { ...a, at: a.at + dt, value: values[name] ?? a.value },
    ]),
  );
}

function shiftSignal(signal: SignalMemory, dt: Millis): SignalMemory {
  return {
    ...signal,
    times: signal.times.map((t) => t + dt),
    ...(signal.qualifiedAt === undefined ? {} : { qualifiedAt: signal.qualifiedAt + dt }),
  };
}

/** The memory with every instant in it moved by `dt`. */
export function shiftMemory(memory: ScoringMemory, dt: Millis): ScoringMemory {
  return {
    ...memory,
    ...(memory.firstSeenAt === undefined ? {} : { firstSeenAt: memory.firstSeenAt + dt }),
    ...(memory.lastActivityAt === undefined ? {} : { lastActivityAt: memory.lastActivityAt + dt }),
    ...(memory.resetAt === undefined ? {} : { resetAt: memory.resetAt + dt }),
    signals: Object.fromEntries(Object.entries(memory.signals).map(([id, s]) => [id, shiftSignal(s, dt)])),
    fastTrack: shiftTimes(memory.fastTrack, dt),
    negativeHits: shiftTimes(memory.negativeHits, dt),
    activity: shiftTimes(memory.activity, dt),
    emailFlags: shiftTimes(memory.emailFlags, dt),
  };
}

function cloneContact(
  t: ContactState,
  email: string,
  domain: string,
  company: string,
  dt: Millis,
): ContactState {
  const [first = '', last = ''] = email.split('@')[0]?.split('.') ?? [];
  const { lastActivityAt, lastTouchAt, nextDecayAt, scoring, score, ...rest } = t;
  return {
    ...rest,
    key: `email:${email}`,
    email,
    accountDomain: domain,
    attributes: shiftAttributes(t.attributes, dt, { firstName: first, lastName: last }),
    companyAttributes: shiftAttributes(t.companyAttributes, dt, { domain, name: company }),
    stageEnteredAt: t.stageEnteredAt + dt,
    createdAt: t.createdAt + dt,
    updatedAt: t.updatedAt + dt,
    ...(lastActivityAt === undefined ? {} : { lastActivityAt: lastActivityAt + dt }),
    ...(lastTouchAt === undefined ? {} : { lastTouchAt: lastTouchAt + dt }),
    ...(nextDecayAt === undefined ? {} : { nextDecayAt: nextDecayAt + dt }),
    ...(scoring === undefined ? {} : { scoring: shiftMemory(scoring, dt) }),
    ...(score === undefined ? {} : { score: { ...score, at: score.at + dt } }),
  };
}

export interface CloneOptions {
  readonly contacts: number;
  readonly seed: number;
  /** Clone accounts move back by 0 to this many whole days. */
  readonly maxShiftDays: number;
  /** How many contact emails to keep, drawn at random, for checks after a rescore. */
  readonly sample: number;
  /** Contacts per transaction (accounts follow their contacts). */
  readonly batch: number;
  readonly onProgress?: (written: number) => void;
}

export interface Clones {
  readonly contacts: number;
  readonly accounts: number;
  readonly ms: number;
  /** Emails of randomly drawn clones. */
  readonly sample: readonly string[];
  /** Keys of the clones stored with `score.mql` true. */
  readonly mqlKeys: ReadonlySet<string>;
}

/** Writes `options.contacts` clones of the templates, with their accounts, into `store`. */
export async function writeClones(
  store: Store,
  templates: Templates,
  model: Pick<ScoringModel, 'account'>,
  options: CloneOptions,
): Promise<Clones> {
  const random = mulberry32(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const sampleAt = new Set<number>();
  while (sampleAt.size < Math.min(options.sample, options.contacts)) {
    sampleAt.add(Math.floor(random() * options.contacts));
  }
  const sample: string[] = [];
  const mqlKeys = new Set<string>();
  let contacts: ContactState[] = [];
  let accounts: AccountState[] = [];
  let written = 0;
  let accountCount = 0;
  const flush = async () => {
    const [c, a] = [contacts, accounts];
    contacts = [];
    accounts = [];
    await store.transaction(async (tx) => {
      await tx.upsertContacts(c);
      await tx.upsertAccounts(a);
    });
    options.onProgress?.(written);
  };

  const started = performance.now();
  while (written < options.contacts) {
    const template = pick(templates.accounts);
    const a = accountCount++;
    const domain = `account${a}.com`;
    const company = `Account ${a}`;
    const dt = -Math.floor(random() * (options.maxShiftDays + 1)) * DAY;
    const size = Math.min(1 + Math.floor(random() * 19), options.contacts - written);
    const { members: _members, score: _score, lastActivityAt, ...base } = template.account;
    let account: AccountState = {
      ...base,
      domain,
      attributes: shiftAttributes(base.attributes, dt, { name: company }),
      contactCount: size,
      createdAt: base.createdAt + dt,
      updatedAt: base.updatedAt + dt,
      ...(lastActivityAt === undefined ? {} : { lastActivityAt: lastActivityAt + dt }),
    };
    for (let i = 0; i < size; i++) {
      const email = `${pick(FIRST)}.${pick(LAST)}.${written.toString(36)}@${domain}`;
      const contact = cloneContact(pick(template.contacts), email, domain, company, dt);
      if (sampleAt.has(written)) sample.push(email);
      if (contact.score?.mql === true) mqlKeys.add(contact.key);
      contacts.push(contact);
      written++;
      if (contact.score !== undefined) {
        const member = { key: contact.key, score: contact.score, lastActivityAt: contact.lastActivityAt };
        account = rollUpAccount(account, member, model, account.updatedAt).account;
      }
    }
    accounts.push(account);
    if (contacts.length >= options.batch) await flush();
  }
  if (contacts.length > 0) await flush();
  return { contacts: written, accounts: accountCount, ms: performance.now() - started, sample, mqlKeys };
}
