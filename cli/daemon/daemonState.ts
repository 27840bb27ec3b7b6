import type { SandboxMode, WorkerMode } from '../../workers/catalog/types.js';
import { readJsonFile } from '../../workers/files/index.js';
import type { ScheduledWorkerState } from '../../workers/scheduler/types.js';

/** What the daemon persists on every change, and `daemon status` reads. */
export interface DaemonStateFile {
  readonly pid: number;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly stoppedAt?: string;
  readonly repoDir: string;
  readonly mode: WorkerMode | 'auto';
  readonly sandbox: SandboxMode | null;
  readonly workers: readonly ScheduledWorkerState[];
}

export async function readDaemonState(stateFile: string): Promise<DaemonStateFile | null> {
  return ((await readJsonFile(stateFile).catch(() => undefined)) as DaemonStateFile | undefined) ?? null;
}
