import { isFinalRun, type StoredRun } from '../../workers/cloudRuntime/index.js';
import { formatDuration, formatRelative, formatUsd } from '../format/humanize.js';
import { renderRunResult } from '../format/renderRunResult.js';
import { renderTable } from '../format/renderTable.js';
import { paint, type Terminal } from '../format/terminal.js';

/** A worker's recent runs as a table, newest first. */
export function renderRunTable(runs: readonly StoredRun[], terminal: Terminal, now: Date = new Date()): string {
  if (runs.length === 0) return 'no runs yet';
  return renderTable(runs, [
    { header: 'RUN', value: (r) => r.runId },
    { header: 'TARGET', value: (r) => r.target, shrinkOrder: 3 },
    { header: 'STATUS', value: (r) => paintStatus(terminal, r.status) },
    { header: 'MODE', value: (r) => (isFinalRun(r) ? r.mode : '-') },
    { header: 'QUEUED', value: (r) => (r.queuedAt ? formatRelative(new Date(r.queuedAt), now) : '-') },
    { header: 'DURATION', value: (r) => (isFinalRun(r) ? formatDuration(r.durationMs) : '-'), align: 'right' },
    { header: 'COST', value: (r) => (isFinalRun(r) ? formatUsd(r.costUsd) : '-'), align: 'right' },
    { header: 'OUTPUT', value: (r) => (isFinalRun(r) ? (r.outputLocation ? `S3, ${r.outputLocation.bytes} B` : 'inline') : '-'), shrinkOrder: 2 },
  ], terminal);
}

/** One run in full: a finished one as `run` prints it (with the pipeline's notes), a pending one as its state. */
export function renderStoredRun(run: StoredRun, terminal: Terminal, now: Date = new Date()): string {
  if (!isFinalRun(run)) {
    const since = run.status === 'RUNNING' && run.runningSince ? `running since ${formatRelative(new Date(run.runningSince), now)}` : `queued ${formatRelative(new Date(run.queuedAt), now)}`;
    const lines = [`${paint(terminal, 'bold', run.worker)} on ${run.target} · ${paintStatus(terminal, run.status)} · ${since}`, `run ${run.runId}`];
    if (run.attempts && run.attempts > 1) lines.push(`attempt ${run.attempts}`);
    if (run.interruption) lines.push(paint(terminal, 'yellow', `note: ${run.interruption}`));
    return lines.join('\n');
  }
  const notes: string[] = [];
  if (run.outputLocation) notes.push(`output: s3://${run.outputLocation.bucket}/${run.outputLocation.key} (${run.outputLocation.bytes} bytes)`);
  if (run.attempts && run.attempts > 1) notes.push(`attempts: ${run.attempts}`);
  if (run.deadLetter) notes.push(paint(terminal, 'red', `dead-lettered after ${run.deadLetter.receiveCount} deliveries: ${run.deadLetter.reason}`));
  if (run.poison) notes.push(paint(terminal, 'red', `unreadable message ${run.poison.messageId}: ${run.poison.body.slice(0, 200)}`));
  const rendered = renderRunResult(run, terminal);
  if (notes.length === 0) return rendered;
  const [header, id, ...rest] = rendered.split('\n');
  return [header, id, ...notes, ...rest].join('\n');
}

function paintStatus(terminal: Terminal, status: string): string {
  if (status === 'SUCCEEDED') return paint(terminal, 'green', status);
  if (status === 'QUEUED' || status === 'RUNNING') return paint(terminal, 'cyan', status);
  if (status === 'SKIPPED') return paint(terminal, 'yellow', status);
  return paint(terminal, 'red', status);
}
