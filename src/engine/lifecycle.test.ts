// Lifecycle through the real engine and store, on every dialect: sales rejections archive or
// recycle by their reason code (ENG-01 nurtures at exactly +90 days), a recycled lead that becomes
// an MQL again is routed again and flagged recycled_mql, an accept needs 2 of 4 BANT criteria,
// deals and NPS move contacts, and a manual move outside `next` is refused naming the allowed moves.
import { describe, expect, it } from 'vitest';
import { poolOnlyConfig } from '../../test/support/configs.ts';
import { DIALECTS } from '../../test/support/dialects.ts';
import { runtime } from '../compose.ts';
import { decideTimer } from '../core/contact/decide.ts';
import { RevopsError } from '../core/errors.ts';
import { SimulatedClock } from './clock.ts';
import { moveStage } from './moveStage.ts';

const poolOnly = poolOnlyConfig;

const DAY = 86_400_000;
const EMAIL = 'lee@company1.com';
const KEY = `email:${EMAIL}`;
const MQL_AT = '2026-11-24T15:01:00Z'; // Tuesday
const REJECT_AT = Date.parse('2026-11-25T15:00:00Z');

/** A demo request from a fit enough lead: an MQL at once, routed on the spot. */
const demo = (id: string, at: string) => ({
  id,
  type: 'form_submit',
  at,
  contact: { email: EMAIL, firstName: 'Lee', lastName: 'Number1', seniority: 'vp' },
  company: { name: 'Company 1', employees: 400 },
  properties: { form: 'demo_request' },
});
const decision = (id: string, at: number, properties: Record<string, unknown>) => ({
  id,
  type: 'sales_decision',
  at: new Date(at).toISOString(),
  contact: { email: EMAIL },
  properties: { rep: 'priya', ...properties },
});

