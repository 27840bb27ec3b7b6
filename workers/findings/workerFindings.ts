import type { RunResult } from '../run/types.js';
import { learnedFindings } from './learnedFindings.js';
import { predictionFindings } from './predictionFindings.js';
import type { TrackableFinding } from './types.js';

/**
 * How the output of each JSON worker maps to findings. Audit (headless and
 * local) reports a `findings` array in the shared shape; predict and
 * ultralearn report predictions and learned conventions, mapped here to the
 * same shape so they get fingerprints, lifecycle, suppressions, SARIF and
 * events like audit findings.
 */
const EXTRACTORS: Readonly<Record<string, (output: unknown) => TrackableFinding[] | null>> = {
  predict: predictionFindings,
  ultralearn: learnedFindings,
  // Consolidate reports other workers' findings merged across runs: tracking
  // them again would list every finding twice (records stored before its
  // output was renamed still carry a `findings` array).
  consolidate: () => null,
};

/** The `findings` array of an output, when it has one (audit and any worker answering in that shape). */
function findingsArray(output: unknown): TrackableFinding[] | null {
  const findings = (output as { findings?: unknown } | null | undefined)?.findings;
  return Array.isArray(findings) ? (findings as TrackableFinding[]) : null;
}

/**
 * The findings of a run's parsed output, or null when its worker reports
 * none (a Markdown worker, output that did not parse).
 *
 * @example findingsOf({ worker: 'predict', parsedOutput: { summary: '', predictions: [] } }) // → []
 */
export function findingsOf(result: Pick<RunResult, 'worker' | 'parsedOutput'>): TrackableFinding[] | null {
  return (EXTRACTORS[result.worker] ?? findingsArray)(result.parsedOutput);
}
