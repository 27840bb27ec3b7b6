import { createHash } from 'node:crypto';
import { REPOSITORY_SCOPE, type FindingRecord } from '../findings/types.js';
import { barChartSvg } from './barChartSvg.js';
import { REPORT_STATES, RUNS_PER_WORKER_SHOWN, SEVERITIES, TOP_FILES } from './constants.js';
import { escapeHtml } from './escapeHtml.js';
import { findingTrend } from './findingTrend.js';
import { formatCount, formatDuration, formatTime, formatUsd } from './formatValues.js';
import { REPORT_SCRIPT } from './reportScript.js';
import { REPORT_STYLES } from './reportStyles.js';
import { coverageByDirectory, reviewCoverageFromRuns } from './reviewCoverage.js';
import { totalTokens, usageByDay, usageByWorker } from './runsByDay.js';
import { safeText } from './safeText.js';
import { countFindings, topFiles } from './summarizeFindings.js';
import type { ReportInput, ReportRun } from './types.js';

/**
 * The report as one self-contained HTML document: inline CSS, one inline
 * script allowed by its hash, charts as inline SVG, and a Content-Security-Policy
 * that lets the page load nothing at all (no network, no other file). Every
 * string from the store is masked and escaped (safeText); figures carry
 * `data-figure` names so tests and scripts can read them back.
 *
 * @example await writeFile('report.html', renderReportHtml({ title: 'api', source: '…', generatedAt: new Date(), runs, findings }))
 */
