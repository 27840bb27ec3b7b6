import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openLocalState } from '../../workers/store/index.js';
import { daemonPaths } from './daemonPaths.js';
import { DAEMON_MARKER, readDaemonLiveness, releasePidFile } from './pidFile.js';
import { isLiveProcess } from './processLiveness.js';

/** Grace for cancelled runs to be recorded before the daemon is killed. */
const STOP_WAIT_MS = 20_000;

/**
 * Stops the daemon with SIGTERM (it cancels its runs, which kills their
 * Claude process groups, and records them), waits for it to exit, and only
 * then, if it hangs, kills its whole process group.
 */
export async function stopDaemon(options: { repo: string; stateDir?: string }): Promise<{ stopped: boolean; message: string }> {
  const { stateDir } = await openLocalState(path.resolve(options.repo), options.stateDir);
  const paths = daemonPaths(stateDir);
  const liveness = await readDaemonLiveness(paths.pidFile);
  if (!liveness.running) {
    if (liveness.stale) await releasePidFile(paths.pidFile, liveness.stale.pid);
    return { stopped: false, message: liveness.stale ? `no daemon running (removed the stale pid file of pid ${liveness.stale.pid})` : 'no daemon running' };
  }
  const { pid } = liveness.record;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_WAIT_MS;
  while (Date.now() < deadline && isLiveProcess(pid, DAEMON_MARKER)) await sleep(100);
  if (isLiveProcess(pid, DAEMON_MARKER)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      process.kill(pid, 'SIGKILL');
    }
    await releasePidFile(paths.pidFile, pid);
    return { stopped: true, message: `daemon (pid ${pid}) did not stop within ${STOP_WAIT_MS / 1000} s and was killed` };
  }
  return { stopped: true, message: `daemon stopped (pid ${pid})` };
}
