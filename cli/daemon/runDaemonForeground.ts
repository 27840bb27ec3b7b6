import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { SandboxMode, WorkerMode } from '../../workers/catalog/types.js';
import { loadConfig } from '../../workers/config/index.js';
import { InputError } from '../../workers/errors.js';
import { WorkerEngine } from '../../workers/engine/WorkerEngine.js';
import { readJsonFile, writeJsonAtomic } from '../../workers/files/index.js';
import { LocalScheduler } from '../../workers/scheduler/LocalScheduler.js';
import { openLocalState } from '../../workers/store/index.js';
import { daemonPaths } from './daemonPaths.js';
import { readDaemonState, type DaemonStateFile } from './daemonState.js';
import { acquirePidFile, releasePidFile } from './pidFile.js';
import type { TriggerAnswer, TriggerMessage } from './triggerMessages.js';
import { LocalReviewLedger } from '../../workers/coverage/LocalReviewLedger.js';

export interface DaemonOptions {
  readonly repo: string;
  readonly mode?: WorkerMode;
  readonly sandbox?: SandboxMode;
  readonly workers?: readonly string[];
  readonly config?: string;
  readonly stateDir?: string;
  readonly tickMs?: number;
}

function log(message: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), message, ...fields })}\n`);
}

/**
 * The daemon itself, in the foreground: claims the pid file, runs the
 * scheduler, answers triggers from its inbox, and on SIGTERM/SIGINT cancels
 * running runs (killing their Claude process groups), records them, and exits.
 * Returns the exit code.
 */
export async function runDaemonForeground(options: DaemonOptions): Promise<number> {
  const repoDir = path.resolve(options.repo);
  const config = await loadConfig(options.config ? { file: options.config } : {});
  for (const worker of options.workers ?? []) {
    if (!config.catalog.has(worker)) throw new InputError(`unknown worker "${worker}" in --workers; known workers: ${[...config.catalog.keys()].join(', ')}`);
  }
  const { stateDir, store, findingStore } = await openLocalState(repoDir, options.stateDir);
  const paths = daemonPaths(stateDir);
  const startedAt = new Date().toISOString();
  const claim = await acquirePidFile(paths.pidFile, { pid: process.pid, startedAt, repoDir });
  if (!claim.acquired) {
    process.stderr.write(`error: a daemon is already running on ${repoDir} (pid ${claim.holder.pid}, started ${claim.holder.startedAt})\n`);
    return 2;
  }
  await mkdir(paths.inboxDir, { recursive: true });
  await mkdir(paths.outboxDir, { recursive: true });
  const previous = await readDaemonState(paths.stateFile);
  const engine = new WorkerEngine({ config, store, stateDir, findingStore, reviewLedger: new LocalReviewLedger(stateDir) });
  let writing = Promise.resolve();
  const persist = (extra: Partial<DaemonStateFile> = {}) => {
    const state: DaemonStateFile = {
      pid: process.pid,
      startedAt,
      updatedAt: new Date().toISOString(),
      repoDir,
      mode: options.mode ?? 'auto',
      sandbox: options.sandbox ?? null,
      workers: scheduler.snapshot(),
      ...extra,
    };
    // Writes are chained so an older snapshot never lands after a newer one.
    writing = writing.then(() => writeJsonAtomic(paths.stateFile, state)).catch((error) => log('state write failed', { error: String(error) }));
    return writing;
  };
  const scheduler: LocalScheduler = new LocalScheduler({
    engine,
    catalog: config.catalog,
    repoDir,
    ...(options.workers ? { workers: options.workers } : {}),
    ...(options.mode ? { mode: options.mode } : {}),
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
    ...(previous?.repoDir === repoDir ? { previous: previous.workers } : {}),
    onChange: () => void persist(),
    onRunFinished: (result) =>
      log('run finished', { worker: result.worker, runId: result.runId, status: result.status, mode: result.mode, durationMs: result.durationMs, costUsd: result.costUsd, violations: result.violations.length, ...(result.error ? { error: result.error } : {}) }),
  });

  const inbox = setInterval(() => void drainInbox(paths.inboxDir, paths.outboxDir, scheduler), 300);
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log('stopping', { signal });
      clearInterval(inbox);
      void scheduler.stop().then(resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  log('daemon started', { pid: process.pid, repoDir, mode: options.mode ?? 'auto', workers: scheduler.snapshot().filter((s) => s.activity !== 'disabled').map((s) => s.worker) });
  scheduler.start(options.tickMs);
  await stopped;
  await persist({ stoppedAt: new Date().toISOString() });
  await releasePidFile(paths.pidFile, process.pid);
  log('daemon stopped');
  return 0;
}

/** Hands each trigger request in the inbox to the scheduler; answers in the outbox once stored. */
async function drainInbox(inboxDir: string, outboxDir: string, scheduler: LocalScheduler): Promise<void> {
  for (const name of await readdir(inboxDir).catch(() => [] as string[])) {
    if (!name.endsWith('.json')) continue;
    const file = path.join(inboxDir, name);
    const message = (await readJsonFile(file).catch(() => undefined)) as TriggerMessage | undefined;
    await rm(file, { force: true });
    if (!message?.id || !message.worker) continue;
    const answer = (value: Omit<TriggerAnswer, 'id'>) => writeJsonAtomic(path.join(outboxDir, `${message.id}.json`), { id: message.id, ...value });
    scheduler
      .trigger({ worker: message.worker, ...(message.mode ? { mode: message.mode } : {}), ...(message.sandbox ? { sandbox: message.sandbox } : {}), ...(message.model ? { model: message.model } : {}) })
      .then((result) => answer(result ? { runId: result.runId } : { error: 'the daemon stopped before the run finished' }))
      .catch((error: unknown) => answer({ error: error instanceof Error ? error.message : String(error) }));
  }
}
