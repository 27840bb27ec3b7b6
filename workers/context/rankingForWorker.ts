import { RANKING_BY_WORKER } from './constants.js';
import type { RankingStrategy } from './types.js';

/**
 * The ranking that suits a worker's question: audit-like workers read source
 * (security-relevant first), testgaps pairs source with tests, document reads
 * docs, predict reads what changed last; any other worker gets `'default'`.
 *
 * @example rankingForWorker('audit') === 'source-first'
 */
export function rankingForWorker(worker: string): RankingStrategy {
  return Object.hasOwn(RANKING_BY_WORKER, worker) ? RANKING_BY_WORKER[worker as keyof typeof RANKING_BY_WORKER] : 'default';
}
