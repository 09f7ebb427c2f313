/**
 * Pieces every document shares: the opening that says whose funnel this is and where it comes
 * from, the business calendar, the automation table and the sign-off block.
 */
import type { RevopsConfig } from '../schema/index.ts';
import { WEEKDAYS } from '../schema/calendar.ts';
import { describeAction, describeTrigger, type Automation } from './describe.ts';
import { formatMoney, joinAnd } from './format.ts';
import { blocks, bullets, code, heading, table, text } from './markdown.ts';

const MOTIONS = { plg: 'a product-led', 'sales-led': 'a sales-led', hybrid: 'a hybrid' } as const;
export const CRM_NAMES = { hubspot: 'HubSpot', salesforce: 'Salesforce', none: 'none' } as const;

/** Title, context line and purpose of a document. */
export function docHeader(config: RevopsConfig, title: string, purpose: string): string {
  const c = config.company;
  const crm = c.crm === 'none' ? 'no CRM named' : `${CRM_NAMES[c.crm]} as the system of record`;
  return blocks(
    heading(1, `${title}: ${text(c.name)}`),
    `${text(c.name)} runs ${MOTIONS[c.gtm]} motion with an average contract value of ${formatMoney(c.acv, c.currency)}, ` +
      `a typical sales cycle of ${c.salesCycleDays} days and ${crm}.`,
    purpose,
    `Everything below is generated from ${code('revops.yaml')}. To change it, edit the config and run ${code('revops docs')} again.`,
  );
}

/** The sign-off table: one row per team that must agree. */
export function signOff(teams: readonly string[]): string {
  return blocks(
    heading(2, 'Sign-off'),
    'Each team below confirms that it agrees with these definitions and will work to them.',
    table(
      ['Team', 'Name', 'Date'],
      teams.map((team) => [team, '', '']),
    ),
  );
}

/** `Mon–Fri 09:00–17:00, America/New_York; US public holidays (NY) and 2026-12-24 closed`. */
export function describeCalendar(config: RevopsConfig): string {
  const zone = config.calendar.timezone ?? config.company.timezone;
  const groups: { days: string[]; hours: string }[] = [];
  for (const day of WEEKDAYS) {
    const value = config.calendar.hours[day];
    const hours = value === 'closed' ? 'closed' : (Array.isArray(value) ? value : [value]).join(', ');
    const last = groups[groups.length - 1];
    if (last !== undefined && last.hours === hours) last.days.push(day);
    else groups.push({ days: [day], hours });
  }
  const open = groups
    .filter((g) => g.hours !== 'closed')
    .map((g) => `${dayRange(g.days)} ${g.hours.replace(/-/g, '–')}`);
  const holidays = config.calendar.holidays;
  const closed: string[] = [];
  if (holidays.country !== undefined)
    closed.push(
      `${holidays.country}${holidays.region !== undefined ? `-${holidays.region}` : ''} public holidays`,
    );
  closed.push(...holidays.extra);
  const worked =
    holidays.ignore.length > 0 ? `; worked despite the holiday: ${holidays.ignore.join(', ')}` : '';
  const closedText = closed.length > 0 ? `; closed on ${joinAnd(closed)}` : '';
  return `${open.length > 0 ? joinAnd(open) : 'no opening hours'} (${zone})${closedText}${worked}`;
}

function dayRange(days: readonly string[]): string {
  const cap = (d: string): string => d.charAt(0).toUpperCase() + d.slice(1);
  if (days.length === 1) return cap(days[0] ?? '');
  return `${cap(days[0] ?? '')}–${cap(days[days.length - 1] ?? '')}`;
}

/** A table of automations: trigger, condition, actions, status. */
export function automationsTable(config: RevopsConfig, automations: readonly Automation[]): string {
  return table(
    ['Automation', 'Runs when', 'Only if', 'Does', 'Status'],
    automations.map((a) => [
      `${text(a.name)} (${code(a.id)})`,
      describeTrigger(config, a.trigger),
      a.when !== undefined ? code(a.when.source) : 'always',
      a.actions.map((action) => describeAction(config, action)).join('; '),
      a.enabled ? 'on' : 'off',
    ]),
  );
}

/** A section listing automations, or nothing when there are none. */
export function automationsSection(
  config: RevopsConfig,
  title: string,
  intro: string,
  automations: readonly Automation[],
): string {
  if (automations.length === 0) return '';
  return blocks(heading(2, title), intro, automationsTable(config, automations));
}

/** A short bullet list of `label: value` pairs. */
export function facts(pairs: readonly (readonly [string, string])[]): string {
  return bullets(pairs.map(([label, value]) => `**${label}:** ${value}`));
}
