import type { DryRunResponse, PlannedMessage } from '../../workers/cloudRuntime/index.js';
import type { ResolvedConfig } from '../../workers/config/index.js';
import type { LaneLocator } from './lanes.js';
import type { PlannedRun } from './planRuns.js';

/** What a dry run says about token estimates, which need the repository. */
export const DRY_RUN_NOTE =
  'Nothing was queued, stored or started. Token and cost estimates need the repository, which the dispatcher does not have: ' +
  'run `headless-workers run <worker> --dry-run` in a checkout of the target for the prompt, its estimated tokens and cost. ' +
  'maxBudgetUsd is the hard cap on each headless run; local workers cost no tokens.';

/**
 * The answer to a manual run with `"dryRun": true`: the messages the plan
 * would queue (worker, target, profile, priority, queue) with the catalog's
 * caps per run. Pure: it reads the plan and the catalog, nothing else.
 *
 * @example
 * dryRunResponse(plan.runs, config, lanesOf(settings)); // { dryRun: true, queued: 0, wouldQueue: [...], ... }
 */
export function dryRunResponse(
  runs: readonly PlannedRun[],
  config: Pick<ResolvedConfig, 'catalog'>,
  lanes: Pick<LaneLocator, 'queueUrl'>,
): DryRunResponse {
  const wouldQueue: PlannedMessage[] = runs.map((run) => {
    const def = config.catalog.get(run.worker);
    if (!def) throw new Error(`planned run of unknown worker "${run.worker}"`);
    const queueUrl = lanes.queueUrl(run.profile, run.target, run.priority);
    if (def.mode === 'local') {
      return { worker: run.worker, target: run.target, mode: 'local', profile: run.profile, priority: run.priority, queueUrl, model: null, sandbox: null, caps: null, costsNoTokens: true };
    }
    return {
      worker: run.worker,
      target: run.target,
      mode: 'headless',
      profile: run.profile,
      priority: run.priority,
      queueUrl,
      model: run.model ?? def.model,
      sandbox: run.sandbox ?? def.sandbox,
      caps: { maxBudgetUsd: def.maxBudgetUsd, maxOutputTokens: def.maxOutputTokens, maxTurns: def.maxTurns, timeoutMs: def.timeoutMs },
      costsNoTokens: false,
    };
  });
  const maxTotalBudgetUsd = Math.round(wouldQueue.reduce((sum, message) => sum + (message.caps?.maxBudgetUsd ?? 0), 0) * 100) / 100;
  return { dryRun: true, queued: 0, wouldQueue, maxTotalBudgetUsd, note: DRY_RUN_NOTE };
}
