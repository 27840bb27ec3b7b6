// Child process: builds an audit context on argv[2], the project's way (`ranked`) or the
// straightforward way (`naive`: glob each pattern, read the first 20 files whole, in order).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import { BUILTIN_WORKERS } from '../../workers/catalog/index.js';
import { buildContext } from '../../workers/context/buildContext.js';
import { rankingForWorker } from '../../workers/context/rankingForWorker.js';

const [, , repoDir, approach] = process.argv as [string, string, string, 'ranked' | 'naive'];
const audit = BUILTIN_WORKERS.find((worker) => worker.type === 'audit');
if (!audit || audit.mode !== 'headless') throw new Error('the catalog has no headless audit worker');
const patterns = audit.contextPatterns;
const budgetChars = audit.contextBudgetChars;

const started = performance.now();
let chars: number;
let files: number;
if (approach === 'ranked') {
  const context = await buildContext({ repoDir, patterns, budgetChars, ranking: rankingForWorker('audit') });
  chars = context.usedChars;
  files = context.files.length;
} else {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const pattern of patterns) {
    const matches = await fg(pattern, { cwd: repoDir, dot: true, onlyFiles: true });
    for (const file of matches) {
      if (seen.size >= 20) break;
      if (seen.has(file)) continue;
      seen.add(file);
      parts.push(`==> ${file} <==\n${await readFile(path.join(repoDir, file), 'utf8')}`);
    }
  }
  const text = parts.join('\n');
  chars = text.length;
  files = seen.size;
}
const ms = performance.now() - started;
console.log(JSON.stringify({ ms, chars, files, budgetChars, maxRssKb: process.resourceUsage().maxRSS }));