describe.each(DIALECTS)('lifecycle on $name', (dialect) => {
  async function setup() {
    const store = await dialect.open();
    const { engine } = runtime(store, poolOnly(), new SimulatedClock(Date.parse('2027-12-31T00:00:00Z')));
    expect((await engine.ingest([demo('demo-1', MQL_AT)])).accepted).toBe(1);
    const contact = async () => (await store.listContacts())[0];
    expect((await contact())?.stage).toBe('mql');
    return { store, engine, contact };
  }

  it.each([
    ['FIT-02', 'Wrong industry'],
    ['QUAL-03', 'Not a real project'],
  ])('%s archives the lead for good', async (code, reason) => {
    const { store, engine, contact } = await setup();
    try {
      await engine.ingest([decision('rej-1', REJECT_AT, { decision: 'reject', reasonCode: code })]);
      expect((await contact())?.stage).toBe('disqualified');
      expect((await store.stageHistory(KEY)).at(-1)).toEqual({
        contactKey: KEY,
        from: 'mql',
        to: 'disqualified',
        at: REJECT_AT,
        cause: 'rej-1',
        reason: `sales_decision reject ${code} (${reason}): archive, never recycled`,
      });
      expect((await store.listTimers()).filter((t) => t.key.startsWith('recycle'))).toEqual([]);
      // Never recycled: a new demo request a month later moves nothing.
      await engine.ingest([demo('demo-2', new Date(REJECT_AT + 30 * DAY).toISOString())]);
      expect((await contact())?.stage).toBe('disqualified');
      expect(await store.listAssignments(KEY)).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('ENG-01 recycles now, resets engagement, and starts the nurture at exactly +90 days', async () => {
    const { store, engine, contact } = await setup();
    try {
      const fitBefore = (await contact())?.score?.fit;
      await engine.ingest([decision('rej-1', REJECT_AT, { decision: 'reject', reasonCode: 'ENG-01' })]);
      const recycled = await contact();
      expect(recycled?.stage).toBe('recycled');
      expect(recycled?.flags).toContain('recycled');
      expect(recycled?.score).toMatchObject({ fit: fitBefore, engagement: 0, mql: false });
      expect((await store.stageHistory(KEY)).at(-1)).toMatchObject({
        from: 'mql',
        to: 'recycled',
        cause: 'rej-1',
        reason: 'sales_decision reject ENG-01 (No response after 3 attempts): recycle, nurture from 90d on',
      });
      const timers = (await store.listTimers()).filter((t) => t.key.startsWith('recycle'));
      expect(timers.map((t) => [t.key, t.dueAt])).toEqual([
        [`recycle:${KEY}`, REJECT_AT + 90 * DAY],
        [`recycle-archive:${KEY}`, REJECT_AT + 180 * DAY],
      ]);
      const nurture = async () =>
        (await store.listOutbox()).filter(
          (o) => o.type === 'sequence' && o.payload['sequence'] === 'recycled-nurture',
        );
      // One millisecond before: nothing fires (the decision closed the MQL follow-up task and
      // cancelled its overdue reminder).
      expect(await engine.fireDueTimers(REJECT_AT + 90 * DAY - 1)).toBe(0);
      expect(await nurture()).toEqual([]);
      expect(await engine.fireDueTimers(REJECT_AT + 90 * DAY)).toBe(1);
      expect((await nurture()).map((o) => [o.at, o.payload['op']])).toEqual([
        [REJECT_AT + 90 * DAY, 'enroll'],
      ]);
      expect((await store.listTimers()).map((t) => t.key)).toEqual([`recycle-archive:${KEY}`]);
    } finally {
      await store.close();
    }
  });

  it('a recycled lead that becomes an MQL again is routed again and flagged recycled_mql', async () => {
    const { store, engine, contact } = await setup();
    try {
      await engine.ingest([decision('rej-1', REJECT_AT, { decision: 'reject', reasonCode: 'FIT-01' })]);
      expect((await contact())?.stage).toBe('recycled');
      // FIT-01 nurtures at once.
      const enrolled = (await store.listOutbox()).filter((o) => o.payload['sequence'] === 'recycled-nurture');
      expect(enrolled.map((o) => o.at)).toEqual([REJECT_AT]);
      const back = REJECT_AT + 40 * DAY;
      await engine.ingest([demo('demo-2', new Date(back).toISOString())]);
      const again = await contact();
      expect(again?.stage).toBe('mql');
      expect(again?.flags).toEqual(expect.arrayContaining(['recycled', 'recycled_mql']));
      const rows = await store.listAssignments(KEY);
      expect(rows).toHaveLength(2);
      // Routed again (keepExistingOwner keeps priya: routing.keepExistingOwner).
      expect(rows[1]).toMatchObject({ at: back, kind: 'kept', owner: 'priya', rule: 'keep_owner' });
      const handoff = (await store.listOutbox()).filter(
        (o) => o.at === back && o.payload['recycled_mql'] === true,
      );
      expect(handoff.map((o) => [o.type, o.payload['to'] ?? null]).sort()).toEqual([
        ['mql', null],
        ['notify', 'rep:priya'],
      ]);
      expect((await store.stageHistory(KEY)).at(-1)).toMatchObject({
        from: 'recycled',
        to: 'mql',
        cause: 'demo-2',
      });
      expect((await store.listTimers()).filter((t) => t.key.startsWith('recycle'))).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('a recycled lead silent for 6 months is archived; activity pushes the archive back', async () => {
    const { store, engine, contact } = await setup();
    try {
      // Recycled by hand: the same recycling as a rejection (engagement reset, flag, archive timer).
      const moved = await moveStage(
        { store, model: engine.model },
        { contact: EMAIL, to: 'recycled', at: REJECT_AT, by: 'maria' },
      );
      expect(moved.stageChanges.map((c) => [c.from, c.to, c.cause])).toEqual([
        ['mql', 'recycled', 'manual:maria'],
      ]);
      const archiveTimer = async () =>
        (await store.listTimers()).find((t) => t.key === `recycle-archive:${KEY}`);
      expect((await archiveTimer())?.dueAt).toBe(REJECT_AT + 180 * DAY);
      // A page view 30 days later: the 6 months count from it.
      const viewAt = REJECT_AT + 30 * DAY;
      await engine.ingest([
        {
          id: 'pv-1',
          type: 'page_view',
          at: new Date(viewAt).toISOString(),
          contact: { email: EMAIL },
          properties: { url: '/blog' },
        },
      ]);
      expect((await contact())?.stage).toBe('recycled');
      const timer = await archiveTimer();
      expect(timer?.dueAt).toBe(viewAt + 180 * DAY);
      // The timer runner writes a TimerDecision's contact and history; decided here as it will.
      const fired = {
        key: timer?.key ?? '',
        dueAt: timer?.dueAt ?? 0,
        contactKey: KEY,
        payload: timer?.payload ?? {},
        attempts: 1,
      };
      const decided = decideTimer(engine.model, fired, await contact(), viewAt + 180 * DAY);
      expect(decided.contact?.stage).toBe('disqualified');
      expect(decided.stageChanges).toEqual([
        {
          contactKey: KEY,
          from: 'recycled',
          to: 'disqualified',
          at: viewAt + 180 * DAY,
          cause: `timer:recycle-archive:${KEY}`,
          reason: 'no engagement for 6 months while recycled (lifecycle.recycling.archiveAfter): archived',
        },
      ]);
      // The disqualified stage's action (stop lead-nurture) comes with it.
      expect(
        decided.effects
          .filter((e) => e.kind === 'outbox')
          .map((e) => e.kind === 'outbox' && e.payload['sequence']),
      ).toEqual(['lead-nurture']);
    } finally {
      await store.close();
    }
  });

  it('an accept needs 2 of 4 BANT criteria; too few leaves the lead and tells the rep', async () => {
    const { store, engine, contact } = await setup();
    try {
      await engine.ingest([decision('acc-1', REJECT_AT, { decision: 'accept', bant: ['budget'] })]);
      expect((await contact())?.stage).toBe('mql');
      const refused = (await store.listOutbox()).filter((o) => o.type === 'sql_refused');
      expect(refused.map((o) => o.payload)).toEqual([
        {
          to: 'rep:priya',
          decision: 'accept',
          stage: 'mql',
          message:
            'lee@company1.com stays in mql: an SQL needs 2 of 4 BANT criteria confirmed (lifecycle.sqlRequires.bant), only budget is; confirm 1 more of authority, need, timeline and send the decision again with `bant`',
          required: 2,
          bant: ['budget'],
        },
      ]);
      // BANT adds up across decisions: authority now makes two.
      await engine.ingest([
        decision('acc-2', REJECT_AT + 3_600_000, { decision: 'accept', bant: ['authority'] }),
      ]);
      expect((await contact())?.stage).toBe('sql');
      expect((await store.stageHistory(KEY)).at(-1)).toMatchObject({
        from: 'mql',
        to: 'sql',
        cause: 'acc-2',
        reason: 'sales_decision accept with BANT budget, authority (2 of 2 needed)',
      });
      const bad = await engine.ingest([
        decision('acc-3', REJECT_AT, { decision: 'accept', bant: ['money'] }),
      ]);
      expect(bad.items[0]?.issues?.[0]?.path).toBe('properties.bant');
    } finally {
      await store.close();
    }
  });

  it('deals move a contact from any earlier stage; NPS 9+ makes a customer an evangelist', async () => {
    const { store, engine, contact } = await setup();
    try {
      const deal = (id: string, at: number, action: string) => ({
        id,
        type: 'deal',
        at: new Date(at).toISOString(),
        contact: { email: EMAIL },
        // Closed won needs the signed contract and payment terms (pipeline.stages[closed_won].required).
        properties: Object.assign(
          { action, dealId: 'd-1' },
          action === 'closed_won' ? { signedContract: true, paymentTerms: 'net-30' } : {},
        ),
      });
      // An MQL with a deal skips sql: the history names the deal.
      await engine.ingest([deal('deal-1', REJECT_AT, 'created')]);
      expect((await store.stageHistory(KEY)).at(-1)).toMatchObject({
        from: 'mql',
        to: 'opportunity',
        cause: 'deal-1',
        reason: 'deal created (d-1): moves to opportunity from any earlier stage',
      });
      await engine.ingest([deal('deal-2', REJECT_AT + DAY, 'closed_won')]);
      expect((await contact())?.stage).toBe('customer');
      const nps = (id: string, at: number, score: number) => ({
        id,
        type: 'nps',
        at: new Date(at).toISOString(),
        contact: { email: EMAIL },
        properties: { score },
      });
      await engine.ingest([nps('nps-1', REJECT_AT + 2 * DAY, 8)]);
      expect((await contact())?.stage).toBe('customer');
      await engine.ingest([nps('nps-2', REJECT_AT + 3 * DAY, 9)]);
      expect((await contact())?.stage).toBe('evangelist');
      expect((await store.stageHistory(KEY)).at(-1)?.reason).toBe(
        'NPS 9 (evangelist.npsMin 9): a customer becomes an evangelist',
      );
    } finally {
      await store.close();
    }
  });

  it('a manual move outside `next` is refused naming the allowed moves; an allowed one runs the actions', async () => {
    const { store, engine, contact } = await setup();
    const deps = { store, model: engine.model };
    const at = REJECT_AT;
    try {
      const refused = await moveStage(deps, { contact: EMAIL, to: 'customer', at, by: 'maria' }).catch(
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(RevopsError);
      expect([
        (refused as RevopsError).code,
        (refused as RevopsError).message,
        (refused as RevopsError).hint,
      ]).toEqual([
        'lifecycle.transition_not_allowed',
        'cannot move lee@company1.com: `mql` → `customer` is not an allowed move; from `mql` a contact may move to `sql`, `recycled`, `disqualified`',
        'move it to `sql`, `recycled`, `disqualified` first, or add the stage to `next` of stage `mql` in lifecycle.stages',
      ]);
      const codeOf = (p: Promise<unknown>) =>
        p.then(
          () => 'no error',
          (e: unknown) => (e as RevopsError).code,
        );
      expect(await codeOf(moveStage(deps, { contact: 'nobody@x.io', to: 'sql', at, by: 'maria' }))).toBe(
        'lifecycle.unknown_contact',
      );
      expect(await codeOf(moveStage(deps, { contact: EMAIL, to: 'sqll', at, by: 'maria' }))).toBe(
        'lifecycle.unknown_stage',
      );
      expect((await store.stageHistory(KEY)).at(-1)?.to).toBe('mql');

      const moved = await moveStage(deps, {
        contact: EMAIL,
        to: 'sql',
        at,
        by: 'maria',
        reason: 'qualified on the call',
      });
      expect([moved.from, moved.stage]).toEqual(['mql', 'sql']);
      expect((await contact())?.stage).toBe('sql');
      expect((await store.stageHistory(KEY)).at(-1)).toEqual({
        contactKey: KEY,
        from: 'mql',
        to: 'sql',
        at,
        cause: 'manual:maria',
        reason: 'qualified on the call',
      });
      const sqlActions = (await store.listOutbox())
        .filter((o) => o.at === at)
        .map((o) => [o.type, o.payload['to'] ?? o.payload['sequence']]);
      expect(sqlActions).toEqual([
        ['notify', 'rep:priya'],
        ['sequence', 'sales-outreach'],
      ]);
    } finally {
      await store.close();
    }
  });
});
