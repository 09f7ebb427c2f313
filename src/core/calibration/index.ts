/**
 * The pure statistics behind `revops calibrate`: lead-score calibration against closed-won and
 * closed-lost outcomes (penalised logistic regression, threshold tables, point suggestions and the
 * warning signs that a model needs recalibrating).
 */
export { fitLogistic, predictProbability, type LogisticFit, type LogisticOptions } from './logistic.ts';
export {
  ADVICE,
  KEEP_POINTS,
  KEEP_SHARE,
  suggestPoints,
  type Advice,
  type PointSuggestion,
  type PointSuggestions,
  type RuleFeature,
} from './suggestions.ts';
export {
  candidateThresholds,
  eightyPercentThreshold,
  OUTCOMES,
  qualifies,
  thresholdTable,
  type Outcome,
  type ScoredLead,
  type ThresholdRow,
} from './thresholds.ts';
export {
  ACCEPTANCE_FLOOR,
  MIN_DECISIONS,
  MIN_OUTCOMES,
  MIN_OUTCOMES_PER_SIDE,
  MIN_PRECEDING_MONTHS,
  MIN_WON,
  SPIKE_FACTOR,
  WARNING_CODES,
  warningSigns,
  type CalibrationFacts,
  type WarningCode,
  type WarningSign,
} from './warnings.ts';
