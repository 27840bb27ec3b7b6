import type { Finding, RunResult } from '../../workers/run/types.js';
import { isUpToDate } from '../exitCodes.js';
import { formatCount, formatDuration, formatUsd } from './humanize.js';
import { isMapAccounting, renderMapAccounting } from './renderMapAccounting.js';
import { renderSkippedFiles } from './renderSkippedFiles.js';
import { renderTable } from './renderTable.js';
import { paint, type Terminal } from './terminal.js';

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'info'];

/** One line saying what ran, how, how long and at what cost. */
export function renderRunHeader(result: RunResult, terminal: Terminal): string {
  const status =
    result.status === 'SUCCEEDED'
      ? paint(terminal, 'green', result.status)
      : paint(terminal, result.status === 'SKIPPED' || result.status === 'INCOMPLETE' ? 'yellow' : 'red', result.status);
  const how = result.mode === 'headless' ? `headless, ${result.model}, sandbox ${result.sandboxMode}` : 'local';
  const parts = [`${paint(terminal, 'bold', result.worker)} on ${result.target}`, status, how, formatDuration(result.durationMs)];
  if (result.mode === 'headless') {
    parts.push(`${formatCount(result.tokens.input)} in / ${formatCount(result.tokens.output)} out tokens`, formatUsd(result.costUsd), `${result.numTurns} turn(s)`);
    const violations = `${result.violations.length} sandbox violation(s)`;
    parts.push(result.violations.length > 0 ? paint(terminal, 'red', violations) : violations);
  }
  return parts.join(' · ');
}

/** How a run is shown. */
export interface RenderRunOptions {
  /** Show findings in tests, docs, examples and translations too (default: production code only, with a count of the rest). */
  readonly all?: boolean;
}

/**
 * A run for a person: header, fallback or error reason, then the output in
 * the form that suits it (findings and languages as tables, Markdown as is).
 */
export function renderRunResult(result: RunResult, terminal: Terminal, options: RenderRunOptions = {}): string {
  const lines = [renderRunHeader(result, terminal), `run ${result.runId}`];
  if (result.fallbackReason) lines.push(paint(terminal, 'yellow', `note: ${result.fallbackReason}`));
  // A run with nothing to do is done: its reason is a note, not an error.
  if (result.error) lines.push(isUpToDate(result) ? paint(terminal, 'yellow', `note: ${result.error}`) : paint(terminal, 'red', `error: ${result.error}`));
  if (result.scan) {
    const scan = result.scan;
    lines.push(scan.kind === 'incremental' ? `scan: incremental, ${scan.changedFiles} file(s) changed since ${scan.baseCommit?.slice(0, 12)}${scan.unchangedByContent ? `, ${scan.unchangedByContent} more left out (content already reviewed)` : ''}` : `scan: full (${scan.reason})`);
  }
  if (result.context) {
    const c = result.context;
    lines.push(`context: ${c.files.length} file(s), ${formatCount(c.usedChars)} of ${formatCount(c.budgetChars)} chars, ${c.excluded.length} left out, ${c.redactions} secret(s) redacted`);
    const skipped = renderSkippedFiles(c, terminal);
    if (skipped) lines.push(skipped);
  }
  if (result.rejectedFindings) lines.push(paint(terminal, 'yellow', `note: ${result.rejectedFindings.note} (not tracked or exported)`));
  const notAnalysed = notAnalysedLine(result);
  if (notAnalysed) lines.push(notAnalysed);
  for (const violation of result.violations) lines.push(paint(terminal, 'red', `refused: ${violation.tool} (${violation.kind}) ${violation.detail}`));
  lines.push(...repositoryInputLines(result).map((line) => paint(terminal, 'yellow', line)));
  if (result.findingSummary) {
    const f = result.findingSummary;
    lines.push(`findings: ${f.new} new, ${f.returned} returned, ${f.fixed} fixed, ${f.open} open, ${f.suppressed} suppressed`);
  }
  if (result.chainedInputs?.length) lines.push(`drew on: ${result.chainedInputs.map((input) => `${input.worker} ${input.runId}`).join(', ')}`);
  const body = renderBody(result, terminal, options);
  if (body) lines.push('', body);
  return lines.join('\n');
}

