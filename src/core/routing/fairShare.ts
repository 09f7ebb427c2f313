/**
 * The arithmetic of a fair pick among eligible reps: calibrating returning reps, each rep's share
 * (target), deficit and due position, and the order that picks the winner. Only reps below their
 * share can win; among them the rep whose next lead is due first. That is Balinski and Young's
 * quota method: with constant eligibility every rep stays strictly within one lead of its weighted
 * share. The bare "highest deficit wins" rule does not (weights 0.5,0.5,0.5,0.5,1.5,1.5,1.5,1.5
 * leave a rep 1.06 leads behind), so the deficit only decides between equally due reps.
 *
 * The eligible reps sit in a table of columns (one slot per rep) that a team keeps and reuses: every
 * routed lead runs this, and rows as objects cost more than the arithmetic.
 */

/** Deficits closer than this are a tie (weights like 1.2 make float noise). */
const EPSILON = 1e-9;

/**
 * The eligible reps of one pick, slot by slot in member order: `n` slots in use. `count`, `weight`,
 * `open` (open leads) and `bonus` (the quota priority, 0 to 0.5) are filled by the caller;
 * calibration raises `count`; `measure` fills `target`, `deficit` and `due`.
 */
export interface ShareTable {
  n: number;
  readonly reps: string[];
  readonly count: Float64Array;
  readonly weight: Float64Array;
  readonly open: Float64Array;
  readonly bonus: Float64Array;
  readonly target: Float64Array;
  readonly deficit: Float64Array;
  readonly due: Float64Array;
}

/** An empty table with room for `size` reps. */
export function shareTable(size: number): ShareTable {
  return {
    n: 0,
    reps: new Array<string>(size).fill(''),
    count: new Float64Array(size),
    weight: new Float64Array(size),
    open: new Float64Array(size),
    bonus: new Float64Array(size),
    target: new Float64Array(size),
    deficit: new Float64Array(size),
    due: new Float64Array(size),
  };
}

/** Appends an eligible rep (target, deficit and due are left for `measure`). */
export function addShare(
  table: ShareTable,
  rep: string,
  count: number,
  weight: number,
  open: number,
  bonus: number,
): void {
  const k = table.n++;
  table.reps[k] = rep;
  table.count[k] = count;
  table.weight[k] = weight;
  table.open[k] = open;
  table.bonus[k] = bonus;
}

/**
 * Raises each rep not eligible at the last pick to the level of the reps already in rotation:
 * max(count, round(weight × Σcounts/Σweights)) over the eligible reps that were present (over all
 * eligible reps when none was). Counting the newcomer itself would halve its level: back from PTO
 * against a colleague at 40, it would restart at 20 and take the next 20 leads in a row.
 */
export function calibrate(table: ShareTable, present: readonly string[]): void {
  const { n, reps, count, weight } = table;
  let counts = 0;
  let weights = 0;
  let newcomers = 0;
  for (let k = 0; k < n; k++) {
    if (!present.includes(reps[k] ?? '')) newcomers++;
    else {
      counts += count[k] ?? 0;
      weights += weight[k] ?? 0;
    }
  }
  if (newcomers === 0) return;
  if (newcomers === n) {
    for (let k = 0; k < n; k++) {
      counts += count[k] ?? 0;
      weights += weight[k] ?? 0;
    }
  }
  const level = counts / weights;
  for (let k = 0; k < n; k++) {
    if (present.includes(reps[k] ?? '')) continue;
    const share = Math.round((weight[k] ?? 0) * level);
    if (share > (count[k] ?? 0)) count[k] = share;
  }
}

/**
 * Fills target = weight/Σweights × (Σcounts + 1), deficit = target − count + bonus and due =
 * (count − bonus + 1) × Σweights/weight (the lead number at which the share reaches count + 1).
 * `bonus` (0 to 0.5, the quota priority) counts as having that many leads fewer.
 */
export function measure(table: ShareTable): void {
  const { n, count, weight, bonus, target, deficit, due } = table;
  let totalWeight = 0;
  let total = 0;
  for (let k = 0; k < n; k++) {
    totalWeight += weight[k] ?? 0;
    total += count[k] ?? 0;
  }
  for (let k = 0; k < n; k++) {
    const w = weight[k] ?? 0;
    const c = count[k] ?? 0;
    const extra = bonus[k] ?? 0;
    const t = (w / totalWeight) * (total + 1);
    target[k] = t;
    deficit[k] = t - c + extra;
    due[k] = ((c - extra + 1) * totalWeight) / w;
  }
}

/** Whether slot `a` wins over slot `b` (`b` comes earlier in member order, so it keeps exact ties). */
function better(table: ShareTable, a: number, b: number, leastLoaded: boolean): boolean {
  const { open, deficit, due, count } = table;
  const openA = open[a] ?? 0;
  const openB = open[b] ?? 0;
  if (leastLoaded && openA !== openB) return openA < openB;
  const deficitA = deficit[a] ?? 0;
  const deficitB = deficit[b] ?? 0;
  const belowA = deficitA > EPSILON;
  if (belowA !== deficitB > EPSILON) return belowA;
  const dueA = due[a] ?? 0;
  const dueB = due[b] ?? 0;
  if (Math.abs(dueA - dueB) > EPSILON) return dueA < dueB;
  if (Math.abs(deficitA - deficitB) > EPSILON) return deficitA > deficitB;
  return (count[a] ?? 0) < (count[b] ?? 0);
}

/**
 * The winning slot, in member order: (fewest open leads, for `least_loaded`), below its share, due
 * first, highest deficit, lowest count, first member. −1 when nobody is eligible.
 */
export function choose(table: ShareTable, leastLoaded: boolean): number {
  let best = -1;
  for (let k = 0; k < table.n; k++) if (best < 0 || better(table, k, best, leastLoaded)) best = k;
  return best;
}
