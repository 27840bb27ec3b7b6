import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openLocalState } from '../../workers/store/index.js';
import { daemonPaths } from './daemonPaths.js';
import { readDaemonLiveness, releasePidFile } from './pidFile.js';
import { isLiveProcess } from './processLiveness.js';

/** Grace for cancelled runs to be recorded before the daemon is killed. */
const STOP_WAIT_MS = 20_000;

/** After SIGKILL the kernel needs only a moment; this bounds the wait should the process be stuck in the kernel. */
const KILL_WAIT_MS = 5_000;

/**
 * Waits until the process has exited (gone, or a zombie: it runs nothing more). No
 * command-line marker here: an exiting process's /proc cmdline reads empty while it
 * still runs its last steps, which a marker check would take for an exit.
 */
async function waitForExit(pid: number, waitMs: number): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  while (isLiveProcess(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

/**
 * Stops the daemon with SIGTERM (it cancels its runs, which kills their
 * Claude process groups, and records them), waits for it to exit, and only
 * then, if it hangs, kills its whole process group. Returns only once the
 * daemon's process is gone.
 */
export async function stopDaemon(options: { repo: string; stateDir?: string }): Promise<{ stopped: boolean; message: string; /** The daemon outlived even SIGKILL. */ stillRunning?: boolean }> {
  const { stateDir } = await openLocalState(path.resolve(options.repo), options.stateDir);
  const paths = daemonPaths(stateDir);
  const liveness = await readDaemonLiveness(paths.pidFile);
  if (!liveness.running) {
    if (liveness.stale) await releasePidFile(paths.pidFile, liveness.stale.pid);
    return { stopped: false, message: liveness.stale ? `no daemon running (removed the stale pid file of pid ${liveness.stale.pid})` : 'no daemon running' };
  }
  const { pid } = liveness.record;
  process.kill(pid, 'SIGTERM');
  if (await waitForExit(pid, STOP_WAIT_MS)) return { stopped: true, message: `daemon stopped (pid ${pid})` };
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    process.kill(pid, 'SIGKILL');
  }
  const gone = await waitForExit(pid, KILL_WAIT_MS);
  await releasePidFile(paths.pidFile, pid);
  return { stopped: gone, ...(gone ? {} : { stillRunning: true }), message: gone ? `daemon (pid ${pid}) did not stop within ${STOP_WAIT_MS / 1000} s and was killed` : `daemon (pid ${pid}) did not exit even after SIGKILL` };
}
