import type { ScoringMemory } from './scoring/memory.ts';

/**
 * The engine's domain state: events as accepted, contacts and accounts with attribute provenance,
 * stage history and touches. Time is epoch milliseconds (`Millis`) everywhere inside core/.
 */

export type Millis = number;

export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type JsonObject = { readonly [key: string]: JsonValue };

/** An attribute value as it rides on events (`contact.title`, `company.employees`, `company.techStack`). */
export type AttributeValue = string | number | boolean | readonly string[];

/** An attribute with where it came from: the latest `at` wins, ties go to the later arrival. */
export interface Attribute {
  readonly value: AttributeValue;
  readonly at: Millis;
  readonly eventId: string;
  readonly source: string;
}
export type Attributes = Readonly<Record<string, Attribute>>;

/** An event that passed validation, normalised (email lower-cased, time parsed). */
export interface InboundEvent {
  readonly id: string;
  readonly type: string;
  readonly at: Millis;
  /** Where the event came from (`api`, `import`, `hubspot`, …): provenance of its attributes. */
  readonly source: string;
  readonly contact: Readonly<Record<string, AttributeValue>>;
  readonly company: Readonly<Record<string, AttributeValue>>;
  readonly properties: JsonObject;
}

/** How a contact is named: by email when known, else by the external id. */
export type ContactKey = string;

export interface ContactState {
  readonly key: ContactKey;
  readonly email?: string;
  readonly externalId?: string;
  /** The registrable domain of the contact's account; absent for free-mail addresses. */
  readonly accountDomain?: string;
  /** `contact.*` attributes. */
  readonly attributes: Attributes;
  /**
   * `company.*` attributes seen on this contact's events. The account holds the merged view;
   * this copy keeps them for contacts without an account (free mail).
   */
  readonly companyAttributes: Attributes;
  readonly stage: string;
  readonly stageEnteredAt: Millis;
  readonly owner?: string;
  readonly flags: readonly string[];
  readonly createdAt: Millis;
  readonly updatedAt: Millis;
  /** Last behavioural event (not `identify`, not a rep's touch). */
  readonly lastActivityAt?: Millis;
  /** Last touch by a rep (`rep_activity`). */
  readonly lastTouchAt?: Millis;
  readonly eventCount: number;
  /** What scoring remembers of past events (set once the contact has been scored). */
  readonly scoring?: ScoringMemory;
  /** The score as of the contact's last update. */
  readonly score?: ContactScore;
  /** When the next decay step or inactivity rule changes the score; absent when nothing will. */
  readonly nextDecayAt?: Millis;
}

/** The stored summary of a contact's score (the ledger explains it). */
export interface ContactScore {
  readonly fit: number;
  readonly engagement: number;
  readonly negative: number;
  readonly total: number;
  readonly mql: boolean;
  readonly at: Millis;
}

export interface AccountState {
  readonly domain: string;
  readonly attributes: Attributes;
  readonly owner?: string;
  readonly contactCount: number;
  readonly createdAt: Millis;
  readonly updatedAt: Millis;
  readonly lastActivityAt?: Millis;
  /** Each scored contact's latest score summary, for the roll-up (keyed by contact key). */
  readonly members?: Readonly<Record<ContactKey, AccountMember>>;
  /** The account score as of its last update. */
  readonly score?: AccountScore;
  /** A named (ABM) account of `routing.namedAccounts`, as of the account's last event. */
  readonly named?: { readonly owner: string; readonly tier: number };
}

/** What the account keeps of one contact's score. */
export interface AccountMember {
  readonly total: number;
  /** Engagement points after decay, as of `at`. */
  readonly engagement: number;
  readonly lastActivityAt?: Millis;
  readonly at: Millis;
}

/** The rolled-up account score and the buying-committee signal. */
export interface AccountScore {
  /** The members' totals rolled up (`scoring.account.rollup`: sum, max or average). */
  readonly total: number;
  /** Members engaged (≥ `minEngagement`) with activity within the committee window. */
  readonly engagedContacts: number;
  /** True while `engagedContacts` reaches `buyingCommittee.contacts`. */
  readonly buyingCommittee: boolean;
  readonly at: Millis;
}

export interface StageChange {
  readonly contactKey: ContactKey;
  readonly from?: string;
  readonly to: string;
  readonly at: Millis;
  /** What caused it: an event id, or `timer:<key>`. */
  readonly cause: string;
  /** Why, in words: `entry criterion lifecycle.stages[1].entry[0].when matched`. */
  readonly reason: string;
}

export interface Touch {
  readonly contactKey: ContactKey;
  readonly at: Millis;
  readonly kind: string;
  readonly rep?: string;
  readonly eventId: string;
}
