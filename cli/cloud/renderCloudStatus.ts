import { PRIORITIES } from '../../workers/catalog/constants.js';
import type { StatusResponse } from '../../workers/cloudRuntime/index.js';
import { formatDuration, formatInterval, formatRelative, formatUsd } from '../format/humanize.js';
import { renderTable, type Column } from '../format/renderTable.js';
import { paint, type Terminal } from '../format/terminal.js';

type WorkerRow = StatusResponse['workers'][number];

/**
 * The deployed pipeline as the original daemon showed itself: a summary
 * (tasks per profile against their caps, queue depths, runs queued and
 * running), then one row per worker with its status and last run.
 *
 * @example
 * process.stdout.write(renderCloudStatus(await invoker.invoke({ action: 'status' }) as StatusResponse, detectTerminal(), true));
 */
export function renderCloudStatus(status: StatusResponse, terminal: Terminal, showModes: boolean, now: Date = new Date()): string {
  const p = status.pipeline;
  const t = p.totals;
  const queueLine = (profile: StatusResponse['pipeline']['profiles'][number]) => {
    const depths = PRIORITIES.map((priority) => {
      const q = profile.queues[priority];
      return `${priority} ${q.waiting}${q.inFlight ? `+${q.inFlight}` : ''}`;
    }).join(' · ');
    const dead = PRIORITIES.map((priority) => profile.queues[priority].deadLettered);
    const deadText = dead.some((d) => d === null) ? 'dead letters: n/a' : `dead letters: ${dead.reduce((s, d) => s! + d!, 0)}`;
    return `${profile.runningTasks}/${profile.cap} tasks · ${depths} · ${deadText}`;
  };
  const summary: [string, string][] = [
    ['Pipeline', t.runningTasks > 0 ? paint(terminal, 'green', `${t.runningTasks} task(s) running`) : 'idle (no task running)'],
    ['Checked', `${formatRelative(new Date(p.generatedAt), now)} (${p.generatedAt})`],
    ['Claude Code', p.authMode === 'bedrock' ? 'Amazon Bedrock (task role)' : 'Anthropic API key (Secrets Manager)'],
    ['Targets', p.targets.length > 0 ? p.targets.join(', ') : paint(terminal, 'yellow', 'none configured')],
    ['Workers', `${p.workersEnabled.total} scheduled (${p.workersEnabled.headless} headless, ${p.workersEnabled.local} local)`],
    ['Runs', `${t.queuedRuns} queued, ${t.runningRuns} running`],
    ['Queues', `${t.waiting} waiting, ${t.inFlight} in flight${t.deadLettered > 0 ? paint(terminal, 'red', `, ${t.deadLettered} dead-lettered`) : ', 0 dead-lettered'}`],
    ...p.profiles.map((profile): [string, string] => [profile.profile, queueLine(profile)]),
  ];
  const summaryText = summary.map(([key, value]) => `${paint(terminal, 'bold', `${key}:`.padEnd(13))}${value}`).join('\n');
  const columns: Column<WorkerRow>[] = [
    { header: 'WORKER', value: (w) => w.worker, minWidth: 11 },
    ...(showModes
      ? [
          { header: 'MODE', value: (w: WorkerRow) => w.mode },
          { header: 'SANDBOX', value: (w: WorkerRow) => w.sandbox ?? '-', minWidth: 10 },
          { header: 'PRIORITY', value: (w: WorkerRow) => w.priority },
        ]
      : []),
    { header: 'SCHEDULE', value: (w) => (w.enabled ? formatInterval(w.intervalMs) : 'off'), align: 'right' },
    { header: 'STATUS', value: (w) => paintStatus(terminal, w) },
    { header: 'LAST RUN', value: (w) => (w.lastRun ? formatRelative(new Date(w.lastRun.finishedAt), now) : 'never') },
    { header: 'OUTCOME', value: (w) => (w.lastRun ? w.lastRun.status : '-'), minWidth: 9 },
    { header: 'TOOK', value: (w) => (w.lastRun ? formatDuration(w.lastRun.durationMs) : '-'), align: 'right', shrinkOrder: 2 },
    { header: 'COST', value: (w) => (w.lastRun ? formatUsd(w.lastRun.costUsd) : '-'), align: 'right' },
  ];
  return `${summaryText}\n\n${renderTable(status.workers, columns, terminal)}`;
}

function paintStatus(terminal: Terminal, worker: WorkerRow): string {
  const { status } = worker;
  if (status === 'running') return paint(terminal, 'green', `running (${worker.running}${worker.queued ? `+${worker.queued} queued` : ''})`);
  if (status === 'queued') return paint(terminal, 'cyan', `queued (${worker.queued})`);
  if (status === 'failed') return paint(terminal, 'red', status);
  if (status === 'disabled' || status === 'manual') return paint(terminal, 'dim', status);
  return status;
}
