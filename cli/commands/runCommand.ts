import path from 'node:path';
import type { SandboxMode, WorkerMode } from '../../workers/catalog/types.js';
import { loadConfig } from '../../workers/config/index.js';
import { WorkerEngine } from '../../workers/engine/WorkerEngine.js';
import type { RunResult } from '../../workers/run/types.js';
import { openLocalState } from '../../workers/store/index.js';
import { EXIT } from '../exitCodes.js';
import { createProgressLine } from '../format/progressLine.js';
import { renderRunResult } from '../format/renderRunResult.js';
import { detectTerminal } from '../format/terminal.js';

export interface RunCommandOptions {
  readonly repo: string;
  readonly target?: string;
  readonly mode?: WorkerMode;
  readonly sandbox?: SandboxMode;
  readonly model?: string;
  readonly json?: boolean;
  readonly config?: string;
  readonly stateDir?: string;
}

/** Exit code for a finished run: 0 only when it succeeded. */
export function exitCodeOf(result: RunResult): number {
  return result.status === 'SUCCEEDED' ? EXIT.ok : EXIT.runFailed;
}

/**
 * `run <worker>`: one run on this machine, stored in the local state folder,
 * printed for a person or as the stored JSON record. Ctrl-C cancels it (the
 * Claude process group is stopped and the run recorded as CANCELLED).
 */
export async function runCommand(worker: string, options: RunCommandOptions): Promise<number> {
  const repoDir = path.resolve(options.repo);
  const config = await loadConfig({ ...(options.config ? { file: options.config } : {}), lookupDir: repoDir });
  const { stateDir, store } = await openLocalState(repoDir, options.stateDir);
  const engine = new WorkerEngine({ config, store, stateDir });
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const progress = options.json ? null : createProgressLine();
  try {
    const result = await engine.run({
      worker,
      repoDir,
      ...(options.target ? { target: options.target } : {}),
      ...(options.mode ? { mode: options.mode } : {}),
      ...(options.sandbox ? { sandbox: options.sandbox } : {}),
      ...(options.model ? { model: options.model } : {}),
      signal: abort.signal,
      ...(progress ? { onProgress: progress.update } : {}),
    });
    progress?.clear();
    if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else {
      process.stdout.write(`${renderRunResult(result, detectTerminal())}\n`);
      process.stdout.write(`saved ${path.relative(process.cwd(), path.join(stateDir, 'results', result.worker, `${result.runId}.json`)) || '.'}\n`);
    }
    return exitCodeOf(result);
  } finally {
    progress?.clear();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
