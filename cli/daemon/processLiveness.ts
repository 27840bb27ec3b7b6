import { readFileSync } from 'node:fs';

/**
 * True when `pid` is a live process (not a zombie) whose command line contains
 * `marker`: a pid file left by a killed daemon may name a pid that the system
 * has since given to something else.
 */
export function isLiveProcess(pid: number, marker?: string): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return false;
    if (marker) return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    // No /proc (not Linux): the signal check above is all we have.
  }
  return true;
}
