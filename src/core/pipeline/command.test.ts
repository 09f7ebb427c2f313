// A `deal` event as a command: steering properties (action, dealId, pipeline, stage, reason or
// pushReason, role) are taken out, everything else is a field change; the stage only matters for
// moves; a blank reason is no reason.
import { describe, expect, it } from 'vitest';
import type { InboundEvent, JsonObject } from '../types.ts';
import { dealCommandFromEvent } from './command.ts';
import { AVA, T0 } from './__fixtures__/builders.ts';

const event = (properties: JsonObject): InboundEvent => ({
  id: 'ev-7',
  type: 'deal',
  at: T0,
  source: 'crm',
  contact: {},
  company: {},
  properties,
});

describe('dealCommandFromEvent', () => {
  it('splits steering properties from field changes', () => {
    expect(
      dealCommandFromEvent(
        event({
          action: 'stage_changed',
          dealId: 42,
          pipeline: 'new-business',
          stage: 'demo',
          role: 'champion',
          pushReason: '  procurement  ',
          technicalRequirements: 'SSO',
          closeDate: '2026-09-30',
        }),
        AVA,
        'northwind.io',
      ),
    ).toEqual({
      action: 'stage_changed',
      dealId: '42',
      at: T0,
      cause: 'ev-7',
      pipeline: 'new-business',
      stage: 'demo',
      changes: { technicalRequirements: 'SSO', closeDate: '2026-09-30' },
      reason: 'procurement',
      contact: { key: AVA, role: 'champion' },
      account: 'northwind.io',
    });
  });

  it('a stage on a non-moving action is ignored; a blank reason is none; no contact, no account', () => {
    expect(
      dealCommandFromEvent(
        event({ action: 'updated', dealId: 'd1', stage: 'demo', reason: '   ' }),
        undefined,
        undefined,
      ),
    ).toEqual({ action: 'updated', dealId: 'd1', at: T0, cause: 'ev-7', changes: {} });
  });

  it.each([
    ['an unknown action', { action: 'deleted', dealId: 'd1' }],
    ['no action', { dealId: 'd1' }],
    ['no deal id', { action: 'created' }],
    ['a deal id that is neither text nor a number', { action: 'created', dealId: true }],
  ])('%s is no command', (_name, properties) => {
    expect(dealCommandFromEvent(event(properties), AVA, undefined)).toBeUndefined();
  });
});
