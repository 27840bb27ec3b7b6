import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isLiveProcess } from './processLiveness.js';

/** Every daemon's command line contains this, so a reused pid is not mistaken for one. */
export const DAEMON_MARKER = 'daemon';

export interface PidRecord {
  readonly pid: number;
  readonly startedAt: string;
  readonly repoDir: string;
}

export type DaemonLiveness =
  | { readonly running: true; readonly record: PidRecord }
  | { readonly running: false; readonly stale?: PidRecord };

/** Reads the pid file and says whether that daemon still lives. */
export async function readDaemonLiveness(pidFile: string): Promise<DaemonLiveness> {
  let record: PidRecord;
  try {
    record = JSON.parse(await readFile(pidFile, 'utf8')) as PidRecord;
  } catch {
    return { running: false };
  }
  return isLiveProcess(record.pid, DAEMON_MARKER) ? { running: true, record } : { running: false, stale: record };
}

/**
 * Claims the pid file for this process. Created with `wx`, so two daemons
 * starting at once cannot both win; a file left by a dead daemon (SIGKILL,
 * power loss) is taken over without manual cleanup.
 */
export async function acquirePidFile(pidFile: string, record: PidRecord): Promise<{ acquired: true } | { acquired: false; holder: PidRecord }> {
  await mkdir(path.dirname(pidFile), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(pidFile, JSON.stringify(record), { flag: 'wx' });
      return { acquired: true };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const liveness = await readDaemonLiveness(pidFile);
      if (liveness.running) return { acquired: false, holder: liveness.record };
      await rm(pidFile, { force: true });
    }
  }
  throw new Error(`could not claim ${pidFile}: another daemon keeps replacing it`);
}

/** Removes the pid file if it is still ours. */
export async function releasePidFile(pidFile: string, pid: number): Promise<void> {
  const liveness = await readFile(pidFile, 'utf8').then((text) => JSON.parse(text) as PidRecord).catch(() => null);
  if (liveness?.pid === pid) await rm(pidFile, { force: true });
}
