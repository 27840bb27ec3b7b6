import { readTextHead, listRepositoryFiles } from '../../files/index.js';
import { runGit } from '../../context/runGit.js';
import path from 'node:path';
import type { LocalWorkerContext } from '../types.js';

const COMMITS_READ = 200;
const TOP = 10;
const MARKER = /\b(TODO|FIXME|HACK|XXX)\b/g;

/** How many of the last commits touched each file: churn, the best cheap predictor of defects. */
async function churnByFile(repoDir: string): Promise<Map<string, number>> {
  const log = await runGit(repoDir, ['log', `-n${COMMITS_READ}`, '--name-only', '--format=']);
  const churn = new Map<string, number>();
  for (const line of (log ?? '').split('\n')) {
    const file = line.trim();
    if (file) churn.set(file, (churn.get(file) ?? 0) + 1);
  }
  return churn;
}

/**
 * The local half of predict: ranks files by recent churn × size, plus
 * TODO/FIXME markers, which together point at where defects tend to appear.
 * Output fits the predict worker's schema.
 */
export async function runLocalPredict(context: LocalWorkerContext) {
  const [{ files }, churn] = await Promise.all([listRepositoryFiles(context.repoDir), churnByFile(context.repoDir)]);
  const scored = [];
  for (const file of files) {
    const changes = churn.get(file.path) ?? 0;
    const head = await readTextHead(path.join(context.repoDir, file.path), 256 * 1024);
    const markers = head.kind === 'text' ? (head.text.match(MARKER)?.length ?? 0) : 0;
    if (changes === 0 && markers === 0) continue;
    const score = changes * Math.log2(2 + file.size / 1024) + markers;
    scored.push({ path: file.path, changes, markers, score });
  }
  scored.sort((a, b) => b.score - a.score || (a.path < b.path ? -1 : 1));
  const top = scored.slice(0, TOP);
  const maxScore = top[0]?.score ?? 0;
  const predictions = top.map((entry) => ({
    area: entry.path,
    likelihood: entry.score >= maxScore * 0.66 ? 'high' : entry.score >= maxScore * 0.33 ? 'medium' : 'low',
    reason: [entry.changes > 0 ? `changed in ${entry.changes} of the last ${COMMITS_READ} commits` : '', entry.markers > 0 ? `${entry.markers} TODO/FIXME marker(s)` : '']
      .filter(Boolean)
      .join('; '),
    files: [entry.path],
    suggestedAction: entry.changes > 0 ? 'review recent changes and add tests around them' : 'resolve or ticket the open markers',
  }));
  return {
    summary: churn.size === 0 && predictions.length === 0
      ? 'no git history and no TODO/FIXME markers: nothing to predict from'
      : `${predictions.length} hot spot(s) from ${churn.size > 0 ? 'git churn and ' : ''}TODO/FIXME markers`,
    predictions,
  };
}
