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

  private keep(key: string, text: string, value: unknown): void {
    this.entries.delete(key);
    this.entries.set(key, { text, value });
    if (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }
}
