import path from 'node:path';
import { Command } from 'commander';
import { loadConfig } from '../../workers/config/index.js';
import { LocalReviewLedger, summarizeCoverage, type CoverageSummary } from '../../workers/coverage/index.js';
import { InputError } from '../../workers/errors.js';
import { openLocalState } from '../../workers/store/index.js';
import { nonEmptyArgument } from '../options/nonEmptyArgument.js';

/** Every stored run of the (target, worker) prices the estimate: the store prunes expired ones. */
const ALL_RUNS = Number.MAX_SAFE_INTEGER;

interface CoverageOptions {
  repo: string;
  worker: string;
  target?: string;
  stateDir?: string;
  json?: boolean;
}

/**
 * `coverage`: what the model has seen of a repository for one headless worker
 * (the local review ledger), what is stale or never shown and why, and the
 * runs and cost to full coverage. Cloud coverage (DynamoDB) is a later slice.
 *
 * @example program.addCommand(coverageCommand());
 */
export function coverageCommand(): Command {
  return new Command('coverage')
    .description('share of relevant files and chars the model has reviewed, by directory; stale and never-shown files; runs and cost to full coverage')
    .option('--repo <dir>', 'repository whose local state is read', nonEmptyArgument('a directory, e.g. --repo .'), '.')
    .option('--worker <name>', 'headless worker (see `workers`)', nonEmptyArgument('a worker name, e.g. --worker audit'), 'audit')
    .option('--target <name>', 'target the runs were recorded under (default: the directory name)', nonEmptyArgument('a name, or leave the option out'))
    .option('--state-dir <dir>', 'state folder (default: a per-repository folder under $HW_STATE_DIR or ~/.local/state/headless-workers)', nonEmptyArgument('a directory, or leave the option out'))
    .option('--json', 'print the figures as JSON')
    .action(async (options: CoverageOptions, command: Command) => {
      const configFile = command.optsWithGlobals().config as string | undefined;
      const config = await loadConfig(configFile ? { file: configFile } : {});
      const def = config.catalog.get(options.worker);
      if (!def) throw new InputError(`--worker: no worker named ${options.worker}; see \`headless-workers workers\``);
      if (def.mode !== 'headless') throw new InputError(`--worker: ${options.worker} is a local worker and shows nothing to a model; name a headless worker, e.g. --worker audit`);
      const repoDir = path.resolve(options.repo);
      const { stateDir, store } = await openLocalState(repoDir, options.stateDir);
      const target = options.target ?? path.basename(repoDir);
      const runs = await store.list({ worker: def.type, target, limit: ALL_RUNS });
      const summary = await summarizeCoverage({ def, target, repoDir, stateDir, ledger: new LocalReviewLedger(stateDir), runs });
      process.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : renderCoverage(summary));
    });
}

const percent = (share: number): string => `${(share * 100).toFixed(1)}%`;

function renderCoverage(summary: CoverageSummary): string {
  const { relevant, reviewed, estimate } = summary;
  const lines = [
    `Coverage of ${summary.target} by ${summary.worker}`,
    `  reviewed: ${reviewed.files}/${relevant.files} relevant files (${percent(reviewed.fileShare)}), ${reviewed.chars}/${relevant.chars} chars (${percent(reviewed.charShare)})${reviewed.partial > 0 ? `; ${reviewed.partial} seen only in part` : ''}`,
    `  stale (changed since review): ${summary.stale.count}`,
    ...summary.stale.files.map((file) => `    ${file.path} (reviewed ${file.reviewedAt} by ${file.runId})`),
    `  never shown: ${summary.neverShown.count}${summary.neverShown.count > 0 ? ` (${Object.entries(summary.neverShown.byReason).map(([reason, count]) => `${reason} ${count}`).join(', ')})` : ''}`,
    '  by directory:',
    ...summary.byDirectory.map((dir) => `    ${dir.directory}/  ${dir.reviewedFiles}/${dir.files} files, ${dir.reviewedChars}/${dir.chars} chars`),
    `  next run takes: ${summary.nextSlice.files === 0 ? 'nothing (SKIPPED: every relevant file reviewed and unchanged)' : `${summary.nextSlice.files} file(s), ${summary.nextSlice.chars} chars`}`,
    `  to full coverage: ${estimate.runsToFullCoverage} run(s) at ${estimate.budgetChars} chars a run (from scratch: ${estimate.runsFromScratch})` +
      (estimate.costToFullCoverageUsd === null ? '; cost unknown (no stored headless run with a cost)' : `, about $${estimate.costToFullCoverageUsd.toFixed(2)} at the mean $${estimate.meanRunCostUsd!.toFixed(4)} of ${estimate.storedRunsCosted} stored run(s)`),
  ];
  return `${lines.join('\n')}\n`;
}
