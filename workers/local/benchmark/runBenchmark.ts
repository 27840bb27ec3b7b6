import { AUDIT_OUTPUT_SCHEMA } from '../../catalog/outputSchemas.js';
import { buildContext, rankingForWorker } from '../../context/index.js';
import { runMap } from '../map/index.js';
import type { LocalWorkerContext } from '../types.js';

/** Peak resident memory of this process so far, in MB (Linux reports maxRSS in KB). */
function peakRssMb(): number {
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: Math.round((performance.now() - started) * 10) / 10 };
}

/**
 * Measures the engine on the target repository: how long the audit context
 * and the map take, and how much memory the process peaked at. The figures
 * are stored like any result, so a trend shows across runs.
 */
export async function runBenchmark(context: LocalWorkerContext) {
  const audit = context.config.catalog.get('audit');
  const patterns = audit?.mode === 'headless' ? audit.contextPatterns : ['**/*'];
  const budgetChars = audit?.mode === 'headless' ? audit.contextBudgetChars : 120_000;
  const built = await timed(() =>
    buildContext({ repoDir: context.repoDir, patterns, budgetChars, ranking: rankingForWorker('audit') }),
  );
  const map = await timed(() => runMap(context.repoDir));
  const mapped = map.value as { files: number; totalLines: number };
  return {
    summary: `context ${built.ms} ms for ${built.value.files.length} files; map ${map.ms} ms for ${mapped.files} files`,
    context: {
      ms: built.ms,
      candidateFiles: built.value.candidateCount,
      includedFiles: built.value.files.length,
      usedChars: built.value.usedChars,
      budgetChars: built.value.budgetChars,
      schemaChecked: Boolean(AUDIT_OUTPUT_SCHEMA),
    },
    map: {
      ms: map.ms,
      files: mapped.files,
      lines: mapped.totalLines,
      filesPerSecond: map.ms > 0 ? Math.round((mapped.files / map.ms) * 1000) : null,
    },
    peakRssMb: peakRssMb(),
  };
}
