// The builders' pipeline, calendar and team are the mid-market template's, as the real config
// loader compiles them (safeLoadConfigText(readTemplate('mid-market'))): every core test in this
// folder therefore runs against the shipped template.
import { describe, expect, it } from 'vitest';
import { safeLoadConfigText } from '../../config/loader.ts';
import { readTemplate } from '../../config/templates/index.ts';
import { BACKUPS, COMPANY, MANAGERS, MODEL } from './__fixtures__/builders.ts';

function midMarket() {
  const loaded = safeLoadConfigText(readTemplate('mid-market'), 'mid-market.yaml');
  if (!loaded.ok) throw new Error(loaded.issues.map((i) => i.message).join('\n'));
  return loaded.config;
}

describe('the mid-market template', () => {
  const config = midMarket();

  it('its `pipeline` section is the builders’ model', () => {
    expect(config.pipeline).toEqual(MODEL);
  });

  it('its calendar is the builders’ calendar', () => {
    expect(config.calendar).toEqual({
      timezone: COMPANY.spec.timezone,
      hours: COMPANY.spec.hours,
      holidays: COMPANY.spec.holidays,
    });
  });

  it('its team has the builders’ managers and backups', () => {
    const pick = (key: 'manager' | 'backup') =>
      Object.fromEntries(config.team.reps.flatMap((r) => (r[key] === undefined ? [] : [[r.id, r[key]]])));
    expect(pick('manager')).toEqual(MANAGERS);
    expect(pick('backup')).toEqual(BACKUPS);
    expect(config.team.teams.find((t) => t.id === 'cs')?.members).toEqual(['grace']);
  });

  it('its deal desk reviews deals above $25,000', () => {
    expect(config.dealDesk?.threshold).toBe(25000);
  });
});
