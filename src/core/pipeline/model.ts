/**
 * The pipeline as the engine runs it: the `pipeline` section of revops.yaml after loading
 * (durations parsed, actions typed). Lookups by pipeline and stage id; pure.
 */
import type { StageAction } from '../lifecycle/actions.ts';
import type { Duration } from '../time/duration.ts';

export interface DealStageModel {
  readonly id: string;
  readonly name: string;
  readonly kind: 'open' | 'won' | 'lost';
  /** Forecast probability as a fraction (0.6 for 60%). */
  readonly probability?: number | undefined;
  readonly required: readonly string[];
  readonly exit?: string | undefined;
  readonly staleAfter?: Duration | undefined;
  readonly onEntry: readonly StageAction[];
}

export interface PipelineDefModel {
  readonly id: string;
  readonly name: string;
  readonly stages: readonly DealStageModel[];
  readonly skips: 'flag' | 'block';
  readonly stale: {
    readonly averageMultiplier: number;
    readonly alertTask: { readonly title: string; readonly due: Duration };
    readonly managerAfter: Duration;
  };
  readonly closeDate: { readonly pushReasonRequired: boolean; readonly forecastReviewAfter: number };
  readonly closedWon: {
    readonly contactsBecome: string;
    readonly csTeam?: string | undefined;
    readonly kickoff: { readonly title: string; readonly due: Duration };
    readonly stopSequences: boolean;
  };
}

export interface PipelineModel {
  readonly fields: readonly {
    readonly id: string;
    readonly label: string;
    readonly type: string;
    readonly options?: readonly string[] | undefined;
  }[];
  readonly pipelines: readonly PipelineDefModel[];
}

/** The pipeline with this id, or the first one when `id` is undefined. */
export function pipelineOf(model: PipelineModel, id: string | undefined): PipelineDefModel | undefined {
  return id === undefined ? model.pipelines[0] : model.pipelines.find((p) => p.id === id);
}

export function stageOf(pipeline: PipelineDefModel, id: string): DealStageModel | undefined {
  return pipeline.stages.find((s) => s.id === id);
}

/** The first stage of a kind (`won`, `lost`), where closed deals go. */
export function closingStage(pipeline: PipelineDefModel, kind: 'won' | 'lost'): DealStageModel | undefined {
  return pipeline.stages.find((s) => s.kind === kind);
}

/** The open stages in pipeline order. */
export function openStages(pipeline: PipelineDefModel): readonly DealStageModel[] {
  return pipeline.stages.filter((s) => s.kind === 'open');
}

/** The label of a field (built-in fields are labelled by their id in words). */
export function fieldLabel(model: PipelineModel, id: string): string {
  const custom = model.fields.find((f) => f.id === id);
  if (custom !== undefined) return custom.label;
  const words = id.replace(/([A-Z])/g, ' $1').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