export function renderReportHtml(input: ReportInput): string {
  const runs = [...input.runs].sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
  const scriptHash = createHash('sha256').update(REPORT_SCRIPT).digest('base64');
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${scriptHash}'; img-src data:; base-uri 'none'; form-action 'none'`;
  const sections = [
    summarySection(input, runs),
    trendSection(input, runs),
    topFilesSection(input.findings),
    findingsSection(input.findings),
    coverageSection(input, runs),
    runsSection(runs),
    violationsSection(runs),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>headless-workers report: ${safeText(input.title)}</title>
<style>${REPORT_STYLES}</style>
</head>
<body>
<header>
<h1>Findings, coverage and cost: ${safeText(input.title)}</h1>
<p class="meta">From ${safeText(input.source)} · generated ${escapeHtml(formatTime(input.generatedAt.toISOString()))} UTC · ${formatCount(runs.length)} stored run(s)</p>
<nav aria-label="Sections"><ul>
<li><a href="#summary">Summary</a></li><li><a href="#trends">Trends</a></li><li><a href="#top-files">Top files</a></li><li><a href="#findings">Findings</a></li>
<li><a href="#coverage">Review coverage</a></li><li><a href="#runs">Runs and cost</a></li><li><a href="#violations">Sandbox violations</a></li>
</ul></nav>
</header>
<main>
${sections.join('\n')}
</main>
<footer>Secrets are shown masked. Suppressions marked “by the repository” were written by the analysed repository itself, not by an operator.</footer>
<script>${REPORT_SCRIPT}</script>
</body>
</html>
`;
}

function card(figure: string, value: string, label: string): string {
  return `<div class="card"><span class="figure" data-figure="${escapeHtml(figure)}">${escapeHtml(value)}</span><span class="label">${escapeHtml(label)}</span></div>`;
}

/** A scrollable region: focusable so keyboard users can scroll it, named for screen readers. */
function scrollRegion(label: string, table: string): string {
  return `<div class="scroll" role="region" tabindex="0" aria-label="${escapeHtml(label)}">${table}</div>`;
}

function sortableHeader(label: string, type: 'text' | 'number' = 'text'): string {
  return `<th scope="col"${type === 'number' ? ' data-type="number" class="num"' : ''}><button type="button">${escapeHtml(label)}</button></th>`;
}

function summarySection(input: ReportInput, runs: readonly ReportRun[]): string {
  const counts = countFindings(input.findings);
  const unresolved = SEVERITIES.reduce((sum, s) => sum + counts.unresolvedBySeverity[s], 0);
  const cost = runs.reduce((sum, run) => sum + run.costUsd, 0);
  const cards = [
    card('unresolved-total', formatCount(unresolved), 'unresolved findings (new, returned, open)'),
    ...SEVERITIES.map((s) => card(`unresolved-${s}`, formatCount(counts.unresolvedBySeverity[s]), `${s}`)),
    card('suppressed-total', formatCount(counts.byState.suppressed), 'suppressed'),
    card('fixed-total', formatCount(counts.byState.fixed), 'fixed'),
    card('cost-total', formatUsd(cost), `cost of ${formatCount(runs.length)} run(s)`),
  ];
  const header = `<tr><th scope="col">severity</th>${REPORT_STATES.map((s) => `<th scope="col" class="num">${s}</th>`).join('')}<th scope="col" class="num">unresolved</th></tr>`;
  const rows = SEVERITIES.map(
    (severity) =>
      `<tr><th scope="row"><span class="sev sev-${severity}">${severity}</span></th>${REPORT_STATES.map((state) => `<td class="num" data-figure="count-${severity}-${state}">${counts.bySeverityAndState[severity][state]}</td>`).join('')}<td class="num">${counts.unresolvedBySeverity[severity]}</td></tr>`,
  ).join('');
  return `<section id="summary" aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2>
<div class="cards">${cards.join('')}</div>
${scrollRegion('Findings by severity and state', `<table><caption class="visually-hidden">Tracked findings by severity and state</caption><thead>${header}</thead><tbody>${rows}</tbody></table>`)}
</section>`;
}

function trendSection(input: ReportInput, runs: readonly ReportRun[]): string {
  const trend = findingTrend(runs, input.findings);
  const labels = trend.map((p) => `${formatTime(p.finishedAt).slice(5)} ${p.worker}`);
  const severityChart = barChartSvg({
    id: 'chart-unresolved',
    title: 'Unresolved findings after each run',
    description: `Unresolved findings (new, returned, open) of the run's worker by severity, after each of ${trend.length} finding-tracking run(s), oldest first.`,
    categories: labels,
    categoryHeader: 'run',
    series: SEVERITIES.map((s) => ({ name: s, cssClass: `s-${s}`, values: trend.map((p) => p.unresolvedBySeverity[s]) })),
    stacked: true,
  });
  const movesChart = barChartSvg({
    id: 'chart-moves',
    title: 'New, returned and fixed per run',
    description: `Findings each run reported for the first time, reported again after a fix, or found fixed; ${trend.reduce((n, p) => n + p.new, 0)} new and ${trend.reduce((n, p) => n + p.fixed, 0)} fixed in all.`,
    categories: labels,
    categoryHeader: 'run',
    series: [
      { name: 'new', cssClass: 's-new', values: trend.map((p) => p.new) },
      { name: 'returned', cssClass: 's-returned', values: trend.map((p) => p.returned) },
      { name: 'fixed', cssClass: 's-fixed', values: trend.map((p) => p.fixed) },
    ],
    stacked: false,
  });
  const days = usageByDay(runs);
  const workers = [...new Set(runs.filter((r) => r.costUsd > 0).map((r) => r.worker))].sort();
  const costChart = barChartSvg({
    id: 'chart-cost',
    title: 'Cost per day',
    description: `Model cost per day (UTC) by worker over ${days.length} day(s): ${formatUsd(days.reduce((sum, d) => sum + d.costUsd, 0))} in all.`,
    categories: days.map((d) => d.day),
    categoryHeader: 'day',
    series: (workers.length > 0 ? workers : ['cost']).map((worker, i) => ({ name: worker, cssClass: workers.length > 0 ? `s-w${i % 6}` : 's-cost', values: days.map((d) => d.costByWorker[worker] ?? 0) })),
    stacked: true,
    format: formatUsd,
  });
  return `<section id="trends" aria-labelledby="trends-h"><h2 id="trends-h">Trends</h2><div class="charts">${severityChart}${movesChart}${costChart}</div></section>`;
}

function locationOf(record: FindingRecord): string {
  if (record.file === REPOSITORY_SCOPE) return '(repository)';
  return record.line > 0 ? `${record.file}:${record.line}` : record.file;
}

