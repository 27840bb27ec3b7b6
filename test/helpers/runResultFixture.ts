import { NO_TOKENS } from '../../workers/run/constants.js';
import type { RunResult } from '../../workers/run/types.js';

/**
 * A finished, successful local run record of audit on `demo-app` whose
 * parsed output is `parsedOutput`; `overrides` change the worker, mode, scan...
 *
 * @example runResultOf({ summary: '', predictions: [] }, { worker: 'predict' })
 */
export function runResultOf(parsedOutput: unknown, overrides: Partial<RunResult> = {}): RunResult {
  return {
    runId: 'run-20260105-0001',
    worker: 'audit',
    target: 'demo-app',
    mode: 'local',
    requestedMode: 'local',
    status: 'SUCCEEDED',
    success: true,
    outputFormat: 'json',
    output: JSON.stringify(parsedOutput ?? null),
    parsedOutput,
    startedAt: '2026-01-05T10:00:00.000Z',
    finishedAt: '2026-01-05T10:00:02.500Z',
    durationMs: 2500,
    tokens: NO_TOKENS,
    costUsd: 0,
    model: null,
    sandboxMode: null,
    numTurns: 0,
    violations: [],
    expiresAt: 1_800_000_000,
    ...overrides,
  };
}
