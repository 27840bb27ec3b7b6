import type { ResolvedConfig } from '../config/index.js';
import type { ResultStore } from '../store/ResultStore.js';

/** What a local worker gets: the repository and the engine's stores, no model. */
export interface LocalWorkerContext {
  readonly repoDir: string;
  readonly target: string;
  readonly store: ResultStore;
  readonly stateDir: string;
  readonly config: ResolvedConfig;
  readonly now: Date;
  readonly signal?: AbortSignal;
}

/** A local worker: plain code that returns a JSON-serialisable result. */
export type LocalWorker = (context: LocalWorkerContext) => Promise<unknown>;