function topFilesSection(findings: readonly FindingRecord[]): string {
  const files = topFiles(findings, TOP_FILES);
  if (files.length === 0) return `<section id="top-files" aria-labelledby="top-h"><h2 id="top-h">Top files</h2><p class="empty">No unresolved findings.</p></section>`;
  const rows = files
    .map((f) => `<tr><td class="path">${safeText(f.file === REPOSITORY_SCOPE ? '(repository)' : f.file)}</td><td class="num">${f.unresolved}</td>${SEVERITIES.map((s) => `<td class="num">${f.bySeverity[s]}</td>`).join('')}</tr>`)
    .join('');
  return `<section id="top-files" aria-labelledby="top-h"><h2 id="top-h">Top files</h2>
${scrollRegion('Top files', `<table data-sortable><caption class="visually-hidden">Files with the most unresolved findings</caption><thead><tr>${sortableHeader('file')}${sortableHeader('unresolved', 'number')}${SEVERITIES.map((s) => sortableHeader(s, 'number')).join('')}</tr></thead><tbody>${rows}</tbody></table>`)}
</section>`;
}

function suppressionCell(record: FindingRecord): string {
  if (!record.suppression) return '';
  const byRepository = record.suppression.origin === 'repository';
  const until = record.suppression.until ? ` until ${record.suppression.until}` : '';
  return `<span class="tag${byRepository ? ' repo' : ''}">${byRepository ? 'by the repository' : 'by the operator'}</span> ${safeText(record.suppression.reason)}${escapeHtml(until)} <span class="muted">(${safeText(record.suppression.source)})</span>`;
}

function findingsSection(findings: readonly FindingRecord[]): string {
  const severityRank = (s: string) => SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]);
  const stateRank = (s: string) => REPORT_STATES.indexOf(s as (typeof REPORT_STATES)[number]);
  const sorted = [...findings].sort((a, b) => stateRank(a.state) - stateRank(b.state) || severityRank(a.severity) - severityRank(b.severity) || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  const rows = sorted
    .map(
      (r) =>
        `<tr data-severity="${escapeHtml(r.severity)}" data-state="${escapeHtml(r.state)}">` +
        `<td data-sort="${severityRank(r.severity)}"><span class="sev sev-${escapeHtml(r.severity)}">${escapeHtml(r.severity)}</span></td>` +
        `<td data-sort="${stateRank(r.state)}">${escapeHtml(r.state)}</td>` +
        `<td class="path">${safeText(locationOf(r))}</td>` +
        `<td><code>${safeText(r.ruleId)}</code></td>` +
        `<td class="wrap">${r.context ? `<span class="tag">${escapeHtml(r.context)}</span> ` : ''}${safeText(r.message, r.file)}${r.evidence ? `<br><code>${safeText(r.evidence, r.file)}</code>` : ''}</td>` +
        `<td data-sort="${escapeHtml(r.firstSeen)}">${escapeHtml(formatTime(r.firstSeen))}</td>` +
        `<td data-sort="${escapeHtml(r.lastSeen)}">${escapeHtml(formatTime(r.lastSeen))}</td>` +
        `<td class="wrap">${suppressionCell(r)}</td>` +
        `<td>${safeText(r.worker)}</td>` +
        `<td><code>${safeText(r.fingerprint)}</code></td></tr>`,
    )
    .join('\n');
  const options = (values: readonly string[]) => values.map((v) => `<option value="${v}">${v}</option>`).join('');
  return `<section id="findings" aria-labelledby="findings-h"><h2 id="findings-h">Findings</h2>
<div class="filters">
<label for="filter-state">State<select id="filter-state"><option value="unresolved">unresolved (new, returned, open)</option><option value="all">all</option>${options(REPORT_STATES)}</select></label>
<label for="filter-severity">Severity<select id="filter-severity"><option value="all">all</option>${options(SEVERITIES)}</select></label>
<label for="filter-text">Search<input id="filter-text" type="search" placeholder="file, rule, message"></label>
<p id="filter-count" class="muted" role="status" aria-live="polite">${findings.length} findings</p>
</div>
${findings.length === 0 ? '<p class="empty">No tracked findings.</p>' : scrollRegion('Findings', `<table id="findings-table" data-sortable><caption class="visually-hidden">Tracked findings</caption><thead><tr>${['severity', 'state', 'location', 'rule', 'message and evidence', 'first seen', 'last seen', 'suppression', 'worker', 'fingerprint'].map((h) => sortableHeader(h)).join('')}</tr></thead><tbody>\n${rows}\n</tbody></table>`)}
</section>`;
}

