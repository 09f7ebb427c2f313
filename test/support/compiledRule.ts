/** A CEL condition compiled as the config loader compiles it, for tests that build models by hand. */
import { compileRule } from '../../src/config/cel.ts';
import type { CompiledRule, RuleScope } from '../../src/core/rule.ts';

/** `source` compiled in `scope` (default `lead`); throws with the compiler's messages when it does not compile. */
export function compiledRule(source: string, scope: RuleScope = 'lead'): CompiledRule {
  const result = compileRule(source, 'test', scope);
  if (!result.ok) throw new Error(`${source}: ${result.issues.map((i) => i.message).join('; ')}`);
  return result.rule;
}
