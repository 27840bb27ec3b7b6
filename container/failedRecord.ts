import type { WorkerDefinition } from '../workers/catalog/types.js';
import type { CloudRunResult, PipelineFields } from '../workers/cloudRuntime/index.js';
import { expiresAtFor } from '../workers/run/expiry.js';
import { NO_TOKENS } from '../workers/run/constants.js';

/**
 * A FAILED record for a run that never reached the engine's own record: an
 * unreadable message, a workspace that could not be fetched, a request the
 * engine refused.
 */
export function failedRecord(input: {
  readonly runId: string;
  readonly worker: string;
  readonly target: string;
  readonly definition?: WorkerDefinition;
  readonly error: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly resultTtlDays: number;
  /** Counted like sandbox violations: a request that asked for more than it may. */
  readonly violations?: CloudRunResult['violations'];
  readonly extra?: PipelineFields;
}): CloudRunResult {
  const def = input.definition;
  return {
    runId: input.runId,
    worker: input.worker,
    target: input.target,
    mode: def?.mode ?? 'local',
    requestedMode: def?.mode ?? 'local',
    status: 'FAILED',
    success: false,
    outputFormat: def?.outputFormat ?? 'text',
    output: '',
    error: input.error,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    durationMs: input.finishedAt.getTime() - input.startedAt.getTime(),
    tokens: NO_TOKENS,
    costUsd: 0,
    model: null,
    sandboxMode: def?.mode === 'headless' ? def.sandbox : null,
    numTurns: 0,
    violations: input.violations ?? [],
    expiresAt: expiresAtFor(input.finishedAt, input.resultTtlDays),
    ...input.extra,
  };
}