function coverageSection(input: ReportInput, runs: readonly ReportRun[]): string {
  const coverage = input.coverage ?? reviewCoverageFromRuns(runs);
  const repository = input.repositoryDirectories ?? [];
  const directories = coverageByDirectory(coverage.files, repository);
  const from = coverage.source === 'ledger' ? 'the review ledger' : "the files each run's context showed the model";
  const counted = repository.length > 0;
  const h = (label: string, type: 'text' | 'number' = 'text') => sortableHeader(label, type);
  const body =
    directories.length === 0
      ? '<p class="empty">No run has shown files to the model yet.</p>'
      : scrollRegion(
          'Review coverage by directory',
          `<table data-sortable><caption class="visually-hidden">Files shown to the model, by directory</caption><thead><tr>${h('directory')}${h('files shown', 'number')}${counted ? h('files in repository', 'number') : ''}${h('shown whole', 'number')}${h('chars', 'number')}${h('last shown')}${h('workers')}</tr></thead><tbody>${directories
            .map(
              (d) =>
                `<tr><td class="path">${safeText(d.directory)}</td><td class="num" data-sort="${d.files}" data-figure="coverage-shown-${escapeHtml(d.directory)}">${formatCount(d.files)}</td>` +
                (counted ? `<td class="num" data-sort="${d.filesInRepository ?? -1}">${d.filesInRepository === undefined ? '–' : formatCount(d.filesInRepository)}</td>` : '') +
                `<td class="num" data-sort="${d.wholeFiles}">${formatCount(d.wholeFiles)}</td><td class="num" data-sort="${d.chars}">${formatCount(d.chars)}</td><td data-sort="${escapeHtml(d.lastShownAt)}">${d.lastShownAt ? escapeHtml(formatTime(d.lastShownAt)) : 'never'}</td><td>${d.workers.map((w) => safeText(w)).join(', ')}</td></tr>`,
            )
            .join('')}</tbody></table>`,
        );
  return `<section id="coverage" aria-labelledby="coverage-h"><h2 id="coverage-h">Review coverage</h2>
<p class="muted">What the model was shown, from ${from}: <span data-figure="coverage-files">${formatCount(new Set(coverage.files.map((f) => f.path)).size)}</span> file(s). Each directory counts the files under it (<code>src</code> includes <code>src/routes</code>)${counted ? '; files in repository are those the latest map run counted' : '; run the map worker to see how many files each directory holds'}. A file partly shown (its head or regions) is not counted as whole.</p>
${body}
</section>`;
}

