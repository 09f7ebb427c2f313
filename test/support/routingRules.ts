/**
 * Routing rules put in front of a template's own, in its YAML: long trees for tests and benchmarks
 * go through the real loader. The templates' `routing.rules` start with their named-account rule.
 */

/** Where the extra rules go: right under `routing.rules:`, before the template's first rule. */
const RULES_ANCHOR = '  rules:\n    # 1. Named account';

/** One routing rule as written in the YAML (`when` is a CEL condition, `to` a target). */
export interface YamlRule {
  readonly id: string;
  readonly name: string;
  readonly when: string;
  readonly to: string;
}

/** The rules as list items under `routing.rules`. */
export function rulesYaml(rules: readonly YamlRule[]): string {
  return rules
    .flatMap((rule) => [
      `    - id: ${rule.id}`,
      `      name: ${rule.name}`,
      `      when: '${rule.when}'`,
      `      to: ${rule.to}`,
    ])
    .join('\n');
}

/** `template` (a template's YAML) with `rules` before its own routing rules; throws without its anchor. */
export function withRulesFirst(template: string, rules: readonly YamlRule[]): string {
  const at = template.indexOf(RULES_ANCHOR);
  if (at < 0 || template.includes(RULES_ANCHOR, at + 1))
    throw new Error('routing.rules anchor not found once');
  const head = template.slice(0, at + '  rules:\n'.length);
  return `${head}${rulesYaml(rules)}\n${template.slice(at + '  rules:\n'.length)}`;
}
