/**
 * The simulation's to-do list: planned events and sales steps, earliest first; ties in the order
 * they were added, so the run is the same every time. A binary heap.
 */
import type { Millis } from '../core/types.ts';
import type { DemoEvent } from './events.ts';
import type { Reaction } from './reaction.ts';

export type AgendaItem =
  | { readonly kind: 'event'; readonly at: Millis; readonly seq: number; readonly event: DemoEvent }
  | {
      readonly kind: 'step';
      readonly at: Millis;
      readonly seq: number;
      /** The lead the step reads and acts on. */
      readonly email: string;
      readonly step: Reaction;
    };

function before(a: AgendaItem, b: AgendaItem): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

export class Agenda {
  readonly #heap: AgendaItem[] = [];
  #seq = 0;

  get size(): number {
    return this.#heap.length;
  }

  event(event: DemoEvent): void {
    this.#push({ kind: 'event', at: event.at, seq: this.#seq++, event });
  }

  step(at: Millis, email: string, step: Reaction): void {
    this.#push({ kind: 'step', at, seq: this.#seq++, email, step });
  }

  peek(): AgendaItem | undefined {
    return this.#heap[0];
  }

  pop(): AgendaItem | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l] as AgendaItem, heap[m] as AgendaItem)) m = l;
      if (r < heap.length && before(heap[r] as AgendaItem, heap[m] as AgendaItem)) m = r;
      if (m === i) return top;
      [heap[i], heap[m]] = [heap[m] as AgendaItem, heap[i] as AgendaItem];
      i = m;
    }
  }

  #push(item: AgendaItem): void {
    const heap = this.#heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i] as AgendaItem, heap[parent] as AgendaItem)) return;
      [heap[i], heap[parent]] = [heap[parent] as AgendaItem, heap[i] as AgendaItem];
      i = parent;
    }
  }
}