function runsSection(runs: readonly ReportRun[]): string {
  const workers = usageByWorker(runs);
  const days = usageByDay(runs).filter((d) => d.runs > 0);
  const workerRows = workers
    .map((w) => `<tr><td>${safeText(w.worker)}</td><td class="num" data-figure="runs-${escapeHtml(w.worker)}">${w.runs}</td><td class="num">${w.failed}</td><td class="num" data-sort="${w.durationMs}">${escapeHtml(formatDuration(w.durationMs))}</td><td class="num" data-sort="${w.tokens}">${formatCount(w.tokens)}</td><td class="num" data-sort="${w.costUsd}" data-figure="cost-${escapeHtml(w.worker)}">${escapeHtml(formatUsd(w.costUsd))}</td><td class="num">${w.violations}</td></tr>`)
    .join('');
  const dayRows = days.map((d) => `<tr><td>${escapeHtml(d.day)}</td><td class="num">${d.runs}</td><td class="num" data-sort="${d.tokens}">${formatCount(d.tokens)}</td><td class="num" data-sort="${d.costUsd}" data-figure="cost-day-${escapeHtml(d.day)}">${escapeHtml(formatUsd(d.costUsd))}</td></tr>`).join('');
  const shown = workers.flatMap((w) => runs.filter((r) => r.worker === w.worker).slice(0, RUNS_PER_WORKER_SHOWN));
  const runRows = shown
    .map(
      (r) =>
        `<tr><td data-sort="${escapeHtml(r.startedAt)}">${escapeHtml(formatTime(r.startedAt))}</td><td>${safeText(r.worker)}</td><td>${safeText(r.target)}</td><td>${escapeHtml(r.status)}</td><td>${escapeHtml(r.mode)}${r.model ? ` · ${safeText(r.model)}` : ''}</td><td class="num" data-sort="${r.durationMs}">${escapeHtml(formatDuration(r.durationMs))}</td><td class="num" data-sort="${totalTokens(r)}">${formatCount(totalTokens(r))}</td><td class="num" data-sort="${r.costUsd}">${escapeHtml(formatUsd(r.costUsd))}</td><td class="wrap">${r.findingSummary ? `${r.findingSummary.new} new, ${r.findingSummary.fixed} fixed` : ''}${r.error ? ` <span class="muted">${safeText(r.error)}</span>` : ''}</td></tr>`,
    )
    .join('\n');
  const h = (label: string, type: 'text' | 'number' = 'text') => sortableHeader(label, type);
  return `<section id="runs" aria-labelledby="runs-h"><h2 id="runs-h">Runs and cost</h2>
<h3>Per worker</h3>
${workers.length === 0 ? '<p class="empty">No stored runs.</p>' : scrollRegion('Runs per worker', `<table data-sortable><caption class="visually-hidden">Runs, failures, time, tokens and cost per worker</caption><thead><tr>${h('worker')}${h('runs', 'number')}${h('not succeeded', 'number')}${h('time', 'number')}${h('tokens', 'number')}${h('cost', 'number')}${h('violations', 'number')}</tr></thead><tbody>${workerRows}</tbody></table>`)}
<h3>Per day (UTC)</h3>
${days.length === 0 ? '<p class="empty">No stored runs.</p>' : scrollRegion('Runs per day', `<table data-sortable><caption class="visually-hidden">Runs, tokens and cost per day</caption><thead><tr>${h('day')}${h('runs', 'number')}${h('tokens', 'number')}${h('cost', 'number')}</tr></thead><tbody>${dayRows}</tbody></table>`)}
<h3>Runs</h3>
${shown.length === 0 ? '<p class="empty">No stored runs.</p>' : scrollRegion('Runs', `<table data-sortable><caption class="visually-hidden">Stored runs, newest first per worker</caption><thead><tr>${h('started')}${h('worker')}${h('target')}${h('status')}${h('mode')}${h('time', 'number')}${h('tokens', 'number')}${h('cost', 'number')}${h('findings / error')}</tr></thead><tbody>\n${runRows}\n</tbody></table>`)}
</section>`;
}

function violationsSection(runs: readonly ReportRun[]): string {
  const rows = runs.flatMap((r) =>
    r.violations.map((v) => `<tr><td data-sort="${escapeHtml(r.startedAt)}">${escapeHtml(formatTime(r.startedAt))}</td><td>${safeText(r.worker)}</td><td><code>${safeText(v.tool)}</code></td><td>${escapeHtml(v.kind)}</td><td class="wrap"><code>${safeText(v.detail)}</code></td><td><code>${safeText(r.runId)}</code></td></tr>`),
  );
  return `<section id="violations" aria-labelledby="violations-h"><h2 id="violations-h">Sandbox violations</h2>
<p class="muted">Tool calls the sandbox refused or did not offer: <span data-figure="violations-total">${rows.length}</span>.</p>
${rows.length === 0 ? '' : scrollRegion('Sandbox violations', `<table data-sortable><caption class="visually-hidden">Sandbox violations</caption><thead><tr>${['when', 'worker', 'tool', 'kind', 'attempted', 'run'].map((l) => sortableHeader(l)).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`)}
</section>`;
}
