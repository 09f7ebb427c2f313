/**
 * The arithmetic of a fair pick among eligible reps: calibrating returning reps, each rep's share
 * (target), deficit and due position, and the order that picks the winner. Only reps below their
 * share can win; among them the rep whose next lead is due first. That is Balinski and Young's
 * quota method: with constant eligibility every rep stays strictly within one lead of its weighted
 * share. The bare "highest deficit wins" rule does not (weights 0.5,0.5,0.5,0.5,1.5,1.5,1.5,1.5
 * leave a rep 1.06 leads behind), so the deficit only decides between equally due reps.
 */

/** Deficits closer than this are a tie (weights like 1.2 make float noise). */
const EPSILON = 1e-9;

/** One eligible rep during a pick; `count`, `target`, `deficit` and `due` are filled in here. */
export interface ShareRow {
  readonly rep: string;
  readonly weight: number;
  readonly openLeads: number;
  /** Explanations for the trace (calibration, quota bonus); only when the pick explains. */
  readonly notes: string[] | undefined;
  count: number;
  target: number;
  deficit: number;
  due: number;
}

/**
 * Raises each rep not eligible at the last pick to the level of the reps already in rotation:
 * max(count, round(weight × Σcounts/Σweights)) over the eligible reps that were present (over all
 * eligible reps when none was). Counting the newcomer itself would halve its level: back from PTO
 * against a colleague at 40, it would restart at 20 and take the next 20 leads in a row.
 */
export function calibrate(eligible: readonly ShareRow[], present: readonly string[]): void {
  let counts = 0;
  let weights = 0;
  let newcomers = 0;
  for (const row of eligible) {
    if (!present.includes(row.rep)) newcomers++;
    else {
      counts += row.count;
      weights += row.weight;
    }
  }
  if (newcomers === 0) return;
  if (newcomers === eligible.length) {
    for (const row of eligible) {
      counts += row.count;
      weights += row.weight;
    }
  }
  const level = counts / weights;
  for (const row of eligible) {
    if (present.includes(row.rep)) continue;
    const share = Math.round(row.weight * level);
    if (share > row.count) {
      row.notes?.push(`calibrated from ${row.count} to ${share} (not eligible at the last pick)`);
      row.count = share;
    }
  }
}

/**
 * Fills target = weight/Σweights × (Σcounts + 1), deficit = target − count + bonus and due =
 * (count − bonus + 1) × Σweights/weight (the lead number at which the share reaches count + 1).
 * `bonus` (0 to 0.5, the quota priority) counts as having that many leads fewer.
 */
export function measure(eligible: readonly ShareRow[], bonus?: (row: ShareRow) => number): void {
  let totalWeight = 0;
  let total = 0;
  for (const row of eligible) {
    totalWeight += row.weight;
    total += row.count;
  }
  for (const row of eligible) {
    const extra = bonus === undefined ? 0 : bonus(row);
    row.target = (row.weight / totalWeight) * (total + 1);
    row.deficit = row.target - row.count + extra;
    row.due = ((row.count - extra + 1) * totalWeight) / row.weight;
  }
}

/** Whether `a` wins over `b` (`b` comes earlier in member order, so it keeps exact ties). */
function better(a: ShareRow, b: ShareRow, leastLoaded: boolean): boolean {
  if (leastLoaded && a.openLeads !== b.openLeads) return a.openLeads < b.openLeads;
  const belowA = a.deficit > EPSILON;
  if (belowA !== b.deficit > EPSILON) return belowA;
  if (Math.abs(a.due - b.due) > EPSILON) return a.due < b.due;
  if (Math.abs(a.deficit - b.deficit) > EPSILON) return a.deficit > b.deficit;
  return a.count < b.count;
}

/**
 * The winner, in member order: (fewest open leads, for `least_loaded`), below its share, due first,
 * highest deficit, lowest count, first member. Undefined when nobody is eligible.
 */
export function choose(eligible: readonly ShareRow[], leastLoaded: boolean): ShareRow | undefined {
  let best: ShareRow | undefined;
  for (const row of eligible) if (best === undefined || better(row, best, leastLoaded)) best = row;
  return best;
}
