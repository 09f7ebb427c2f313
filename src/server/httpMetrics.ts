/**
 * Requests served, by method, route pattern and status code: one map increment per response (an
 * `onResponse` hook), exposed by `GET /metrics` as `revops_http_requests_total`.
 */

/** One series: the labels and how many requests it counted. */
export interface HttpSeries {
  readonly method: string;
  /** The route pattern (`/v1/contacts/:ref`), or `unmatched` for requests no route served. */
  readonly route: string;
  readonly status: number;
  readonly count: number;
}

/** The counts since the app was built. Neither method throws. */
export class HttpMetrics {
  readonly #counts = new Map<string, { method: string; route: string; status: number; count: number }>();

  /** Counts one response. Does not throw. */
  observe(method: string, route: string | undefined, status: number): void {
    const pattern = route ?? 'unmatched';
    const key = `${method} ${status} ${pattern}`;
    const series = this.#counts.get(key);
    if (series === undefined) this.#counts.set(key, { method, route: pattern, status, count: 1 });
    else series.count += 1;
  }

  /** Every series, by route, method, then status. */
  series(): HttpSeries[] {
    return [...this.#counts.values()]
      .map((s) => ({ method: s.method, route: s.route, status: s.status, count: s.count }))
      .sort(
        (a, b) =>
          (a.route < b.route ? -1 : a.route > b.route ? 1 : 0) ||
          (a.method < b.method ? -1 : a.method > b.method ? 1 : 0) ||
          a.status - b.status,
      );
  }
}
