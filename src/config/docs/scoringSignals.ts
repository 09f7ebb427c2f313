/** How engagement and negative signals read in the documents: what counts, how often, how detected. */
import type { RevopsConfig } from '../schema/index.ts';
import { formatDuration, joinAnd } from './format.ts';
import { code } from './markdown.ts';

type Signal = RevopsConfig['scoring']['engagement']['signals'][number];
type Negative = RevopsConfig['scoring']['negative'][number];

export function signalCounts(signal: Signal): string {
  const base = `${code(signal.event)}${signal.when !== undefined ? ` where ${code(signal.when.source)}` : ''}`;
  if (signal.count === undefined) return base;
  const c = signal.count;
  const what = c.distinctDays ? `on ${c.atLeast}+ distinct days` : `${c.atLeast}+ times`;
  return `${base}, ${what}${c.within !== undefined ? ` within ${formatDuration(c.within)}` : ''}`;
}

export function signalFrequency(signal: Signal): string {
  if (signal.frequency === 'once') return 'once per contact';
  return signal.max !== undefined ? `each time, up to ${signal.max} times` : 'each time';
}

const BUILTIN_WORDS = {
  competitor_domain: 'email domain belongs to a competitor',
  free_mail: 'personal email address (free mail provider)',
  student_domain: 'student email domain',
  invalid_phone: 'phone number that does not validate',
} as const;

export const EFFECTS = {
  none: 'points only',
  flag_review: 'points, and flagged for manual review',
  exclude_from_scoring: 'removed from scoring',
  suppress_everything: 'removed from scoring and from every sequence',
} as const;

export function negativeRule(config: RevopsConfig, n: Negative): string {
  if (n.builtin !== undefined) {
    const detail =
      n.builtin === 'competitor_domain'
        ? config.company.competitors.map(code).join(', ')
        : n.builtin === 'student_domain'
          ? config.hygiene.studentDomains.map(code).join(', ')
          : '';
    return `${BUILTIN_WORDS[n.builtin]}${detail !== '' ? ` (${detail})` : ''}`;
  }
  if (n.when !== undefined) return code(n.when.source);
  const activity =
    n.event !== undefined
      ? `${code(n.event)} event${n.on !== undefined ? ` where ${code(n.on.source)}` : ''}`
      : undefined;
  if (n.inactiveFor !== undefined)
    return activity !== undefined
      ? `no ${activity} for ${formatDuration(n.inactiveFor)}`
      : `no activity for ${formatDuration(n.inactiveFor)}`;
  if (activity !== undefined) return activity;
  if (n.onlyVisited !== undefined) return `only ever viewed ${joinAnd(n.onlyVisited.map(code), 'or')} pages`;
  return 'not set';
}
