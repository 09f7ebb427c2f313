/**
 * From a loaded config to what the engine runs on: the decision model (lifecycle, actions,
 * rep directory, business calendar, free-mail policy) and the event catalog options.
 */
import type { DecisionModel } from '../core/contact/decide.ts';
import { createFreeMailCheck } from '../core/identity/domains.ts';
import { memoryFingerprint } from '../core/scoring/memory.ts';
import { slaModel } from './slaModel.ts';
import { createBusinessCalendar, type BusinessCalendar } from '../core/time/calendar.ts';
import { routingModel } from './routingModel.ts';
import { dealDeskModel } from './dealDeskModel.ts';
import { dealDeskHooks } from '../core/dealdesk/hooks.ts';
import type { Duration } from '../core/time/duration.ts';
import type { RevopsConfig } from './schema/index.ts';

export interface EngineSetup {
  readonly model: DecisionModel;
  readonly catalog: {
    readonly customTypes: readonly { readonly type: string; readonly properties: readonly string[] }[];
    readonly reasonCodes: readonly string[];
  };
  readonly calendar: BusinessCalendar;
}

export function engineSetup(config: RevopsConfig): EngineSetup {
  const calendar = createBusinessCalendar({
    timezone: config.calendar.timezone ?? config.company.timezone,
    hours: config.calendar.hours,
    holidays: config.calendar.holidays,
  });
  const reps = new Map(config.team.reps.map((r) => [r.id, r]));
  const routing = routingModel(config, calendar);
  const repDirectory = {
    managerOf: (rep: string) => reps.get(rep)?.manager,
    backupOf: (rep: string) => reps.get(rep)?.backup,
  };
  const addTime = (start: number, duration: Duration): number => calendar.addBusinessTime(start, duration);
  const desk = dealDeskModel(config);
  const model: DecisionModel = {
    lifecycle: config.lifecycle,
    isFreeMail: createFreeMailCheck(config.hygiene.freeMail),
    reps: repDirectory,
    addTime,
    routing,
    namedAccount: (domain) => routing.namedAccounts.get(domain),
    sla: slaModel(config, calendar),
    pipeline: config.pipeline,
    ...(desk === undefined ? {} : { dealDesk: dealDeskHooks(desk, repDirectory, addTime) }),
    scoring: {
      model: config.scoring,
      competitorDomains: config.company.competitors,
      studentDomains: config.hygiene.studentDomains,
      fingerprint: memoryFingerprint(config.scoring),
    },
  };
  return {
    model,
    catalog: {
      customTypes: config.events.custom,
      reasonCodes: config.lifecycle.reasonCodes.map((r) => r.code),
    },
    calendar,
  };
}
