/**
 * Checks that need the whole config: references between sections (stages, reps, teams, queues,
 * territories, channels, clocks, event types), duplicate ids, and values that are each valid but
 * impossible together (weights not adding up, a threshold above the scale, overlapping buckets, a
 * rule after a catch-all that can never be reached).
 */
import type { IssueCode } from '../core/errors.ts';
import type { Issue } from '../core/issue.ts';
import { EVENT_TYPES, PAGE_CATEGORIES } from '../core/events/catalog.ts';
import { BUILT_IN_STEPS } from '../core/routing/trace.ts';
import { didYouMean, listOf } from './didYouMean.ts';
import type { RevopsConfig } from './schema/index.ts';
import { REP_ROLES } from './schema/team.ts';
import { BUILTIN_DEAL_FIELDS } from './schema/pipeline.ts';
import { RECIPIENT_PATTERN } from './schema/actions.ts';
import type { YamlSource } from './yamlSource.ts';

type Path = (string | number)[];
type Action = RevopsConfig['lifecycle']['stages'][number]['onEntry'][number];
type RoutingRule = RevopsConfig['routing']['rules'][number];

export function checkReferences(config: RevopsConfig, source: YamlSource): Issue[] {
  const issues: Issue[] = [];
  const report = (
    code: IssueCode,
    path: Path,
    message: string,
    hint?: string,
    severity: Issue['severity'] = 'error',
  ) => {
    issues.push({
      code,
      path,
      message,
      ...(hint ? { hint } : {}),
      source: source.positionOf(path),
      severity,
    });
  };
  const unknown = (kind: string, value: string, known: readonly string[], path: Path, where = kind) => {
    report(
      'config.unknown_reference',
      path,
      `unknown ${kind} \`${value}\`${didYouMean(value, known)}`,
      known.length > 0 ? `defined ${where}s: ${listOf(known, 20)}` : `define it first`,
    );
  };
  const uniqueIds = (items: readonly { id: string }[], path: Path, what: string) => {
    const seen = new Map<string, number>();
    items.forEach((item, index) => {
      const first = seen.get(item.id);
      if (first !== undefined) {
        report(
          'config.duplicate_id',
          [...path, index, 'id'],
          `${what} id \`${item.id}\` is used twice (also at index ${first})`,
          'ids must be unique: rename one',
        );
      } else seen.set(item.id, index);
    });
    return new Set(seen.keys());
  };

  // ---- ids of each kind
  const stages = uniqueIds(config.lifecycle.stages, ['lifecycle', 'stages'], 'stage');
  const stageList = [...stages];
  const reps = uniqueIds(config.team.reps, ['team', 'reps'], 'rep');
  const repList = [...reps];
  const teams = uniqueIds(config.team.teams, ['team', 'teams'], 'team');
  const teamList = [...teams];
  const queues = uniqueIds(config.team.queues, ['team', 'queues'], 'queue');
  const queueList = [...queues];
  uniqueIds(config.team.territories, ['team', 'territories'], 'territory');
  const channels = uniqueIds(config.notifications.channels, ['notifications', 'channels'], 'channel');
  const channelList = [...channels];
  const clocks = uniqueIds(config.sla.clocks, ['sla', 'clocks'], 'clock');
  const pipelines = uniqueIds(config.pipeline.pipelines, ['pipeline', 'pipelines'], 'pipeline');
  void pipelines;
  uniqueIds(config.automations, ['automations'], 'automation');
  uniqueIds(config.scoring.fit.groups, ['scoring', 'fit', 'groups'], 'fit group');
  uniqueIds(config.scoring.engagement.signals, ['scoring', 'engagement', 'signals'], 'signal');
  uniqueIds(config.scoring.negative, ['scoring', 'negative'], 'negative signal');
  uniqueIds(config.dealDesk.tiers, ['dealDesk', 'tiers'], 'approval tier');
  const dealStages = new Set(config.pipeline.pipelines.flatMap((p) => p.stages.map((s) => s.id)));
  const dealStageList = [...dealStages];
  const eventTypes = [...EVENT_TYPES, ...config.events.custom.map((e) => e.type)];
  const roles = new Set(config.team.reps.map((r) => r.role));

  const checkStage = (value: string, path: Path) => {
    if (!stages.has(value)) unknown('stage', value, stageList, path);
  };
  const checkRep = (value: string, path: Path) => {
    if (!reps.has(value)) unknown('rep', value, repList, path);
  };
  const checkEvent = (value: string, path: Path) => {
    if (!eventTypes.includes(value)) unknown('event type', value, eventTypes, path);
  };
  const checkRecipient = (value: string, path: Path) => {
    const match = RECIPIENT_PATTERN.exec(value);
    const [kind, ref] = value.includes(':') ? (value.split(':') as [string, string]) : [value, ''];
    if (!match) return;
    if (kind === 'rep' && !reps.has(ref)) unknown('rep', ref, repList, path);
    if (kind === 'team' && !teams.has(ref)) unknown('team', ref, teamList, path);
    if (kind === 'queue' && !queues.has(ref)) unknown('queue', ref, queueList, path);
    if (kind === 'channel' && !channels.has(ref))
      unknown('channel', ref, channelList, path, 'notification channel');
    if (kind === 'role') {
      if (!(REP_ROLES as readonly string[]).includes(ref)) unknown('role', ref, REP_ROLES, path);
      else if (!roles.has(ref as (typeof REP_ROLES)[number]))
        report(
          'config.unknown_reference',
          path,
          `no rep has the role \`${ref}\``,
          'give a rep this role in team.reps, or pick another recipient',
          'warning',
        );
    }
  };
  const checkActions = (actions: readonly Action[], path: Path) => {
    actions.forEach((action, i) => {
      const at = [...path, i];
      switch (action.do) {
        case 'notify':
          (Array.isArray(action.to) ? action.to : [action.to]).forEach((to, j) =>
            checkRecipient(to, Array.isArray(action.to) ? [...at, 'to', j] : [...at, 'to']),
          );
          break;
        case 'create_task':
          checkRecipient(action.assignee, [...at, 'assignee']);
          break;
        case 'assign':
          if (action.team !== undefined && !teams.has(action.team))
            unknown('team', action.team, teamList, [...at, 'team']);
          break;
        case 'set_stage':
          checkStage(action.stage, [...at, 'stage']);
          break;
        case 'webhook':
          if (!channels.has(action.channel))
            unknown('channel', action.channel, channelList, [...at, 'channel'], 'notification channel');
          break;
        default:
          break;
      }
    });
  };

  // ---- team
  config.team.reps.forEach((rep, i) => {
    if (rep.manager !== undefined) {
      if (rep.manager === rep.id)
        report(
          'config.inconsistent',
          ['team', 'reps', i, 'manager'],
          `rep \`${rep.id}\` cannot be their own manager`,
        );
      else checkRep(rep.manager, ['team', 'reps', i, 'manager']);
    }
    if (rep.backup !== undefined) {
      if (rep.backup === rep.id)
        report(
          'config.inconsistent',
          ['team', 'reps', i, 'backup'],
          `rep \`${rep.id}\` cannot be their own backup`,
        );
      else checkRep(rep.backup, ['team', 'reps', i, 'backup']);
    }
    rep.pto.forEach((pto, j) => {
      if (pto.from > pto.to)
        report(
          'config.inconsistent',
          ['team', 'reps', i, 'pto', j],
          `PTO ends (${pto.to}) before it starts (${pto.from})`,
          'swap `from` and `to`',
        );
    });
  });
  config.team.teams.forEach((team, i) => {
    team.members.forEach((member, j) => checkRep(member, ['team', 'teams', i, 'members', j]));
    if (team.manager !== undefined) checkRep(team.manager, ['team', 'teams', i, 'manager']);
    if (team.channel !== undefined && !channels.has(team.channel))
      unknown('channel', team.channel, channelList, ['team', 'teams', i, 'channel'], 'notification channel');
  });
  config.team.territories.forEach((territory, i) => {
    if (!teams.has(territory.team))
      unknown('team', territory.team, teamList, ['team', 'territories', i, 'team']);
  });
  config.team.queues.forEach((queue, i) => {
    if (queue.team !== undefined && !teams.has(queue.team))
      unknown('team', queue.team, teamList, ['team', 'queues', i, 'team']);
  });

  // ---- lifecycle
  const lifecycle = config.lifecycle;
  lifecycle.stages.forEach((stage, i) => {
    stage.next.forEach((next, j) => checkStage(next, ['lifecycle', 'stages', i, 'next', j]));
    checkActions(stage.onEntry, ['lifecycle', 'stages', i, 'onEntry']);
  });
  checkStage(lifecycle.initialStage, ['lifecycle', 'initialStage']);
  checkStage(lifecycle.recycling.stage, ['lifecycle', 'recycling', 'stage']);
  const codes = new Map<string, number>();
  lifecycle.reasonCodes.forEach((rc, i) => {
    if (codes.has(rc.code))
      report(
        'config.duplicate_id',
        ['lifecycle', 'reasonCodes', i, 'code'],
        `reason code \`${rc.code}\` is listed twice`,
      );
    codes.set(rc.code, i);
    if (rc.action === 'recycle' && rc.after === undefined)
      report(
        'config.missing_key',
        ['lifecycle', 'reasonCodes', i],
        `reason code \`${rc.code}\` recycles but does not say when`,
        'add `after: 90d` (or another duration)',
      );
    if (rc.action === 'archive' && rc.after !== undefined)
      report(
        'config.inconsistent',
        ['lifecycle', 'reasonCodes', i, 'after'],
        `reason code \`${rc.code}\` archives, so \`after\` has no effect`,
        'remove `after`, or use `action: recycle`',
      );
  });

  // ---- scoring
  const scoring = config.scoring;
  if (scoring.model === 'weighted') {
    const sum = Math.round((scoring.weights.fit + scoring.weights.engagement) * 1000) / 10;
    if (sum !== 100)
      report(
        'config.inconsistent',
        ['scoring', 'weights'],
        `fit and engagement weights add up to ${sum}%, not 100%`,
        'adjust them so they total 100%',
      );
    if (scoring.threshold > 100)
      report(
        'config.out_of_range',
        ['scoring', 'threshold'],
        `the MQL threshold ${scoring.threshold} is above the 0–100 scale of the weighted model`,
        'use a threshold between 1 and 100 (the reference suggests 50–80)',
      );
    for (const key of ['fitMin', 'engagementMin'] as const) {
      if (scoring[key] > 100)
        report(
          'config.out_of_range',
          ['scoring', key],
          `\`${key}\` ${scoring[key]} is above 100% of the dimension`,
          'weighted minimums are percentages of the dimension maximum (0–100)',
        );
    }
  }
  scoring.fit.groups.forEach((group, g) => {
    const ranges: { index: number; attribute: string; min: number; max: number }[] = [];
    group.buckets.forEach((bucket, b) => {
      const at: Path = ['scoring', 'fit', 'groups', g, 'buckets', b];
      const forms = [bucket.when, bucket.range, bucket.in].filter((f) => f !== undefined).length;
      if (forms !== 1)
        report(
          'config.inconsistent',
          at,
          `bucket \`${bucket.label}\` needs exactly one of \`when\`, \`range\` or \`in\` (it has ${forms})`,
          'keep one way of saying which leads match',
        );
      if (bucket.range) {
        const min = bucket.range.min ?? -Infinity;
        const max = bucket.range.max ?? Infinity;
        if (bucket.range.min === undefined && bucket.range.max === undefined)
          report('config.missing_key', [...at, 'range'], 'a range needs `min`, `max` or both');
        else if (min > max)
          report(
            'config.inconsistent',
            [...at, 'range'],
            `range min ${min} is above max ${max}`,
            'swap them',
          );
        for (const other of ranges) {
          if (other.attribute === bucket.range.attribute && min <= other.max && other.min <= max) {
            report(
              'config.overlapping_buckets',
              [...at, 'range'],
              `bucket \`${bucket.label}\` overlaps bucket ${other.index} of group \`${group.id}\` on \`${other.attribute}\` (${fmtRange(other.min, other.max)} and ${fmtRange(min, max)})`,
              'make the ranges disjoint, e.g. 11–50 then 51–200',
            );
          }
        }
        ranges.push({ index: b, attribute: bucket.range.attribute, min, max });
      }
    });
  });
  scoring.engagement.signals.forEach((signal, i) => {
    const at: Path = ['scoring', 'engagement', 'signals', i];
    checkEvent(signal.event, [...at, 'event']);
    if (signal.max !== undefined && signal.frequency !== 'each')
      report(
        'config.inconsistent',
        [...at, 'max'],
        '`max` only applies to `frequency: each`',
        'remove `max`, or set `frequency: each`',
      );
    if (signal.points <= 0)
      report(
        'config.out_of_range',
        [...at, 'points'],
        `signal \`${signal.id}\` gives ${signal.points} points`,
        'engagement signals give positive points; put penalties under scoring.negative',
      );
  });
  scoring.fastTrack.forEach((ft, i) => checkEvent(ft.event, ['scoring', 'fastTrack', i, 'event']));
  scoring.negative.forEach((rule, i) => {
    const at: Path = ['scoring', 'negative', i];
    // `inactiveFor` may name the activity that counts (`event` + `on`): "no login in 14 days".
    const behaviour = rule.inactiveFor === undefined ? rule.event : undefined;
    const forms = [rule.builtin, rule.when, behaviour, rule.inactiveFor, rule.onlyVisited].filter(
      (f) => f !== undefined,
    ).length;
    if (forms !== 1)
      report(
        'config.inconsistent',
        at,
        `negative signal \`${rule.id}\` needs exactly one of \`builtin\`, \`when\`, \`event\`, \`inactiveFor\` or \`onlyVisited\` (it has ${forms})`,
        '`inactiveFor` may be combined with `event` and `on` to say which activity counts',
      );
    if (rule.event !== undefined) checkEvent(rule.event, [...at, 'event']);
    if (rule.on !== undefined && rule.event === undefined)
      report(
        'config.inconsistent',
        [...at, 'on'],
        '`on` filters the events of `event`, which is missing',
        'add `event: <type>`',
      );
    rule.onlyVisited?.forEach((category, j) => {
      if (!(PAGE_CATEGORIES as readonly string[]).includes(category))
        unknown('page category', category, PAGE_CATEGORIES, [...at, 'onlyVisited', j]);
    });
    if (rule.builtin === 'competitor_domain' && config.company.competitors.length === 0)
      report(
        'config.inconsistent',
        at,
        'the competitor-domain signal has no domains to match',
        'list competitor domains in company.competitors',
        'warning',
      );
  });
  const grades = scoring.grades.fit;
  if (!(grades.A > grades.B && grades.B > grades.C))
    report(
      'config.inconsistent',
      ['scoring', 'grades', 'fit'],
      'fit grades must fall from A to C (A > B > C)',
    );
  const eg = scoring.grades.engagement;
  if (!(eg['1'] > eg['2'] && eg['2'] > eg['3']))
    report(
      'config.inconsistent',
      ['scoring', 'grades', 'engagement'],
      'engagement grades must fall from 1 to 3 (1 > 2 > 3)',
    );

  // ---- routing
  const routing = config.routing;
  routing.on.forEach((stage, i) => checkStage(stage, ['routing', 'on', i]));
  routing.namedAccounts.forEach((account, i) =>
    checkRep(account.owner, ['routing', 'namedAccounts', i, 'owner']),
  );
  if (!queues.has(routing.fallback.queue))
    unknown('queue', routing.fallback.queue, queueList, ['routing', 'fallback', 'queue']);
  const ruleIds = new Map<string, string>();
  const walk = (rules: readonly RoutingRule[], path: Path) => {
    let catchAll: string | undefined;
    rules.forEach((rule, i) => {
      const at = [...path, i];
      const previous = ruleIds.get(rule.id);
      if (previous !== undefined)
        report(
          'config.duplicate_id',
          [...at, 'id'],
          `routing rule id \`${rule.id}\` is used twice (also at ${previous})`,
        );
      else ruleIds.set(rule.id, at.join('.'));
      if ((BUILT_IN_STEPS as readonly string[]).includes(rule.id))
        report(
          'config.invalid_value',
          [...at, 'id'],
          `routing rule id \`${rule.id}\` is the name of a step the engine writes in routing traces`,
          `rename the rule: ${listOf(BUILT_IN_STEPS)} are reserved for the engine's own steps`,
        );
      if (catchAll !== undefined)
        report(
          'config.unreachable_rule',
          at,
          `routing rule \`${rule.id}\` can never match: rule \`${catchAll}\` before it has no \`when\` and takes every lead`,
          'move the catch-all rule to the end of its list, or give it a `when`',
        );
      // `to: territory` without `when` matches only leads inside a territory; the rest fall through.
      const takesAll = rule.when === undefined || rule.when.source.trim() === 'true';
      if (takesAll && rule.to !== 'territory') catchAll ??= rule.id;
      if (rule.to === undefined && (rule.rules === undefined || rule.rules.length === 0))
        report(
          'config.missing_key',
          at,
          `routing rule \`${rule.id}\` has neither \`to\` nor nested \`rules\``,
          'add `to: team:<id>` (or rep:, queue:, account_owner, territory)',
        );
      if (rule.to !== undefined) {
        const [kind, ref] = rule.to.includes(':') ? (rule.to.split(':') as [string, string]) : [rule.to, ''];
        if (kind === 'rep') checkRep(ref, [...at, 'to']);
        if (kind === 'team' && !teams.has(ref)) unknown('team', ref, teamList, [...at, 'to']);
        if (kind === 'queue' && !queues.has(ref)) unknown('queue', ref, queueList, [...at, 'to']);
        if (kind === 'territory' && config.team.territories.length === 0)
          report(
            'config.unknown_reference',
            [...at, 'to'],
            'routes to `territory`, but team.territories is empty',
            'define territories, or route to a team',
          );
      }
      (rule.skills ?? []).forEach((skill, j) => {
        if (!repSkills.has(skill.toLowerCase()))
          report(
            'config.unknown_reference',
            [...at, 'skills', j],
            `no rep in team.reps has the skill \`${skill}\`, so this rule can never place a lead`,
            repSkills.size === 0
              ? 'give reps their skills in team.reps[].skills'
              : `known skills: ${[...repSkills].sort().join(', ')}`,
          );
      });
      if (rule.rules) walk(rule.rules, [...at, 'rules']);
    });
  };
  const repSkills = new Set(config.team.reps.flatMap((rep) => rep.skills.map((s) => s.toLowerCase())));
  walk(routing.rules, ['routing', 'rules']);
  const tiers = new Set<number>();
  routing.tiers.forEach((tier, i) => {
    if (tiers.has(tier.tier))
      report(
        'config.duplicate_id',
        ['routing', 'tiers', i, 'tier'],
        `ABM tier ${tier.tier} is defined twice`,
      );
    tiers.add(tier.tier);
  });

  // ---- sla
  config.sla.clocks.forEach((clock, i) => {
    const at: Path = ['sla', 'clocks', i];
    if ('stage' in clock.start) checkStage(clock.start.stage, [...at, 'start', 'stage']);
    if ('event' in clock.start) checkEvent(clock.start.event, [...at, 'start', 'event']);
    if ('dealStage' in clock.start && !dealStages.has(clock.start.dealStage))
      unknown('deal stage', clock.start.dealStage, dealStageList, [...at, 'start', 'dealStage']);
    clock.stop.forEach((stop, j) => {
      if (typeof stop === 'string') return;
      if ('stage' in stop) checkStage(stop.stage, [...at, 'stop', j, 'stage']);
      if ('event' in stop) checkEvent(stop.event, [...at, 'stop', j, 'event']);
      if ('dealStage' in stop && !dealStages.has(stop.dealStage))
        unknown('deal stage', stop.dealStage, dealStageList, [...at, 'stop', j, 'dealStage']);
    });
    let last = -1;
    clock.escalation.forEach((step, j) => {
      const minutes =
        step.after.kind === 'duration' ? step.after.amount * unitOrder(step.after.unit) : Infinity;
      if (minutes < last)
        report(
          'config.inconsistent',
          [...at, 'escalation', j, 'after'],
          `escalation step ${j} (${step.after.source}) comes before the step above it`,
          'list steps in the order they fire',
        );
      last = minutes;
      if (step.action === 'notify_channel') {
        if (step.channel === undefined)
          report('config.missing_key', [...at, 'escalation', j], '`notify_channel` needs `channel: <id>`');
        else if (!channels.has(step.channel))
          unknown(
            'channel',
            step.channel,
            channelList,
            [...at, 'escalation', j, 'channel'],
            'notification channel',
          );
      }
    });
    checkActions(clock.onBreach, [...at, 'onBreach']);
  });

  // ---- pipeline
  const fields = new Set<string>([...BUILTIN_DEAL_FIELDS, ...config.pipeline.fields.map((f) => f.id)]);
  config.pipeline.pipelines.forEach((pipeline, p) => {
    const at: Path = ['pipeline', 'pipelines', p];
    uniqueIds(pipeline.stages, [...at, 'stages'], 'deal stage');
    pipeline.stages.forEach((stage, s) => {
      stage.required.forEach((field, f) => {
        if (!fields.has(field))
          unknown('deal field', field, [...fields], [...at, 'stages', s, 'required', f]);
      });
      checkActions(stage.onEntry, [...at, 'stages', s, 'onEntry']);
    });
    if (!pipeline.stages.some((s) => s.kind === 'won'))
      report(
        'config.missing_key',
        [...at, 'stages'],
        `pipeline \`${pipeline.id}\` has no stage with \`kind: won\``,
      );
    if (!pipeline.stages.some((s) => s.kind === 'lost'))
      report(
        'config.missing_key',
        [...at, 'stages'],
        `pipeline \`${pipeline.id}\` has no stage with \`kind: lost\``,
      );
    checkStage(pipeline.closedWon.contactsBecome, [...at, 'closedWon', 'contactsBecome']);
    if (pipeline.closedWon.csTeam !== undefined && !teams.has(pipeline.closedWon.csTeam))
      unknown('team', pipeline.closedWon.csTeam, teamList, [...at, 'closedWon', 'csTeam']);
  });

  // ---- deal desk, hygiene, automations, metrics, events
  config.dealDesk.tiers.forEach((tier, i) =>
    tier.approvers.forEach((a, j) => checkRecipient(a, ['dealDesk', 'tiers', i, 'approvers', j])),
  );
  checkRecipient(config.dealDesk.escalateTo, ['dealDesk', 'escalateTo']);
  config.hygiene.requiredFields.forEach((rf, i) =>
    checkStage(rf.stage, ['hygiene', 'requiredFields', i, 'stage']),
  );
  if (config.hygiene.matching.reviewAbove > config.hygiene.matching.autoMergeAbove)
    report(
      'config.inconsistent',
      ['hygiene', 'matching'],
      'reviewAbove is above autoMergeAbove: nothing would ever go to review',
      'keep reviewAbove below autoMergeAbove',
    );
  config.automations.forEach((automation, i) => {
    const at: Path = ['automations', i];
    const trigger = automation.trigger;
    if (trigger.on === 'stage_entered') checkStage(trigger.stage, [...at, 'trigger', 'stage']);
    if (trigger.on === 'event') checkEvent(trigger.event, [...at, 'trigger', 'event']);
    if (trigger.on === 'sla_breached' && !clocks.has(trigger.clock))
      unknown('clock', trigger.clock, [...clocks], [...at, 'trigger', 'clock'], 'SLA clock');
    if (trigger.on === 'deal_stage' && !dealStages.has(trigger.stage))
      unknown('deal stage', trigger.stage, dealStageList, [...at, 'trigger', 'stage']);
    checkActions(automation.actions, [...at, 'actions']);
  });
  config.metrics.teamQuotas.forEach((q, i) => {
    if (!teams.has(q.team)) unknown('team', q.team, teamList, ['metrics', 'teamQuotas', i, 'team']);
  });
  for (const [key, range] of Object.entries(config.metrics.benchmarks)) {
    if (
      typeof range === 'object' &&
      'min' in range &&
      range.min !== undefined &&
      'max' in range &&
      range.max !== undefined &&
      range.min > range.max
    )
      report('config.inconsistent', ['metrics', 'benchmarks', key], `benchmark \`${key}\` has min above max`);
  }
  config.events.custom.forEach((event, i) => {
    if ((EVENT_TYPES as readonly string[]).includes(event.type))
      report(
        'config.duplicate_id',
        ['events', 'custom', i, 'type'],
        `\`${event.type}\` is already a built-in event type`,
        'pick another name',
      );
  });
  for (const [form, spec] of Object.entries(config.inbound.forms))
    checkEvent(spec.event, ['inbound', 'forms', form, 'event']);
  for (const [name, mapping] of Object.entries(config.inbound.segment?.track ?? {}))
    checkEvent(mapping.type, ['inbound', 'segment', 'track', name, 'type']);

  return issues;
}

function fmtRange(min: number, max: number): string {
  return `${Number.isFinite(min) ? min : '−∞'}–${Number.isFinite(max) ? max : '∞'}`;
}

function unitOrder(unit: string): number {
  return { minute: 1, hour: 60, day: 1440, week: 10080, month: 43200 }[unit] ?? 1;
}
