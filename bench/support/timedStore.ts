/**
 * A pass-through Store that times what the engine asks of the database: each StoreTx call (by
 * method, with the rows passed), and each transaction's begin + commit (the transaction's wall time minus the time spent
 * inside its callback). Costs a few `performance.now()` calls per batch, nothing per event.
 */
import type { Store, StoreTx } from '../../src/core/ports.ts';

export interface StoreTimings {
  /** Milliseconds inside StoreTx methods, by method name. */
  readonly calls: Map<string, number>;
  /** Rows (or ids) passed to each StoreTx method that takes a list. */
  readonly rows: Map<string, number>;
  /** Milliseconds of begin + commit (transaction wall time minus the callback's). */
  transactionOverheadMs: number;
  transactions: number;
}

export function emptyTimings(): StoreTimings {
  return { calls: new Map(), rows: new Map(), transactionOverheadMs: 0, transactions: 0 };
}

/** Total milliseconds attributed to the database. */
export function storeMs(timings: StoreTimings): number {
  let sum = timings.transactionOverheadMs;
  for (const ms of timings.calls.values()) sum += ms;
  return sum;
}

type AsyncMethod = (...args: unknown[]) => Promise<unknown>;

function timedTx(tx: StoreTx, timings: StoreTimings): StoreTx {
  return new Proxy(tx, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      const method = (value as AsyncMethod).bind(target);
      return async (...args: unknown[]) => {
        const [first] = args;
        if (Array.isArray(first)) timings.rows.set(prop, (timings.rows.get(prop) ?? 0) + first.length);
        const started = performance.now();
        try {
          return await method(...args);
        } finally {
          timings.calls.set(prop, (timings.calls.get(prop) ?? 0) + performance.now() - started);
        }
      };
    },
  });
}

/** Wraps `store`; the timings accumulate in `timings` until reset by the caller. */
export function timedStore(store: Store, timings: StoreTimings): Store {
  const transaction = async <T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> => {
    let inside = 0;
    const started = performance.now();
    try {
      return await store.transaction(async (tx) => {
        const entered = performance.now();
        try {
          return await fn(timedTx(tx, timings));
        } finally {
          inside = performance.now() - entered;
        }
      });
    } finally {
      timings.transactionOverheadMs += performance.now() - started - inside;
      timings.transactions += 1;
    }
  };
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'transaction') return transaction;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as AsyncMethod).bind(target) : value;
    },
  });
}
