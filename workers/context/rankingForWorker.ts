import { BUILTIN_WORKERS } from '../catalog/builtinCatalog.js';
import type { RankingStrategy } from './types.js';

/**
 * The ranking a built-in worker declares in the catalog (`contextRanking`):
 * audit, deepdive and predict read by security relevance, testgaps pairs
 * source with tests, document reads docs; local and unknown workers get `'default'`.
 *
 * @example rankingForWorker('audit') === 'security'
 */
export function rankingForWorker(worker: string): RankingStrategy {
  const def = BUILTIN_WORKERS.find((candidate) => candidate.type === worker);
  return def?.mode === 'headless' ? def.contextRanking : 'default';
}
