/**
 * The dashboard in a real browser: Chromium (Debian's, driven by playwright-core) against the real
 * server on a loopback port, over a temp SQLite database seeded with 30 days of the demo workspace
 * (long enough for deals to be created, pushed and go stale). Signs in with the printed `/?key=`
 * URL and with the form, checks the charts are drawn, opens a lead's page and finds its stage
 * history and score explanation, opens the SLA board and the routing log, and follows a lead link;
 * opens the marketing, sales and executive views, counts their charts and reads each one's data,
 * and changes a view's source filter in the form. No page may log an error (a Content-Security-Policy violation would). Screenshots go
 * to a temp directory ($REVOPS_SCREENSHOTS to choose one); the path is printed.
 *
 * Skipped, saying so, only when /usr/bin/chromium is missing (`apt-get install chromium`).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMigratedStore } from '../../src/compose.ts';
import { demoConfig, seedDemoWorkspace } from '../../src/demo/index.ts';
import { SimulatedClock } from '../../src/engine/clock.ts';
import { createApiKey } from '../../src/server/apiKeys.ts';
import { startServer, type RunningServer } from '../../src/server/index.ts';

const CHROMIUM = '/usr/bin/chromium';
const MISSING = !existsSync(CHROMIUM);
// CI installs Chromium and sets REVOPS_REQUIRE_BROWSER: there a missing browser is a failure, not a skip.
if (MISSING && process.env['REVOPS_REQUIRE_BROWSER'] === '1')
  throw new Error(
    `${CHROMIUM} is missing and REVOPS_REQUIRE_BROWSER=1: install it (apt-get install chromium)`,
  );
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
/** Tuesday 2026-11-24 00:00 UTC: the seeded days end here, and the server's clock stands here. */
const ANCHOR = Date.parse('2026-11-24T00:00:00Z');
/** Days of demo activity seeded: enough for open deals with amounts in the sales view. */
const DEMO_DAYS = 30;

let dir: string;
let shots: string;
let server: RunningServer;
let context: BrowserContext;
let key: string;
/** A lead the demo routed: its page has stage history and a routing decision. */
let leadKey: string;
/** Whether the demo left open deals with an amount (the sales view then draws the pipeline by stage). */
let openPipeline: boolean;
const problems: string[] = [];

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

