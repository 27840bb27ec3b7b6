import { describe, expect, it } from 'vitest';
import { barChartSvg } from '../../workers/report/barChartSvg.js';
import { coverageByDirectory, mapDirectoriesOf, renderReportHtml, reviewedFilesFromLedger, usageByDay, type ReviewedFile } from '../../workers/report/index.js';
import { escapeHtml } from '../../workers/report/escapeHtml.js';
import { safeText } from '../../workers/report/safeText.js';
import { runResultOf } from '../helpers/runResultFixture.js';

describe('report pieces', () => {
  it('escapes markup and masks a secret in any embedded string', () => {
    expect(escapeHtml(`"><img src=x onerror='a()'>&`)).toBe('&quot;&gt;&lt;img src=x onerror=&#39;a()&#39;&gt;&amp;');
    expect(safeText('key <AKIAQ3EGRJ7XWY5NZ2VB>')).toBe('key &lt;AKIA****************&gt;');
  });

  it('counts cost per day with the days between runs at zero', () => {
    const runs = [
      runResultOf({}, { startedAt: '2026-12-01T23:59:00.000Z', costUsd: 0.5 }),
      runResultOf({}, { startedAt: '2026-12-01T01:00:00.000Z', costUsd: 0.25, worker: 'testgaps' }),
      runResultOf({}, { startedAt: '2026-12-04T00:00:00.000Z', costUsd: 1 }),
    ];
    expect(usageByDay(runs).map((d) => [d.day, d.runs, d.costUsd])).toEqual([
      ['2026-12-01', 2, 0.75],
      ['2026-12-02', 0, 0],
      ['2026-12-03', 0, 0],
      ['2026-12-04', 1, 1],
    ]);
  });

  it('counts a file two workers reviewed once per directory, whole if either saw it whole, against the map\'s counts', () => {
    const file = (worker: string, p: string, whole: boolean): ReviewedFile => ({ target: 't', worker, path: p, lastShownAt: '2026-12-01T00:00:00.000Z', runId: 'r', chars: 10, whole });
    const reviewed = [file('audit', 'src/a.ts', false), file('deepdive', 'src/a.ts', true), file('audit', 'src/routes/b.ts', false), file('audit', 'root.ts', true)];
    const rows = coverageByDirectory(reviewed, [{ path: '.', files: 2 }, { path: 'src', files: 5 }, { path: 'src/routes', files: 4 }, { path: 'lib', files: 3 }]);
    expect(rows.map((r) => [r.directory, r.files, r.wholeFiles, r.filesInRepository, r.workers.join(',')])).toEqual([
      ['.', 1, 1, 2, 'audit'],
      ['lib', 0, 0, 3, ''],
      ['src', 2, 1, 5, 'audit,deepdive'],
      ['src/routes', 1, 0, 4, 'audit'],
    ]);
  });

  it('reads the directory counts of the newest successful map run, and ignores a malformed one', () => {
    const map = (finishedAt: string, directories: unknown, status: 'SUCCEEDED' | 'FAILED' = 'SUCCEEDED') => runResultOf({ directories }, { worker: 'map', finishedAt, status });
    const runs = [map('2026-12-01T00:00:00.000Z', [{ path: 'src', files: 3 }]), map('2026-12-03T00:00:00.000Z', [{ path: 'src', files: 9 }], 'FAILED'), map('2026-12-02T00:00:00.000Z', [{ path: 'src', files: 4 }, { path: 7, files: 'x' }])];
    expect(mapDirectoriesOf(runs)).toEqual([{ path: 'src', files: 4 }]);
    expect(mapDirectoriesOf([map('2026-12-02T00:00:00.000Z', 'not a list')])).toEqual([]);
  });

  it('takes the review ledger\'s entries as the coverage when there is a ledger, and says so', () => {
    const entry = { path: 'src/a.ts', hash: 'h1', commit: null, whole: true, chars: 120, runId: 'r1', reviewedAt: '2026-12-02T10:00:00.000Z' };
    const coverage = reviewedFilesFromLedger([{ target: 'api', worker: 'audit', entries: new Map([['src/a.ts', entry]]) }]);
    expect(coverage).toEqual({ source: 'ledger', files: [{ target: 'api', worker: 'audit', path: 'src/a.ts', lastShownAt: entry.reviewedAt, runId: 'r1', chars: 120, whole: true, contentHash: 'h1' }] });
    const html = renderReportHtml({ title: 'api', source: 'test', generatedAt: new Date('2026-12-03T00:00:00Z'), runs: [], findings: [], coverage });
    expect(html).toContain('from the review ledger');
    expect(html).toMatch(/data-figure="coverage-shown-src">1</);
  });

  it('draws a chart as a named image with its data table, and says when there is no data', () => {
    const chart = barChartSvg({ id: 'c', title: 'T <x>', description: 'D', categories: ['a', 'b'], categoryHeader: 'run', series: [{ name: 'new', cssClass: 's-new', values: [3, 0] }], stacked: false });
    expect(chart).toContain('role="img" aria-labelledby="c-title c-desc"');
    expect(chart).toContain('<title id="c-title">T &lt;x&gt;</title>');
    expect(chart.match(/<rect /g)).toHaveLength(1);
    expect(chart).toContain('<tr><th scope="row">a</th><td>3</td></tr><tr><th scope="row">b</th><td>0</td></tr>');
    expect(barChartSvg({ id: 'e', title: 'E', description: 'D', categories: [], categoryHeader: 'day', series: [], stacked: true })).toContain('No data yet.');
  });
});
