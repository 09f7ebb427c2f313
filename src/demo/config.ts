/** The demo workspace's config: the shipped mid-market template, whose team is the demo team. */
import { formatIssues } from '../config/formatIssues.ts';
import { safeLoadConfigText } from '../config/loader.ts';
import type { RevopsConfig } from '../config/schema/index.ts';
import { DEFAULT_TEMPLATE, readTemplate } from '../config/templates/index.ts';

/** The template's text (comments included) and the config it loads to. Throws only if the shipped template is broken (a bug). */
export function demoConfig(): { readonly text: string; readonly config: RevopsConfig } {
  const text = readTemplate(DEFAULT_TEMPLATE);
  const loaded = safeLoadConfigText(text, `${DEFAULT_TEMPLATE}.yaml`);
  if (!loaded.ok)
    throw new Error(`the ${DEFAULT_TEMPLATE} template does not load:\n${formatIssues(loaded.issues)}`);
  return { text, config: loaded.config };
}
