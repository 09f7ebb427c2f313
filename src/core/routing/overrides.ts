/**
 * Rep availability set at run time (`PATCH /v1/reps/{id}`) over what the config says: active, PTO
 * ranges and capacity. Stored by the database, read by the engine with the routing state of each
 * batch, and laid over the config's reps here, so the next routing decision honours them. Pure.
 */
import type { RepModel } from './model.ts';

/** A PTO range as an override carries it: local dates `YYYY-MM-DD` in the rep's zone, inclusive. */
export interface PtoRange {
  readonly from: string;
  readonly to: string;
  readonly note?: string | undefined;
}

/**
 * What an override changes; a field left out keeps the config's value. `pto` replaces the config's
 * whole list; each capacity figure replaces the config's own (the other one is kept).
 */
export interface RepOverride {
  readonly active?: boolean | undefined;
  readonly pto?: readonly PtoRange[] | undefined;
  readonly capacity?:
    | {
        readonly maxOpenLeads?: number | undefined;
        readonly maxPerDay?: number | undefined;
      }
    | undefined;
}

/** True when the override changes nothing (every field left out). */
export function isEmptyOverride(override: RepOverride): boolean {
  const capacity = override.capacity;
  return (
    override.active === undefined &&
    override.pto === undefined &&
    (capacity === undefined || (capacity.maxOpenLeads === undefined && capacity.maxPerDay === undefined))
  );
}

/** `rep` with `override` laid over it (the same object when the override changes nothing). */
export function overrideRep(rep: RepModel, override: RepOverride | undefined): RepModel {
  if (override === undefined || isEmptyOverride(override)) return rep;
  const capacity = override.capacity;
  return Object.freeze(
    Object.assign({}, rep, {
      active: override.active ?? rep.active,
      pto: override.pto === undefined ? rep.pto : override.pto.map((p) => ({ from: p.from, to: p.to })),
      capacity: {
        maxOpenLeads: capacity?.maxOpenLeads ?? rep.capacity.maxOpenLeads,
        maxPerDay: capacity?.maxPerDay ?? rep.capacity.maxPerDay,
      },
    }),
  );
}

/**
 * The reps with their overrides applied, in the same order; `reps` itself when no override names
 * one of them (overrides of reps the config no longer lists are ignored). Never throws.
 */
export function applyRepOverrides(
  reps: ReadonlyMap<string, RepModel>,
  overrides: ReadonlyMap<string, RepOverride>,
): ReadonlyMap<string, RepModel> {
  let changed = false;
  const next = new Map<string, RepModel>();
  for (const [id, rep] of reps) {
    const applied = overrideRep(rep, overrides.get(id));
    if (applied !== rep) changed = true;
    next.set(id, applied);
  }
  return changed ? next : reps;
}

/**
 * A change to an override as `PATCH /v1/reps/{id}` sends it (JSON merge patch): a field left out
 * keeps its override, `null` removes it (the config's value applies again), a value replaces it.
 */
export interface RepOverridePatch {
  readonly active?: boolean | null | undefined;
  readonly pto?: readonly PtoRange[] | null | undefined;
  readonly capacity?:
    | {
        readonly maxOpenLeads?: number | null | undefined;
        readonly maxPerDay?: number | null | undefined;
      }
    | null
    | undefined;
}

/** `patch` applied to `current` (see `RepOverridePatch`); fields left unset are absent. Never throws. */
export function patchOverride(current: RepOverride, patch: RepOverridePatch): RepOverride {
  const pick = <T>(now: T | undefined, change: T | null | undefined): T | undefined =>
    change === undefined ? now : change === null ? undefined : change;
  const active = pick(current.active, patch.active);
  const pto = pick(current.pto, patch.pto);
  const maxOpenLeads =
    patch.capacity === null ? undefined : pick(current.capacity?.maxOpenLeads, patch.capacity?.maxOpenLeads);
  const maxPerDay =
    patch.capacity === null ? undefined : pick(current.capacity?.maxPerDay, patch.capacity?.maxPerDay);
  const capacity: { maxOpenLeads?: number; maxPerDay?: number } = {};
  if (maxOpenLeads !== undefined) capacity.maxOpenLeads = maxOpenLeads;
  if (maxPerDay !== undefined) capacity.maxPerDay = maxPerDay;
  const next: { active?: boolean; pto?: PtoRange[]; capacity?: typeof capacity } = {};
  if (active !== undefined) next.active = active;
  if (pto !== undefined)
    next.pto = pto.map((p) =>
      p.note === undefined ? { from: p.from, to: p.to } : { from: p.from, to: p.to, note: p.note },
    );
  if (maxOpenLeads !== undefined || maxPerDay !== undefined) next.capacity = capacity;
  return next;
}
