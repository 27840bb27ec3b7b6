import { runLocalAudit } from './audit/index.js';
import { runBenchmark } from './benchmark/runBenchmark.js';
import { runConsolidate } from './consolidate/runConsolidate.js';
import { runMap } from './map/index.js';
import { runLocalPredict } from './predict/runLocalPredict.js';
import { runPreload } from './preload/runPreload.js';
import { runLocalTestgaps } from './testgaps/runLocalTestgaps.js';
import type { LocalWorker, LocalWorkerContext } from './types.js';

/**
 * Local implementations by name: the four local workers, and the real local
 * analyses that headless workers fall back to when Claude Code cannot run.
 */
const LOCAL_WORKERS: Readonly<Record<string, LocalWorker>> = {
  map: (context) => runMap(context.repoDir, context.signal ? { signal: context.signal } : {}),
  audit: (context) => runLocalAudit(context.repoDir, context.signal ? { signal: context.signal } : {}),
  consolidate: runConsolidate,
  benchmark: runBenchmark,
  preload: runPreload,
  testgaps: runLocalTestgaps,
  predict: runLocalPredict,
};

/**
 * The local analysis a headless worker falls back to, or null when it has no
 * honest local equivalent (optimize, document, ultralearn, refactor, deepdive
 * need a model: inventing output would mislead).
 */
export function localFallbackFor(worker: string): string | null {
  return ['audit', 'testgaps', 'predict'].includes(worker) ? worker : null;
}

export async function runLocalWorker(name: string, context: LocalWorkerContext): Promise<unknown> {
  const worker = LOCAL_WORKERS[name];
  if (!worker) throw new Error(`no local implementation named ${name}`);
  return worker(context);
}
