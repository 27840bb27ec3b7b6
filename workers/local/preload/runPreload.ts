import { warmFileIndex } from '../../context/index.js';
import type { LocalWorkerContext } from '../types.js';

/**
 * Warms what the next headless runs need: the file index (listing plus git
 * recency) for each distinct set of context patterns of the enabled headless
 * workers, saved in the state directory where `buildContext` picks it up.
 */
export async function runPreload(context: LocalWorkerContext) {
  const started = performance.now();
  const patternSets = new Map<string, { workers: string[]; patterns: readonly string[] }>();
  for (const def of context.config.catalog.values()) {
    if (def.mode !== 'headless' || !def.enabled) continue;
    const key = JSON.stringify([...def.contextPatterns].sort());
    const entry = patternSets.get(key) ?? { workers: [], patterns: def.contextPatterns };
    entry.workers.push(def.type);
    patternSets.set(key, entry);
  }
  const indexes = [];
  for (const { workers, patterns } of patternSets.values()) {
    const warmed = await warmFileIndex({ repoDir: context.repoDir, patterns, stateDir: context.stateDir });
    indexes.push({
      workers,
      files: warmed.index.files.length,
      filesWithGitHistory: Object.keys(warmed.index.recency).length,
      head: warmed.index.head,
      action: warmed.rebuilt ? 'rebuilt' : 'reused',
      ...(warmed.reason ? { reason: warmed.reason } : {}),
    });
  }
  return {
    summary: `warmed ${indexes.length} file index(es): ${indexes.filter((i) => i.action === 'rebuilt').length} rebuilt, ${indexes.filter((i) => i.action === 'reused').length} still fresh`,
    indexes,
    durationMs: Math.round(performance.now() - started),
  };
}
