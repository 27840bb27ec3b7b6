import path from 'node:path';
import type { Catalog } from '../../workers/catalog/types.js';
import { checkClaudeAvailability } from '../../workers/headless/index.js';
import type { ScheduledWorkerState } from '../../workers/scheduler/types.js';
import { openLocalState } from '../../workers/store/index.js';
import { formatRelative, formatUsd } from '../format/humanize.js';
import { renderTable } from '../format/renderTable.js';
import { paint, type Terminal } from '../format/terminal.js';
import { daemonPaths } from './daemonPaths.js';
import { readDaemonState } from './daemonState.js';
import { readDaemonLiveness } from './pidFile.js';

/** The daemon summary and worker table, as `daemon status --json` prints them. */
export interface DaemonStatusReport {
  readonly daemon: {
    readonly running: boolean;
    readonly pid: number | null;
    readonly startedAt: string | null;
    /** A pid file was left by a daemon that no longer runs (killed): it does not block a new start. */
    readonly stalePid: number | null;
    readonly repoDir: string;
    readonly mode: string;
    readonly claudeCode: { readonly available: boolean; readonly credentials: string; readonly reason?: string };
    readonly workersEnabled: { readonly total: number; readonly headless: number; readonly local: number };
  };
  readonly workers: readonly (ScheduledWorkerState & { readonly mode: string; readonly sandbox: string | null })[];
}

/** Builds the report from the pid file, the state file and the catalog. */
export async function readDaemonStatus(options: { repo: string; stateDir?: string; catalog: Catalog }): Promise<DaemonStatusReport> {
  const repoDir = path.resolve(options.repo);
  const { stateDir } = await openLocalState(repoDir, options.stateDir);
  const paths = daemonPaths(stateDir);
  const [liveness, state] = await Promise.all([readDaemonLiveness(paths.pidFile), readDaemonState(paths.stateFile)]);
  const claude = checkClaudeAvailability(process.env);
  const fromState = new Map((state?.workers ?? []).map((row) => [row.worker, row]));
  const workers = [...options.catalog.values()].map((def) => {
    const row = fromState.get(def.type);
    const base: ScheduledWorkerState = row ?? {
      worker: def.type,
      activity: def.enabled && def.intervalMs > 0 ? 'idle' : 'disabled',
      intervalMs: def.intervalMs,
      nextRunAt: null,
      consecutiveFailures: 0,
      runs: 0,
    };
    // A stopped daemon runs nothing: do not show its last snapshot as running or queued.
    const activity = !liveness.running && (base.activity === 'running' || base.activity === 'queued') ? 'idle' : base.activity;
    return { ...base, activity, ...(liveness.running ? {} : { nextRunAt: null }), mode: def.mode, sandbox: def.mode === 'headless' ? def.sandbox : null };
  });
  const scheduled = workers.filter((w) => w.activity !== 'disabled');
  return {
    daemon: {
      running: liveness.running,
      pid: liveness.running ? liveness.record.pid : null,
      startedAt: liveness.running ? liveness.record.startedAt : null,
      stalePid: !liveness.running && liveness.stale ? liveness.stale.pid : null,
      repoDir,
      mode: state?.mode ?? 'auto',
      claudeCode: { available: claude.available, credentials: claude.credentials, ...(claude.reason ? { reason: claude.reason } : {}) },
      workersEnabled: { total: scheduled.length, headless: scheduled.filter((w) => w.mode === 'headless').length, local: scheduled.filter((w) => w.mode === 'local').length },
    },
    workers,
  };
}

/** The original daemon's two tables: the daemon summary, then one row per worker. */
export function renderDaemonStatus(report: DaemonStatusReport, terminal: Terminal, showModes: boolean, now = new Date()): string {
  const d = report.daemon;
  const running = d.running ? paint(terminal, 'green', `running (pid ${d.pid})`) : paint(terminal, 'yellow', d.stalePid ? `not running (last daemon, pid ${d.stalePid}, died without stopping)` : 'not running');
  const summary = [
    ['Daemon', running],
    ['Started', d.startedAt ? `${formatRelative(new Date(d.startedAt), now)} (${d.startedAt})` : '-'],
    ['Repository', d.repoDir],
    ['Mode', d.mode],
    ['Claude Code', d.claudeCode.available ? `available (${d.claudeCode.credentials})` : `not available: ${d.claudeCode.reason ?? 'unknown'} (headless workers fall back to local analysis)`],
    ['Workers', `${d.workersEnabled.total} scheduled (${d.workersEnabled.headless} headless, ${d.workersEnabled.local} local)`],
  ];
  const summaryText = summary.map(([key, value]) => `${paint(terminal, 'bold', `${key}:`.padEnd(13))}${value}`).join('\n');
  const table = renderTable(report.workers, [
    { header: 'WORKER', value: (w) => w.worker },
    ...(showModes ? [{ header: 'MODE', value: (w: (typeof report.workers)[number]) => w.mode }, { header: 'SANDBOX', value: (w: (typeof report.workers)[number]) => w.sandbox ?? '-' }] : []),
    { header: 'STATUS', value: (w) => w.activity },
    { header: 'LAST RUN', value: (w) => (w.lastRunAt ? formatRelative(new Date(w.lastRunAt), now) : 'never') },
    { header: 'NEXT RUN', value: (w) => (w.nextRunAt ? formatRelative(new Date(w.nextRunAt), now) : '-') },
    { header: 'OUTCOME', value: (w) => (w.lastOutcome ? `${w.lastOutcome}${w.lastMode ? ` (${w.lastMode})` : ''}` : '-') },
    { header: 'COST', value: (w) => (w.lastCostUsd !== undefined ? formatUsd(w.lastCostUsd) : '-'), align: 'right' },
  ], terminal);
  return `${summaryText}\n\n${table}`;
}
