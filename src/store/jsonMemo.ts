/**
 * The JSON of the rows a store wrote or read last, kept with its value, per row key and column: a
 * row read back with the same text gets the same value without parsing it again, and a value written
 * again unchanged (the same object) reuses its text. The text decides, so the answer is exactly what
 * parsing would give, whoever wrote the row (another process, a rolled-back transaction: the text
 * differs and is parsed). Values handed out are shared between reads: those parsed here are deeply
 * frozen, those the engine wrote are kept as they are (the engine never changes a state once built;
 * it builds a new one). The keys used least recently are dropped beyond `limit`.
 *
 * Made for the accounts: every event about a lead rewrites its account's member list, and at 10
 * members the account's JSON was ~9 % of the HTTP server's CPU, parsed on each read and stringified
 * on each write.
 */
import { deepFreeze } from '../core/deepFreeze.ts';

export class JsonMemo {
  private readonly entries = new Map<string, { readonly text: string; readonly value: unknown }>();

  constructor(private readonly limit: number) {}

  /** `JSON.parse(text)`, the value kept for `key` when its text is the same. */
  parse<T>(key: string, text: string): T {
    const found = this.entries.get(key);
    if (found !== undefined && found.text === text) {
      this.keep(key, found.text, found.value);
      return found.value as T;
    }
    const value = deepFreeze(JSON.parse(text) as T);
    this.keep(key, text, value);
    return value;
  }

  /** `JSON.stringify(value)`, the text kept for `key` when the value is the same object. */
  stringify(key: string, value: unknown): string {
    const found = this.entries.get(key);
    if (found !== undefined && found.value === value) return found.text;
    const text = JSON.stringify(value);
    // Kept as it is, not frozen: the engine made it and never changes a state once built.
    this.keep(key, text, value);
    return text;
  }

  /**
   * `JSON.stringify(record)` for a record of objects (the account's members), the text kept for
   * `key` when the record is the same object; otherwise built from each entry's text, kept per
   * entry object: a new record that changed one member stringifies that member alone.
   */
  stringifyRecord(key: string, record: Readonly<Record<string, unknown>>): string {
    const found = this.entries.get(key);
    if (found !== undefined && found.value === record) return found.text;
    const parts: string[] = [];
    for (const name of Object.keys(record)) {
      const part = this.memberText(name, record[name]);
      if (part !== undefined) parts.push(part);
    }
    const text = `{${parts.join(',')}}`;
    this.keep(key, text, record);
    return text;
  }

  /** `"name":value` as `JSON.stringify` writes a member inside an object; undefined: left out. */
  private memberText(name: string, value: unknown): string | undefined {
    if (
      typeof value !== 'object' ||
      value === null ||
      typeof (value as { toJSON?: unknown }).toJSON === 'function'
    ) {
      const text = JSON.stringify(value) as string | undefined;
      return text === undefined ? undefined : `${JSON.stringify(name)}:${text}`;
    }
    const kept = this.memberTexts.get(value);
    if (kept?.name === name) return kept.text;
    const text = `${JSON.stringify(name)}:${JSON.stringify(value)}`;
    this.memberTexts.set(value, { name, text });
    return text;
  }

  /** Each member object's text under the name it was last written with (members never change). */
  private readonly memberTexts = new WeakMap<object, { readonly name: string; readonly text: string }>();

  private keep(key: string, text: string, value: unknown): void {
    this.entries.delete(key);
    this.entries.set(key, { text, value });
    if (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }
}
