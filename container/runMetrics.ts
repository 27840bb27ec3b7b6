import type { ExecutionProfile } from '../workers/catalog/types.js';
import { METRICS, METRIC_NAMESPACE } from '../workers/cloud/index.js';
import type { RunResult } from '../workers/run/types.js';

/** Outcomes counted as failures by the failure-rate alarm. */
const FAILED_STATUSES = new Set(['FAILED', 'TIMED_OUT']);

/**
 * One CloudWatch embedded-metric-format (EMF) log line for a finished run:
 * duration, tokens, cost, sandbox violations and RunFailed (0 or 1) by
 * Worker and Profile, and RunOutcome by Worker, Profile and Outcome.
 * CloudWatch Logs turns the line into metrics; no CloudWatch client needed.
 *
 * @example
 * process.stdout.write(runMetricsLine(result, 'strict'));
 */
export function runMetricsLine(result: Pick<RunResult, 'worker' | 'status' | 'durationMs' | 'tokens' | 'costUsd' | 'violations'>, profile: ExecutionProfile, now: Date = new Date()): string {
  const document = {
    _aws: {
      Timestamp: now.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: METRIC_NAMESPACE,
          Dimensions: [['Worker', 'Profile']],
          Metrics: [
            { Name: METRICS.durationMs, Unit: 'Milliseconds' },
            { Name: METRICS.inputTokens, Unit: 'Count' },
            { Name: METRICS.outputTokens, Unit: 'Count' },
            { Name: METRICS.costUsd, Unit: 'None' },
            { Name: METRICS.sandboxViolations, Unit: 'Count' },
            { Name: METRICS.runFailed, Unit: 'Count' },
          ],
        },
        { Namespace: METRIC_NAMESPACE, Dimensions: [['Worker', 'Profile', 'Outcome']], Metrics: [{ Name: METRICS.runOutcome, Unit: 'Count' }] },
      ],
    },
    Worker: result.worker,
    Profile: profile,
    Outcome: result.status,
    [METRICS.durationMs]: result.durationMs,
    [METRICS.inputTokens]: result.tokens.input,
    [METRICS.outputTokens]: result.tokens.output,
    [METRICS.costUsd]: result.costUsd,
    [METRICS.sandboxViolations]: result.violations.length,
    [METRICS.runFailed]: FAILED_STATUSES.has(result.status) ? 1 : 0,
    [METRICS.runOutcome]: 1,
  };
  return `${JSON.stringify(document)}\n`;
}
