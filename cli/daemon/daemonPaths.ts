import path from 'node:path';

/** Files of the local daemon, inside the repository's state folder. */
export interface DaemonPaths {
  readonly dir: string;
  readonly pidFile: string;
  readonly stateFile: string;
  readonly logFile: string;
  /** Trigger requests from `daemon trigger`, one JSON file each. */
  readonly inboxDir: string;
  /** Answers to those requests (the run id), read by `daemon trigger --wait`. */
  readonly outboxDir: string;
}

export function daemonPaths(stateDir: string): DaemonPaths {
  const dir = path.join(stateDir, 'daemon');
  return {
    dir,
    pidFile: path.join(dir, 'daemon.pid'),
    stateFile: path.join(dir, 'state.json'),
    logFile: path.join(dir, 'daemon.log'),
    inboxDir: path.join(dir, 'inbox'),
    outboxDir: path.join(dir, 'outbox'),
  };
}
