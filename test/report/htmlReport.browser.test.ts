/// <reference lib="dom" />
import { mkdtemp, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalFindingStore } from '../../workers/findings/index.js';
import { SEVERITIES, REPORT_STATES } from '../../workers/report/constants.js';
import { LocalResultStore } from '../../workers/store/index.js';
import { runCli } from '../helpers/cliProcess.js';
import { HOSTILE_FILE, HOSTILE_MESSAGE, MAP_DIRECTORIES, UNMASKED_SECRET, writeMultiRunFixture, type MultiRunFixture } from './multiRunFixture.js';

/** Debian's Chromium (scripts/setup.sh installs it): the driver downloads no browser. */
const CHROMIUM = process.env.HW_CHROMIUM ?? '/usr/bin/chromium';
const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * `report` on a multi-run fixture written through the real stores, rendered by
 * the real CLI and opened in headless Chromium once for every check: figures
 * against the store, injection, masking, filters and sorting by keyboard, axe,
 * phone width, and no request but the file itself.
 */
describe('report (HTML) in headless Chromium', () => {
  let fixture: MultiRunFixture;
  let html: string;
  let fileUrl: string;
  let shotsDir: string;
  let browser: Browser;
  let page: Page;
  const requestsElsewhere: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    fixture = await writeMultiRunFixture();
    shotsDir = await mkdtemp(path.join(os.tmpdir(), 'hw-report-shots-'));
    const out = path.join(shotsDir, 'report.html');
    const cli = await runCli(['report', '--repo', fixture.repoDir, '--state-dir', fixture.stateDir, '--out', out]);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    html = await readFile(out, 'utf8');
    fileUrl = pathToFileURL(out).href;
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    page = await browser.newPage();
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      if (request.url() === fileUrl) return void request.continue();
      requestsElsewhere.push(request.url());
      void request.abort();
    });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(fileUrl, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('shows the counts by severity and state and the costs the store holds', async () => {
    const sets = await new LocalFindingStore(fixture.stateDir).list();
    const records = sets.flatMap((set) => set.records);
    const runs = await new LocalResultStore(fixture.stateDir).list({ limit: 1000 });
    const figure = (name: string) => page.$eval(`[data-figure="${name}"]`, (element) => element.textContent ?? '');
    for (const severity of SEVERITIES) {
      for (const state of REPORT_STATES) {
        expect(Number(await figure(`count-${severity}-${state}`)), `${severity}/${state}`).toBe(records.filter((r) => r.severity === severity && r.state === state).length);
      }
      const unresolved = records.filter((r) => r.severity === severity && ['new', 'open', 'returned'].includes(r.state)).length;
      expect(Number(await figure(`unresolved-${severity}`)), severity).toBe(unresolved);
    }
    // The fixture moves findings through every state the report distinguishes.
    expect(new Set(records.map((r) => r.state))).toEqual(new Set(['open', 'returned', 'suppressed', 'fixed']));
    const dollars = (text: string) => Number(text.replace('$', ''));
    expect(dollars(await figure('cost-total'))).toBeCloseTo(runs.reduce((sum, r) => sum + r.costUsd, 0), 4);
    const days = [...new Set(runs.map((r) => r.startedAt.slice(0, 10)))];
    expect(days.length).toBeGreaterThanOrEqual(3);
    for (const day of days) {
      expect(dollars(await figure(`cost-day-${day}`)), day).toBeCloseTo(runs.filter((r) => r.startedAt.startsWith(day)).reduce((sum, r) => sum + r.costUsd, 0), 4);
    }
    expect(Number(await figure('runs-audit'))).toBe(runs.filter((r) => r.worker === 'audit').length);
    expect(Number(await figure('violations-total'))).toBe(runs.reduce((n, r) => n + r.violations.length, 0));
    // Review coverage: the distinct files the runs' contexts showed, per directory with its subdirectories.
    const shown = new Set(runs.flatMap((r) => r.context?.files.map((f) => f.path) ?? []));
    expect(Number(await figure('coverage-files'))).toBe(shown.size);
    for (const directory of MAP_DIRECTORIES.map((d) => d.path)) {
      const under = [...shown].filter((p) => (directory === '.' ? !p.includes('/') : p.startsWith(`${directory}/`)));
      expect(Number(await figure(`coverage-shown-${directory}`)), directory).toBe(under.length);
    }
    const docsRow = await page.$$eval('#coverage tbody tr', (rows) => rows.map((row) => Array.from(row.cells).map((c) => c.textContent)).find((cells) => cells[0] === 'docs'));
    expect(docsRow).toEqual(['docs', '0', '2', '0', '0', 'never', '']);
  });

  it('shows hostile file names, rule ids and messages as text and runs none of them', async () => {
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.evaluate(() => document.querySelectorAll('img').length)).toBe(0);
    expect(await page.evaluate(() => document.scripts.length)).toBe(1);
    // textContent: the suppressed row is hidden by the default filter.
    const text = await page.evaluate(() => document.body.textContent ?? '');
    expect(text).toContain(`${HOSTILE_FILE}:3`);
    expect(text).toContain(HOSTILE_MESSAGE);
    expect(text).toContain('xss<script>');
    // The repository's own suppression is marked as such, its reason shown as text.
    const hostileRow = await page.$$eval('#findings-table tbody tr', (rows) => rows.find((row) => row.textContent?.includes('window.__pwned=3'))?.textContent ?? '');
    expect(hostileRow).toContain('suppressed');
    expect(hostileRow).toContain('by the repository');
    expect(hostileRow).toContain('accepted <b>risk</b>');
  });

  it('never contains a secret the stored record left unmasked', async () => {
    const stored = (await new LocalFindingStore(fixture.stateDir).list()).flatMap((set) => set.records).map((r) => r.message).join('\n');
    expect(stored).toContain(UNMASKED_SECRET);
    expect(html).not.toContain(UNMASKED_SECRET);
    expect(html).not.toContain(UNMASKED_SECRET.slice(4, 20));
    expect(await page.evaluate(() => document.body.innerText)).toContain('Token ghp_');
  });

  it('filters and sorts findings from the keyboard without a server', async () => {
    const visibleRows = () => page.$$eval('#findings-table tbody tr', (rows) => rows.filter((row) => !row.hidden).map((row) => row.getAttribute('data-severity')));
    const unresolved = fixture.findings.filter((r) => ['new', 'open', 'returned'].includes(r.state)).length;
    expect(await visibleRows()).toHaveLength(unresolved);
    expect(await page.$eval('#filter-count', (e) => e.textContent)).toBe(`${unresolved} of ${fixture.findings.length} findings shown`);

    await page.focus('#filter-state');
    await page.select('#filter-state', 'all');
    await page.focus('#filter-severity');
    await page.select('#filter-severity', 'critical');
    expect(await visibleRows()).toEqual(['critical']);
    await page.select('#filter-severity', 'all');
    await page.type('#filter-text', 'sql-injection');
    expect(await visibleRows()).toEqual(['high']);
    await page.$eval('#filter-text', (input) => ((input as HTMLInputElement).value = ''));
    await page.type('#filter-text', ' ');
    expect(await visibleRows()).toHaveLength(fixture.findings.length);

    // The first header's button sorts by severity: reached with Tab (after the table's scroll region), pressed with Enter.
    await page.focus('#filter-text');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Findings');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('table')?.id)).toBe('findings-table');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    const rank = (severity: string | null) => SEVERITIES.indexOf(severity as (typeof SEVERITIES)[number]);
    const descending = (await visibleRows()).map(rank);
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
    expect(await page.$eval('#findings-table th', (th) => th.getAttribute('aria-sort'))).toBe('descending');
  });

  it('has no serious or critical accessibility violations (axe-core), charts included', async () => {
    await page.$$eval('details', (details) => details.forEach((d) => ((d as HTMLDetailsElement).open = true)));
    // Evaluated through the driver: the page's own policy would refuse an injected script tag.
    await page.evaluate(await readFile(AXE_SOURCE, 'utf8'));
    const violations = await page.evaluate(async () => {
      const result = await (window as unknown as { axe: { run: () => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe.run();
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    });
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    const charts = await page.$$eval('figure.chart', (figures) => figures.map((f) => ({ label: f.querySelector('svg')?.getAttribute('aria-labelledby'), table: f.querySelectorAll('table tbody tr').length })));
    expect(charts).toHaveLength(3);
    for (const chart of charts) expect(chart.table).toBeGreaterThan(0);
  });

  it('reads at desktop and phone width (screenshots), and no request leaves the page', async () => {
    await page.screenshot({ path: path.join(shotsDir, 'desktop.png'), fullPage: true });
    await page.setViewport({ width: 390, height: 844, deviceScaleFactor: 1 });
    await page.screenshot({ path: path.join(shotsDir, 'phone.png'), fullPage: true });
    // Nothing wider than the phone: wide tables scroll inside their own region.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    for (const [name, width] of [['desktop.png', 1280], ['phone.png', 390]] as const) {
      const png = await readFile(path.join(shotsDir, name));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.readUInt32BE(16)).toBe(width);
    }
    expect(requestsElsewhere).toEqual([]);
    // The inline script ran under the page's policy (its hash) and nothing was refused.
    expect(consoleErrors).toEqual([]);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
  });
});
