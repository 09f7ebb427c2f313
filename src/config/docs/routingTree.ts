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
import { formatDuration, formatNumber } from './format.ts';
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

/** A target that picks from a team (a team, or a territory's), which can have nobody available. */
const picksFromTeam = (to: string): boolean => to.startsWith('team:') || to === 'territory';

/** A top-level rule list longer than this is drawn as its first and last `DRAWN_END` rules. */
const DRAWN_RULES = 60;
const DRAWN_END = 25;

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

  /**
   * Draws `rules`; a rule's "no" goes to the next rule, the last one to `otherwise`. A top-level list
   * longer than `DRAWN_RULES` draws its first and last `DRAWN_END` rules and one node for those
   * between: Mermaid renders a few hundred edges at most (GitHub: 500), and the rule table lists all.
   */
  const draw = (rules: readonly RoutingRule[], prefix: string, otherwise: string): void => {
    const hidden =
      prefix === '' && rules.length > DRAWN_RULES
        ? { from: DRAWN_END, to: rules.length - DRAWN_END - 1 }
        : undefined;
    const idOf = (i: number): string =>
      hidden !== undefined && i === hidden.from ? 'rmore' : nodeId(`${prefix}${i + 1}`);
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      if (rule === undefined) continue;
      if (hidden !== undefined && i === hidden.from) {
        drawHidden(rules.slice(hidden.from, hidden.to + 1), hidden.from, idOf(hidden.to + 1));
        i = hidden.to;
        continue;
      }
      const order = `${prefix}${i + 1}`;
      const id = nodeId(order);
      const next = i + 1 < rules.length ? idOf(i + 1) : otherwise;
      const condition = conditionText(rule);
      const safe =
        mermaidText(`Rule ${order}: ${rule.name}`) +
        (condition !== undefined ? `<br/>${mermaidText(shorten(condition))}` : '');
      lines.push(condition !== undefined ? `  ${id}{"${safe}"}` : `  ${id}["${safe}"]`);
      let matched: string;
      if (rule.to !== undefined) {
        const tid = targetId(order);
        lines.push(`  ${tid}["${mermaidText(plain(describeTarget(config, rule.to)))}"]`);
        if (picksFromTeam(rule.to)) pools.push(tid);
        matched = tid;
      } else matched = next;
      const nested = rule.rules ?? [];
      const entry = nested.length > 0 ? nodeId(`${order}.1`) : matched;
      lines.push(condition !== undefined ? `  ${id} -- yes --> ${entry}` : `  ${id} --> ${entry}`);
      if (condition !== undefined) lines.push(`  ${id} -- no --> ${next}`);
      if (nested.length > 0) draw(nested, `${order}.`, matched);
    }
  };
  /** One node for the top-level rules not drawn (numbered from `offset` + 1), their targets another. */
  const drawHidden = (hidden: readonly RoutingRule[], offset: number, next: string): void => {
    const label = `Rules ${offset + 1}–${offset + hidden.length}: ${formatNumber(hidden.length)} more rules, each in the table below`;
    lines.push(`  rmore{"${mermaidText(label)}"}`);
    lines.push(`  tmore["${mermaidText('the matching rule’s target')}"]`);
    lines.push('  rmore -- one matches --> tmore', `  rmore -- none --> ${next}`);
    if (hidden.some((r) => r.to !== undefined && picksFromTeam(r.to))) pools.push('tmore');
  };
  const first = config.routing.rules.length > 0 ? nodeId('1') : 'fallback';
  lines.push(`  start --> ${first}`);
  draw(config.routing.rules, '', 'fallback');
  for (const pool of pools) lines.push(`  ${pool} -. nobody available .-> fallback`);
  return lines.join('\n');
}
