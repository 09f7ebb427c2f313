/**
 * Schemas of the admin endpoints: reps and their availability overrides, config validation,
 * versions and diffs. Named ones (`meta({ id })`) become OpenAPI components.
 */
import { z } from 'zod';
import { isoDate } from '../../config/schema/primitives.ts';
import { SKIP_REASONS } from '../../core/routing/availability.ts';
import { IsoTime } from './common.ts';

/** Who did something, as the audit shows it: the API key's id and name (null: from a config file or without auth). */
export const ActorSchema = z
  .object({
    key: z.string().describe('The API key id'),
    name: z.string().nullable().describe('The key’s name (null if the key was since deleted)'),
  })
  .nullable()
  .meta({ id: 'Actor' });

export const PtoRangeSchema = z
  .object({
    from: z.string().describe('First day away, YYYY-MM-DD in the rep’s time zone'),
    to: z.string().describe('Last day away, inclusive'),
    note: z.string().optional(),
  })
  .meta({ id: 'PtoRange' });

const AvailabilitySchema = z.object({
  active: z.boolean(),
  pto: z.array(PtoRangeSchema),
  capacity: z.object({
    maxOpenLeads: z.number().int().nullable().describe('Most open leads at once; null: no cap'),
    maxPerDay: z.number().int().nullable().describe('Most new leads per local day; null: no cap'),
  }),
});

export const RepSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    role: z.string(),
    timezone: z.string().describe('The rep’s zone: PTO dates and “today” are counted in it'),
    teams: z.array(z.string()).describe('Teams the rep is a member of'),
    availability: AvailabilitySchema.describe(
      'What routing uses now: the config with the override laid over it',
    ),
    configured: AvailabilitySchema.describe('What the config says'),
    override: z
      .object({
        active: z.boolean().optional(),
        pto: z.array(PtoRangeSchema).optional(),
        capacity: z
          .object({ maxOpenLeads: z.number().int().optional(), maxPerDay: z.number().int().optional() })
          .optional(),
        updatedAt: IsoTime,
        updatedBy: ActorSchema,
      })
      .nullable()
      .describe('Set with PATCH /v1/reps/{id}; null when the config applies as written'),
    load: z.object({
      openLeads: z.number().int().describe('Leads owned in an open (sales) stage'),
      today: z.number().int().describe('Leads assigned on the rep’s local day'),
    }),
    availableNow: z
      .object({
        available: z.boolean(),
        reason: z.enum(SKIP_REASONS).nullable(),
        detail: z.string().nullable(),
      })
      .describe('Whether routing would consider the rep now (before rule skills and team working hours)'),
  })
  .meta({ id: 'Rep' });

export const RepListSchema = z.object({ reps: z.array(RepSchema) }).meta({ id: 'RepList' });

export const RepParams = z.object({ id: z.string().min(1).max(200).describe('The rep id from team.reps') });

const PtoInput = z
  .strictObject({ from: isoDate, to: isoDate, note: z.string().max(500).optional() })
  .refine((p) => p.from <= p.to, {
    error: '`to` is before `from`: a range runs from its first day to its last',
    path: ['to'],
  });

const CapInput = z.number().int().min(1).max(1_000_000).nullable().optional();

/** `PATCH /v1/reps/{id}`: a JSON merge patch of the override (null removes a field). */
export const RepPatchSchema = z
  .strictObject({
    active: z
      .boolean()
      .nullable()
      .optional()
      .describe('false takes the rep out of routing; null: as the config says'),
    pto: z
      .array(PtoInput)
      .max(200)
      .nullable()
      .optional()
      .describe(
        'Replaces the whole PTO list (dates in the rep’s zone, inclusive); [] clears it; null: as the config says',
      ),
    capacity: z
      .strictObject({ maxOpenLeads: CapInput, maxPerDay: CapInput })
      .nullable()
      .optional()
      .describe('Each figure replaces the config’s; null (a figure or the whole object): as the config says'),
  })
  .meta({ id: 'RepPatch' });

/** One config problem with where it is: `revops.yaml:12:5`. */
export const ConfigIssueSchema = z
  .object({
    code: z.string(),
    path: z.string().describe('Where in the config: `team.reps[2].email`'),
    message: z.string(),
    hint: z.string().optional(),
    severity: z.enum(['error', 'warning']),
    at: z.string().nullable().describe('file:line:col of the problem in the text sent'),
  })
  .meta({ id: 'ConfigIssue' });

export const ValidateResultSchema = z
  .object({
    valid: z.boolean().describe('No error (warnings allowed): POST /v1/config would accept it'),
    hash: z.string().describe('SHA-256 of the text: the version id it would be stored as'),
    issues: z.array(ConfigIssueSchema),
  })
  .meta({ id: 'ConfigValidation' });

export const ConfigVersionSchema = z
  .object({
    hash: z.string(),
    createdAt: IsoTime,
    createdBy: ActorSchema,
    note: z.string().nullable(),
    active: z.boolean(),
    activations: z
      .array(z.object({ at: IsoTime, by: ActorSchema, note: z.string().nullable() }))
      .describe('Each time this version became the active one, oldest first'),
  })
  .meta({ id: 'ConfigVersion' });

export const ConfigVersionListSchema = z
  .object({ versions: z.array(ConfigVersionSchema).describe('Newest first') })
  .meta({ id: 'ConfigVersionList' });

export const ConfigVersionTextSchema = ConfigVersionSchema.extend({ text: z.string() }).meta({
  id: 'ConfigVersionText',
});

export const ActivatedSchema = z
  .object({
    version: ConfigVersionSchema,
    changed: z.boolean().describe('False when this text was the active version already'),
    previous: z.string().nullable().describe('The hash active before'),
    warnings: z.array(ConfigIssueSchema),
  })
  .meta({ id: 'ConfigActivated' });

export const HashParams = z.object({
  hash: z.string().min(7).max(64).describe('A version hash, or its first 7+ characters'),
});

export const ConfigNoteQuery = z.object({
  note: z.string().max(500).optional().describe('Why this version (the audit keeps it); for a YAML body'),
});

export const DiffQuery = z.object({
  from: z.string().min(7).max(64).optional().describe('Base version (default: the one stored before `to`)'),
  to: z.string().min(7).max(64).optional().describe('Changed version (default: the active one)'),
});

export const ConfigDiffSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    added: z.number().int().describe('Lines added'),
    removed: z.number().int().describe('Lines removed'),
    diff: z.string().describe('Unified diff (3 lines of context); empty when the texts are the same'),
  })
  .meta({ id: 'ConfigDiff' });
