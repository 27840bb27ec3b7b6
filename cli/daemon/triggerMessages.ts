import type { SandboxMode, WorkerMode } from '../../workers/catalog/types.js';

/** A `daemon trigger` request, dropped in the daemon's inbox as `<id>.json`. */
export interface TriggerMessage {
  readonly id: string;
  readonly worker: string;
  readonly mode?: WorkerMode;
  readonly sandbox?: SandboxMode;
  readonly model?: string;
}

/** The daemon's answer in its outbox once the run is stored. */
export interface TriggerAnswer {
  readonly id: string;
  readonly runId?: string;
  readonly error?: string;
}
