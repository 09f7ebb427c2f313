/**
 * The routing decision tree: rules flattened in the order they are tried (nested rules numbered
 * `2.1`), each rule's target in words, and the Mermaid `flowchart TD` drawing of the whole tree.
 *
 * A rule with nested rules tries them in order when it matches; when none of them matches, its own
 * target applies, or, without one, routing carries on with the next rule. After the last rule (or
 * when a team has nobody available) the lead waits in the fallback queue.
 */
import type { RevopsConfig } from '../schema/index.ts';
import { queueName, repName, teamName, teamPhrase } from './describe.ts';
import { formatDuration } from './format.ts';
import { mermaidText, text } from './markdown.ts';

export type RoutingRule = RevopsConfig['routing']['rules'][number];

export interface FlatRule {
  readonly rule: RoutingRule;
  /** `1`, `2`, `2.1`. */
  readonly order: string;
  readonly depth: number;
  /** The conditions of the enclosing rules, outermost first. */
  readonly parents: readonly RoutingRule[];
}

/** Every rule in the order it is tried, nested rules right after their parent. */
export function flattenRules(
  rules: readonly RoutingRule[],
  prefix = '',
  parents: readonly RoutingRule[] = [],
): FlatRule[] {
  return rules.flatMap((rule, i) => {
    const order = `${prefix}${i + 1}`;
    const self: FlatRule = { rule, order, depth: parents.length, parents };
    return [self, ...flattenRules(rule.rules ?? [], `${order}.`, [...parents, rule])];
  });
}

/**
 * True when a rule takes every lead that reaches it. A territory rule without `when` is not one:
 * it takes only leads inside some territory.
 */
export function isCatchAll(rule: RoutingRule): boolean {
  return (rule.when === undefined || rule.when.source.trim() === 'true') && rule.to !== 'territory';
}

/** The rule's condition as written, or what an absent one means. */
export function conditionText(rule: RoutingRule): string | undefined {
  if (rule.when !== undefined) return rule.when.source;
  return rule.to === 'territory' ? 'the lead is inside a territory' : undefined;
}

/** A routing target in words: `the account owner`, `Ana Silva`, `the SDR team (weighted round-robin)`. */
export function describeTarget(config: RevopsConfig, target: string): string {
  if (target === 'account_owner') return 'the account owner';
  if (target === 'territory') {
    const list = config.team.territories.map((t) => `${text(t.name)}: ${teamName(config, t.team)}`);
    return `the team of the matching territory${list.length > 0 ? ` (${list.join('; ')})` : ''}`;
  }
  const [kind, ref = ''] = target.split(':') as [string, string];
  if (kind === 'rep') return repName(config, ref);
  if (kind === 'queue') return `queue ${queueName(config, ref)}`;
  const team = config.team.teams.find((t) => t.id === ref);
  return `${teamPhrase(config, ref)}${team !== undefined ? ` (${STRATEGY_SHORT[team.strategy]})` : ''}`;
}

const STRATEGY_SHORT = {
  weighted_round_robin: 'weighted round-robin',
  round_robin: 'round-robin',
  least_loaded: 'least loaded',
} as const;

/** Long conditions are cut in the drawing; the rule table shows them in full. */
function shorten(condition: string, max = 70): string {
  const flat = condition.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** The decision tree as Mermaid source. */
export function routingDiagram(config: RevopsConfig): string {
  const lines: string[] = ['flowchart TD'];
  const stages = config.routing.on
    .map((id) => config.lifecycle.stages.find((s) => s.id === id)?.name ?? id)
    .join(' or ');
  const fallback = config.team.queues.find((q) => q.id === config.routing.fallback.queue);
  const fallbackLabel =
    mermaidText(`Fallback: ${fallback?.name ?? config.routing.fallback.queue}`) +
    (fallback !== undefined ? `<br/>${mermaidText(`picked up within ${formatDuration(fallback.sla)}`)}` : '');
  lines.push(`  start(["${mermaidText(`Lead enters ${stages}`)}"])`);
  lines.push(`  fallback[("${fallbackLabel}")]`);
  const pools: string[] = [];
  const plain = (value: string): string => value.replace(/\\([\\`*_[\]<>])/g, '$1');

  const nodeId = (order: string): string => `r${order.replace(/\./g, '_')}`;
  const targetId = (order: string): string => `t${order.replace(/\./g, '_')}`;

  /** Draws `rules`; a rule's "no" goes to the next rule, the last one to `otherwise`. */
  const draw = (rules: readonly RoutingRule[], prefix: string, otherwise: string): void => {
    rules.forEach((rule, i) => {
      const order = `${prefix}${i + 1}`;
      const id = nodeId(order);
      const next = i + 1 < rules.length ? nodeId(`${prefix}${i + 2}`) : otherwise;
      const condition = conditionText(rule);
      const safe =
        mermaidText(`Rule ${order}: ${rule.name}`) +
        (condition !== undefined ? `<br/>${mermaidText(shorten(condition))}` : '');
      lines.push(condition !== undefined ? `  ${id}{"${safe}"}` : `  ${id}["${safe}"]`);
      let matched: string;
      if (rule.to !== undefined) {
        const tid = targetId(order);
        lines.push(`  ${tid}["${mermaidText(plain(describeTarget(config, rule.to)))}"]`);
        if (rule.to.startsWith('team:') || rule.to === 'territory') pools.push(tid);
        matched = tid;
      } else matched = next;
      const nested = rule.rules ?? [];
      const entry = nested.length > 0 ? nodeId(`${order}.1`) : matched;
      lines.push(condition !== undefined ? `  ${id} -- yes --> ${entry}` : `  ${id} --> ${entry}`);
      if (condition !== undefined) lines.push(`  ${id} -- no --> ${next}`);
      if (nested.length > 0) draw(nested, `${order}.`, matched);
    });
  };
  const first = config.routing.rules.length > 0 ? nodeId('1') : 'fallback';
  lines.push(`  start --> ${first}`);
  draw(config.routing.rules, '', 'fallback');
  for (const pool of pools) lines.push(`  ${pool} -. nobody available .-> fallback`);
  return lines.join('\n');
}
