/** Configs the engine tests share, built from the shipped templates. */
import { safeLoadConfigText } from '../../src/config/loader.ts';
import type { RevopsConfig } from '../../src/config/schema/index.ts';
import { readTemplate } from '../../src/config/templates/index.ts';

/**
 * Mid-market with one routing rule, every lead to the general pool (priya 1.2, leo 1, sofia 1;
 * weekly counts); `edit` changes the YAML text first. Throws when the result does not load.
 */
export function poolOnlyConfig(edit: (text: string) => string = (t) => t): RevopsConfig {
  const text = readTemplate('mid-market').replace(
    /^ {2}rules:\n[\s\S]*?^ {2}fallback:/m,
    '  rules:\n    - { id: pool, name: General pool, to: team:general }\n  fallback:',
  );
  const loaded = safeLoadConfigText(edit(text), 'mid-market.yaml');
  if (!loaded.ok) throw new Error(loaded.issues.map((i) => i.message).join('\n'));
  return loaded.config;
}
