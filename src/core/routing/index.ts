/** Lead routing: the decision (`route`), its parts (availability, round-robin, periods, name matching) and the model. */
export * from './model.ts';
export {
  NO_LOAD,
  SKIP_REASONS,
  repAvailability,
  type Availability,
  type RepLoad,
  type SkipReason,
} from './availability.ts';
export { ALL_TIME, isoWeek, periodKey } from './period.ts';
export {
  pickFromTeam,
  type CandidateTrace,
  type PickInput,
  type TeamCounters,
  type TeamPick,
} from './roundRobin.ts';
export {
  LEGAL_SUFFIXES,
  companySimilarity,
  fuzzyNamedAccounts,
  normalizeCompanyName,
  type NameMatch,
} from './fuzzy.ts';
export { route, type RoutingDecision, type RoutingInput } from './route.ts';
export {
  BUILT_IN_STEPS,
  STEP_OUTCOMES,
  type BuiltInStep,
  type RoutingTrace,
  type RuleStep,
  type StepOutcome,
} from './trace.ts';
