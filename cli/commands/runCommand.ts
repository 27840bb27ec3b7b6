import path from 'node:path';
import type { SandboxMode, WorkerMode } from '../../workers/catalog/types.js';
import { loadConfig } from '../../workers/config/index.js';
import { WorkerEngine } from '../../workers/engine/WorkerEngine.js';
import type { RunResult } from '../../workers/run/types.js';
import type { FindingStore } from '../../workers/findings/index.js';
import { openLocalState } from '../../workers/store/index.js';
import { EXIT, exitCodeOf } from '../exitCodes.js';
import { assertOutputFile } from '../options/assertOutputFile.js';
import { findingsAtOrAbove, type FailOnSeverity } from '../options/failOnSeverity.js';
import { createProgressLine } from '../format/progressLine.js';
import { renderRunPlan } from '../format/renderRunPlan.js';
import { renderRunResult } from '../format/renderRunResult.js';
import { detectTerminal } from '../format/terminal.js';
import { writeRunSarif } from './writeRunSarif.js';
import { describeBacklogSlice, LocalReviewLedger } from '../../workers/coverage/index.js';

export interface RunCommandOptions {
  readonly repo: string;
  readonly target?: string;
  readonly mode?: WorkerMode;
  readonly sandbox?: SandboxMode;
  readonly model?: string;
  readonly json?: boolean;
  readonly config?: string;
  readonly stateDir?: string;
  /** Print what would be sent and its estimated cost; run and store nothing. */
  readonly dryRun?: boolean;
  /** Scan every file even when an incremental scan would do. */
  readonly fullScan?: boolean;
  /** Also write the run's findings as SARIF 2.1.0 to this file. */
  readonly sarif?: string;
  /** Exit 1 when unresolved tracked findings of this severity or above remain after the run. */
  readonly failOn?: FailOnSeverity;
  /** Show findings in tests, docs, examples and translations too. */
  readonly all?: boolean;
}

/**
 * `--fail-on`: exit 1, and say why, when the worker's tracked findings for this target
 * still include that severity or above after the run (suppressed and fixed ones do not count).
 */
async function failOnFindings(result: RunResult, findingStore: FindingStore, threshold: FailOnSeverity): Promise<number> {
  const { records } = await findingStore.load(result.target, result.worker);
  const failing = findingsAtOrAbove(records, threshold);
  if (failing.length === 0) return EXIT.ok;
  process.stderr.write(`fail-on: ${failing.length} unresolved finding(s) at ${threshold} or above (see \`headless-workers findings\`)\n`);
  return EXIT.runFailed;
}

/**
 * `run <worker>`: one run on this machine, stored in the local state folder,
 * printed for a person or as the stored JSON record. Ctrl-C cancels it (the
 * Claude process group is stopped and the run recorded as CANCELLED).
 */
export async function runCommand(worker: string, options: RunCommandOptions): Promise<number> {
  const repoDir = path.resolve(options.repo);
  // Checked before anything runs: a run is stored before its SARIF is written.
  if (options.sarif && !options.dryRun) await assertOutputFile('--sarif', options.sarif);
  const config = await loadConfig(options.config ? { file: options.config } : {});
  const { stateDir, store, findingStore } = await openLocalState(repoDir, options.stateDir);
  const engine = new WorkerEngine({ config, store, stateDir, findingStore, reviewLedger: new LocalReviewLedger(stateDir) });
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const progress = options.json ? null : createProgressLine();
  try {
    if (options.dryRun) {
      const plan = await engine.plan({ worker, repoDir, ...(options.target ? { target: options.target } : {}), ...(options.sandbox ? { sandbox: options.sandbox } : {}), ...(options.model ? { model: options.model } : {}) });
      progress?.clear();
      process.stdout.write(options.json ? `${JSON.stringify(plan, null, 2)}\n` : `${renderRunPlan(plan, detectTerminal())}\n`);
      // Which slice of the review backlog the next run takes (issue 18).
      const def = config.catalog.get(plan.worker);
      if (!options.json && def?.mode === 'headless') process.stdout.write(`${await describeBacklogSlice({ def, target: plan.target, repoDir, stateDir, ledger: new LocalReviewLedger(stateDir) })}\n`);
      return EXIT.ok;
    }
    const result = await engine.run({
      worker,
      repoDir,
      ...(options.target ? { target: options.target } : {}),
      ...(options.mode ? { mode: options.mode } : {}),
      ...(options.sandbox ? { sandbox: options.sandbox } : {}),
      ...(options.model ? { model: options.model } : {}),
      ...(options.fullScan ? { fullScan: true } : {}),
      signal: abort.signal,
      ...(progress ? { onProgress: progress.update } : {}),
    });
    progress?.clear();
    if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else {
      process.stdout.write(`${renderRunResult(result, detectTerminal(), { all: options.all === true })}\n`);
      const saved = path.join(stateDir, 'results', result.worker, `${result.runId}.json`);
      // State lives outside the repository by default: a path climbing out of the cwd reads better absolute.
      const shown = path.relative(process.cwd(), saved);
      process.stdout.write(`saved ${shown.startsWith('..') ? saved : shown}\n`);
    }
    if (options.sarif) await writeRunSarif(result, repoDir, options.sarif, findingStore);
    const code = exitCodeOf(result);
    return code === EXIT.ok && options.failOn ? failOnFindings(result, findingStore, options.failOn) : code;
  } finally {
    progress?.clear();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
