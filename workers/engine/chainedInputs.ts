import type { WorkerDefinition } from '../catalog/types.js';
import type { RunResult } from '../run/types.js';
import type { ResultStore } from '../store/ResultStore.js';

/** Results older than this are stale and left out of a prompt. */
export const CHAIN_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

export interface ChainedInputs {
  /** Text for the prompt's {{chained}} placeholder. */
  readonly text: string;
  /** Which results went in. */
  readonly used: readonly { readonly worker: string; readonly runId: string }[];
  /** Inputs skipped and why (missing, stale, too large): recorded, never fatal. */
  readonly notes: readonly string[];
}

/**
 * Gathers the latest successful result of each worker this one draws on
 * (`chainsFrom` in the catalog), for the same target, within a character
 * budget taken from the context budget.
 */
export async function gatherChainedInputs(options: {
  readonly worker: WorkerDefinition;
  readonly target: string;
  readonly store: ResultStore;
  readonly budgetChars: number;
  readonly enabled: boolean;
  readonly now?: Date;
}): Promise<ChainedInputs> {
  const { worker, target, store, budgetChars } = options;
  if (!options.enabled || worker.chainsFrom.length === 0) {
    return { text: options.enabled ? '(none)' : '(chaining turned off)', used: [], notes: [] };
  }
  const now = options.now ?? new Date();
  const share = Math.floor(budgetChars / worker.chainsFrom.length);
  const sections: string[] = [];
  const used: { worker: string; runId: string }[] = [];
  const notes: string[] = [];
  for (const source of worker.chainsFrom) {
    const [latest] = await store.list({ worker: source, target, limit: 1, successfulOnly: true });
    if (!latest) {
      notes.push(`${source}: no successful result yet for target ${target}`);
      continue;
    }
    if (now.getTime() - Date.parse(latest.finishedAt) > CHAIN_MAX_AGE_MS) {
      notes.push(`${source}: latest result ${latest.runId} is older than 7 days, skipped as stale`);
      continue;
    }
    const body = summarizeForPrompt(latest);
    const header = `### ${source} (run ${latest.runId}, ${latest.finishedAt})\n`;
    if (header.length + body.length > share) {
      const room = share - header.length - 20;
      if (room < 200) {
        notes.push(`${source}: result ${latest.runId} does not fit the chained-input budget, skipped`);
        continue;
      }
      sections.push(`${header}${body.slice(0, room)}\n[... truncated]`);
    } else {
      sections.push(`${header}${body}`);
    }
    used.push({ worker: source, runId: latest.runId });
  }
  return { text: sections.length > 0 ? sections.join('\n\n') : '(none available)', used, notes };
}

/** The part of a result worth showing another worker: its parsed output, compact. */
function summarizeForPrompt(result: RunResult): string {
  if (result.outputFormat !== 'json' || result.parsedOutput === undefined) return result.output;
  return JSON.stringify(result.parsedOutput);
}
