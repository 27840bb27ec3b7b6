import { spawn } from 'node:child_process';
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openLocalState } from '../../workers/store/index.js';
import { daemonPaths } from './daemonPaths.js';
import { readDaemonLiveness } from './pidFile.js';
import type { DaemonOptions } from './runDaemonForeground.js';

/** How long `daemon start` waits for the background process to claim its pid file. */
const START_WAIT_MS = 15_000;

/**
 * Starts the daemon in the background: the same CLI re-run with
 * `--foreground`, detached into its own session, output appended to the
 * daemon's log. Returns once the child owns the pid file (or failed).
 */
export async function startDaemon(options: DaemonOptions, forwardedArgs: readonly string[]): Promise<{ ok: true; pid: number; logFile: string } | { ok: false; message: string }> {
  const repoDir = path.resolve(options.repo);
  const { stateDir } = await openLocalState(repoDir, options.stateDir);
  const paths = daemonPaths(stateDir);
  const liveness = await readDaemonLiveness(paths.pidFile);
  if (liveness.running) {
    return { ok: false, message: `a daemon is already running on ${repoDir} (pid ${liveness.record.pid}, started ${liveness.record.startedAt})` };
  }
  await mkdir(paths.dir, { recursive: true });
  const logHandle = await open(paths.logFile, 'a');
  const logStart = (await logHandle.stat()).size;
  const entry = process.argv[1];
  if (!entry) return { ok: false, message: 'cannot tell which script to re-run for the background daemon' };
  const child = spawn(process.execPath, [...process.execArgv, entry, 'daemon', 'start', '--foreground', ...forwardedArgs], {
    detached: true,
    stdio: ['ignore', logHandle.fd, logHandle.fd],
    cwd: process.cwd(),
    env: process.env,
  });
  await logHandle.close();
  let exitCode: number | null = null;
  child.once('exit', (code) => {
    exitCode = code ?? 1;
  });
  child.unref();
  const deadline = Date.now() + START_WAIT_MS;
  while (Date.now() < deadline) {
    const now = await readDaemonLiveness(paths.pidFile);
    if (now.running && now.record.pid === child.pid) return { ok: true, pid: child.pid, logFile: paths.logFile };
    if (exitCode !== null) break;
    await sleep(100);
  }
  const log = (await readFile(paths.logFile, 'utf8').catch(() => '')).slice(logStart).trim();
  return { ok: false, message: `the daemon did not start${exitCode !== null ? ` (exit ${exitCode})` : ''}${log ? `:\n${log}` : ''}` };
}