function renderBody(result: RunResult, terminal: Terminal, options: RenderRunOptions): string {
  const output = result.parsedOutput as Record<string, unknown> | undefined;
  if (result.outputFormat === 'markdown' || (result.outputFormat === 'text' && result.output)) return result.output;
  if (!output || typeof output !== 'object') return result.output;
  const parts: string[] = [];
  if (typeof output.summary === 'string') parts.push(output.summary);
  if (Array.isArray(output.findings)) parts.push(renderFindings(output.findings as Finding[], terminal, options));
  if (Array.isArray(output.languages)) parts.push(renderLanguages(output.languages as LanguageRow[], terminal));
  if (isMapAccounting(output.accounting)) parts.push(renderMapAccounting(output.accounting, terminal));
  if (Array.isArray(output.predictions)) {
    parts.push(
      renderTable(output.predictions as PredictionRow[], [
        { header: 'LIKELIHOOD', value: (p) => p.likelihood },
        { header: 'AREA', value: (p) => p.area, shrinkOrder: 2 },
        { header: 'REASON', value: (p) => p.reason, shrinkOrder: 1, wraps: true },
      ], terminal),
    );
  }
  if (Array.isArray(output.untestedFiles)) {
    const rows = (output.untestedFiles as { path: string; bytes: number }[]).slice(0, 30);
    parts.push(renderTable(rows, [{ header: 'UNTESTED FILE', value: (r) => r.path }, { header: 'BYTES', value: (r) => formatCount(r.bytes), align: 'right' }], terminal));
  }
  if (parts.length === 0 || (parts.length === 1 && typeof output.summary === 'string')) parts.push(JSON.stringify(output, null, 2));
  return parts.join('\n\n');
}

interface LanguageRow {
  language: string;
  files: number;
  blank: number;
  comment: number;
  code: number;
}

interface PredictionRow {
  area: string;
  likelihood: string;
  reason: string;
}

function renderLanguages(rows: LanguageRow[], terminal: Terminal): string {
  return renderTable(rows, [
    { header: 'LANGUAGE', value: (r) => r.language },
    { header: 'FILES', value: (r) => formatCount(r.files), align: 'right' },
    { header: 'BLANK', value: (r) => formatCount(r.blank), align: 'right' },
    { header: 'COMMENT', value: (r) => formatCount(r.comment), align: 'right' },
    { header: 'CODE', value: (r) => formatCount(r.code), align: 'right' },
  ], terminal);
}

/**
 * The findings as a table: production code only unless `all`, with a line
 * counting what is hidden (tests, docs, examples, translations) and how to see it.
 */
export function renderFindings(findings: readonly Finding[], terminal: Terminal, options: RenderRunOptions = {}): string {
  if (findings.length === 0) return 'no findings';
  const shown = options.all ? findings : findings.filter((finding) => finding.context === undefined);
  const hidden = hiddenLine(findings.length - shown.length);
  if (shown.length === 0) return `no findings in production code${hidden ? `\n${hidden}` : ''}`;
  const sorted = [...shown].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
  return renderTable(sorted, [
    { header: 'SEVERITY', value: (f) => f.severity },
    { header: 'LOCATION', value: (f) => `${f.file}:${f.line}`, shrinkOrder: 3, minWidth: 16 },
    { header: 'RULE', value: (f) => f.ruleId, shrinkOrder: 2, minWidth: 12 },
    { header: 'MESSAGE', value: (f) => (f.context ? `[${f.context}] ${f.message}` : f.message), shrinkOrder: 1, minWidth: 16, wraps: true },
  ], terminal) + (hidden ? `\n${hidden}` : '');
}

/** "12 more in tests, docs, examples or translations (--all shows them)", or null. */
export function hiddenLine(count: number): string | null {
  return count > 0 ? `${formatCount(count)} more in tests, docs, examples or translations (--all shows them)` : null;
}

/** The local audit's count of files it did not analyse, by reason. */
function notAnalysedLine(result: RunResult): string | null {
  const stats = (result.parsedOutput as { stats?: { notAnalysed?: Record<string, number> } } | undefined)?.stats;
  const counts = stats?.notAnalysed;
  if (!counts) return null;
  const parts = Object.entries(counts).filter(([, count]) => count > 0).map(([reason, count]) => `${formatCount(count)} ${reason}`);
  return parts.length > 0 ? `not analysed: ${parts.join(', ')} (paths in --json)` : null;
}

/**
 * Why allow-listed Bash commands were not offered, and what the analysed repository's own config and suppressions did: it may only tighten,
 * so what it tried beyond that is shown as ignored, never silently dropped.
 */
function repositoryInputLines(result: RunResult): string[] {
  const lines: string[] = [];
  if (result.bash && !result.bash.offered) lines.push(`Bash not offered: ${result.bash.reason ?? 'see the run record'}`);
  const config = result.repositoryConfig;
  if (config?.applied.length) lines.push(`repository config tightened: ${config.applied.join('; ')}`);
  if (config?.ignored.length) lines.push(`repository config ignored (only the operator's config may loosen or set these): ${config.ignored.join('; ')}`);
  const suppressions = result.repositorySuppressions;
  if (suppressions?.applied) lines.push(`repository suppressions: ${suppressions.applied} applied (marked "suppressed by the repository")`);
  for (const refused of suppressions?.refused ?? []) lines.push(`repository suppression refused: ${refused}`);
  return lines;
}