describe.skipIf(MISSING)(
  MISSING
    ? `dashboard in Chromium — SKIPPED: ${CHROMIUM} is missing (apt-get install chromium)`
    : 'dashboard in Chromium',
  () => {
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'revops-browser-'));
      shots = process.env['REVOPS_SCREENSHOTS'] ?? mkdtempSync(join(tmpdir(), 'revops-dashboard-shots-'));
      mkdirSync(shots, { recursive: true });
      const store = await openMigratedStore(join(dir, 'revops.db'));
      const { config, text } = demoConfig();
      await seedDemoWorkspace({ store, config, text, anchor: ANCHOR, days: DEMO_DAYS });
      key = (await createApiKey(store, { name: 'browser', scopes: ['read'], at: ANCHOR })).key;
      const routed = await store.listAssignments();
      leadKey = routed[0]?.contactKey ?? '';
      openPipeline = (await store.listDeals()).some((d) => d.status === 'open' && (d.amount ?? 0) > 0);
      server = await startServer({
        store,
        config,
        text,
        port: 0,
        clock: new SimulatedClock(ANCHOR),
        timers: false,
        outbox: false,
        onLog: () => {},
      });
      context = await chromium.launchPersistentContext(join(dir, 'profile'), {
        executablePath: CHROMIUM,
        headless: true,
        args: ARGS,
        viewport: { width: 1280, height: 900 },
      });
      context.on('page', (page) => {
        page.on('console', (message) => {
          // The wrong key tried on purpose is answered 401, which Chromium reports as an error.
          const expected = page.url().endsWith('/login') && message.text().includes('status of 401');
          if (message.type() === 'error' && !expected) problems.push(`${page.url()}: ${message.text()}`);
        });
        page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
      });
    }, 180_000);

    afterAll(async () => {
      await context?.close();
      await server?.close();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
      if (shots !== undefined) process.stdout.write(`dashboard screenshots: ${shots}\n`);
    });

    it('signs in from the printed URL, the key leaving the address bar, and draws the charts', async () => {
      expect(leadKey).not.toBe('');
      const page = await context.newPage();
      await page.goto(`${server.url}/?key=${encodeURIComponent(key)}`);
      expect(page.url()).toBe(`${server.url}/`);
      await expect(page.getByRole('heading', { level: 1, name: 'Overview' }).isVisible()).resolves.toBe(true);
      await page.waitForSelector('canvas[data-chart][data-drawn="true"]', { timeout: 15_000 });
      expect(await page.locator('canvas[data-chart]').count()).toBe(3);
      expect(await page.locator('canvas[data-drawn="true"]').count()).toBe(3);
      await shot(page, '1-overview');
      await page.close();
    }, 60_000);

    it('sends a reader without a session to the sign-in form, and back to the page asked for', async () => {
      await context.clearCookies();
      const page = await context.newPage();
      await page.goto(`${server.url}/sla`);
      expect(page.url()).toBe(`${server.url}/login?next=%2Fsla`);
      await page.getByLabel('API key').fill('rk_000000000000_' + '0'.repeat(48));
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('alert').textContent()).resolves.toContain('That key is not valid');
      await page.getByLabel('API key').fill(key);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${server.url}/sla`);
      await expect(page.getByRole('heading', { level: 1, name: 'SLA board' }).isVisible()).resolves.toBe(
        true,
      );
      await expect(
        page.locator('table caption', { hasText: 'Running SLA clocks' }).isVisible(),
      ).resolves.toBe(true);
      await shot(page, '2-sla-board');
      await page.close();
    }, 60_000);

    it('shows a lead with its stage history, routing trace and SLA timeline', async () => {
      const page = await context.newPage();
      await page.goto(`${server.url}/leads/${encodeURIComponent(leadKey)}`);
      const history = page.getByRole('heading', { level: 2, name: 'Stage history' });
      await expect(history.isVisible()).resolves.toBe(true);
      const rows = page.locator('#stages table tbody tr');
      expect(await rows.count()).toBeGreaterThan(1);
      await expect(rows.first().isVisible()).resolves.toBe(true);
      await expect(page.locator('#routing table caption').first().textContent()).resolves.toBe(
        'Routing decisions, oldest first',
      );
      await expect(page.locator('#sla table tbody tr').first().isVisible()).resolves.toBe(true);
      // The score explained: the ledger of every rule that gave or took points, and the verdict.
      await expect(
        page.locator('#score table caption', { hasText: 'Score ledger as of' }).isVisible(),
      ).resolves.toBe(true);
      expect(await page.locator('#score table tbody tr').count()).toBeGreaterThan(0);
      await expect(page.locator('#score').textContent()).resolves.toContain('Verdict:');
      await shot(page, '3-lead');
      await page.close();
    }, 60_000);

    it('lists the routing log, filters it by rep, and links each lead to its page', async () => {
      const page = await context.newPage();
      await page.goto(`${server.url}/routing`);
      await expect(page.getByRole('heading', { level: 1, name: 'Routing log' }).isVisible()).resolves.toBe(
        true,
      );
      const all = await page.locator('#log table tbody tr').count();
      expect(all).toBeGreaterThan(1);
      await page.getByLabel('Rep').selectOption('priya');
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.waitForURL(/\/routing\?.*rep=priya/);
      const owners = await page.locator('#log table tbody tr td:nth-child(5)').allTextContents();
      expect(owners.length).toBeGreaterThan(0);
      expect(owners.every((owner) => owner.trim() === 'rep priya')).toBe(true);
      await shot(page, '4-routing-log');
      await page.locator('#log table tbody tr a[href^="/leads/"]').first().click();
      await page.waitForURL(/\/leads\//);
      await expect(page.getByRole('heading', { level: 2, name: 'Stage history' }).isVisible()).resolves.toBe(
        true,
      );
      await page.close();
    }, 60_000);

    /** Opens a view, waits for its charts and checks each is drawn with data; returns the chart ids. */
    async function openView(page: Page, name: string, minimum: number): Promise<string[]> {
      await page.goto(`${server.url}/views/${name}`);
      const title = name.charAt(0).toUpperCase() + name.slice(1);
      await expect(page.getByRole('heading', { level: 1, name: title }).isVisible()).resolves.toBe(true);
      await page.waitForSelector('canvas[data-chart][data-drawn="true"]', { timeout: 15_000 });
      const canvases = page.locator('canvas[data-chart]');
      const count = await canvases.count();
      expect(count, name).toBeGreaterThanOrEqual(minimum);
      expect(await page.locator('canvas[data-drawn="true"]').count(), name).toBe(count);
      const specs: [string, string][] = [];
      for (let i = 0; i < count; i++) {
        const canvas = canvases.nth(i);
        specs.push([
          (await canvas.getAttribute('id')) ?? '',
          (await canvas.getAttribute('data-chart')) ?? '',
        ]);
      }
      for (const [id, json] of specs) {
        const spec = JSON.parse(json) as { labels: string[]; datasets: { data: (number | null)[] }[] };
        expect(spec.labels.length, id).toBeGreaterThan(0);
        expect(spec.datasets.length, id).toBeGreaterThan(0);
        expect(
          spec.datasets.some((d) => d.data.some((v) => v !== null && v !== 0)),
          `${id} has a value`,
        ).toBe(true);
      }
      // The KPI cards are there, each with a value.
      expect(await page.locator('.kpi .kpi-value').count(), name).toBeGreaterThan(3);
      return specs.map(([id]) => id);
    }

    /** The value of the KPI card labelled `label`. */
    const kpi = (page: Page, label: string) =>
      page
        .locator('.kpi', { has: page.locator('dt', { hasText: label }) })
        .locator('.kpi-value')
        .first()
        .textContent();

    it('draws the marketing view and changes its numbers with the source filter', async () => {
      const page = await context.newPage();
      const charts = await openView(page, 'marketing', 4);
      expect(charts).toEqual(
        expect.arrayContaining([
          'chart-funnel',
          'chart-mqls-per-week',
          'chart-speed-to-lead',
          'chart-leads-by-source',
        ]),
      );
      await shot(page, '5-marketing');
      const all = await kpi(page, 'Leads');
      // The largest source, from the attribution table, typed into the form.
      const source = (await page.locator('#sources table tbody tr th a').first().textContent())?.trim() ?? '';
      expect(source).not.toBe('');
      await page.getByRole('textbox', { name: 'Source', exact: true }).fill(source);
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.waitForURL(new RegExp(`/views/marketing\\?.*source=${source}`));
      await page.waitForSelector('canvas[data-chart][data-drawn="true"]', { timeout: 15_000 });
      const filtered = await kpi(page, 'Leads');
      expect(Number(filtered?.replace(/,/g, ''))).toBeGreaterThan(0);
      expect(Number(filtered?.replace(/,/g, ''))).toBeLessThan(Number(all?.replace(/,/g, '')));
      await expect(page.getByRole('textbox', { name: 'Source', exact: true }).inputValue()).resolves.toBe(
        source,
      );
      await page.close();
    }, 60_000);

    it('draws the sales view: SLA by clock and rep, rep load, the pipeline', async () => {
      const page = await context.newPage();
      const charts = await openView(page, 'sales', 4);
      expect(charts).toEqual(
        expect.arrayContaining([
          'chart-sla-by-clock',
          'chart-sla-by-rep',
          'chart-rep-load',
          'chart-routing-fairness',
        ]),
      );
      expect(charts.includes('chart-pipeline-by-stage')).toBe(openPipeline);
      await expect(page.locator('table caption', { hasText: 'Stale deals' }).isVisible()).resolves.toBe(true);
      await shot(page, '6-sales');
      await page.close();
    }, 60_000);

    it('draws the executive view: the funnel against benchmarks and coverage against its band', async () => {
      const page = await context.newPage();
      const charts = await openView(page, 'executive', 2);
      expect(charts).toEqual(expect.arrayContaining(['chart-funnel-vs-benchmark', 'chart-coverage']));
      await expect(kpi(page, 'LTV:CAC')).resolves.toBeTruthy();
      await shot(page, '7-executive');
      await page.close();
    }, 60_000);

    it('logged no error on any page', () => {
      expect(problems).toEqual([]);
    });
  },
);
