import { readdirSync, readFileSync } from 'node:fs';

/** Reads `pid → ppid` for every process from /proc (Linux); empty elsewhere. */
const readParentMap = (): Map<number, number> => {
  const parents = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return parents;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses and may itself contain ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // The process exited while we looked.
    }
  }
  return parents;
};

/**
 * Every descendant of a process, children first. Claude Code starts its Bash tool's
 * shells in their own session and process group, so killing the CLI's group alone
 * leaves them running: callers snapshot the descendants before killing.
 *
 * @example
 * listDescendants(child.pid); // [4242, 4250]
 */
export const listDescendants = (pid: number): number[] => {
  const parents = readParentMap();
  const children = new Map<number, number[]>();
  for (const [child, parent] of parents) {
    const list = children.get(parent) ?? [];
    list.push(child);
    children.set(parent, list);
  }
  const found: number[] = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift() as number;
    if (found.includes(next)) continue;
    found.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return found;
};

/** True while a process exists and is not a zombie (exited, waiting to be reaped). */
export const isProcessAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    // No /proc (not Linux) or the process just went away: trust the signal probe.
    return true;
  }
};

const trySignal = (target: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(target, signal);
  } catch {
    // Already gone.
  }
};

/**
 * Signals a process group (the CLI was spawned `detached`, so its pid is its group id)
 * and the given descendants that may live in other groups: each one, and its group
 * when it leads one (the Bash tool's shell does), which also reaches its later forks.
 *
 * @example
 * signalProcessTree(child.pid, listDescendants(child.pid), 'SIGTERM');
 */
export const signalProcessTree = (groupId: number, descendants: readonly number[], signal: NodeJS.Signals): void => {
  trySignal(-groupId, signal);
  for (const pid of descendants) {
    trySignal(-pid, signal);
    trySignal(pid, signal);
  }
};
