import type { Finding } from '../run/types.js';
import type { TrackableFinding } from './types.js';

/** Rule of every tracked prediction: "this file is where the next problems are likely to come from". */
export const PREDICTED_RISK_RULE = 'predicted-risk';

const LIKELIHOOD_ORDER = ['high', 'medium', 'low'] as const;
type Likelihood = (typeof LIKELIHOOD_ORDER)[number];

/**
 * A prediction is a risk, not a defect found: its severity stays one step
 * below its likelihood (a likely hot spot is a warning in code scanning, not
 * an error).
 */
const SEVERITY_BY_LIKELIHOOD: Readonly<Record<Likelihood, Finding['severity']>> = { high: 'medium', medium: 'low', low: 'info' };

interface Prediction {
  readonly area: string;
  readonly likelihood: Likelihood;
  readonly reason: string;
  readonly files: readonly string[];
  readonly suggestedAction?: string;
}

/**
 * The findings of a predict output: one per file the predictions name, so a
 * hot spot is tracked by its file (rule `predicted-risk`, subject the file)
 * and keeps its fingerprint whatever area name, reason or likelihood the
 * model words it with, and whichever prediction it is listed under. The
 * severity follows the highest likelihood of the predictions naming the file
 * (high → medium, medium → low, low → info); the message gives that
 * likelihood and joins their areas and reasons. A prediction that names no file has
 * nothing to anchor a fingerprint to: it stays in the run's output, untracked.
 * Null when the output has no predictions array.
 *
 * @example predictionFindings({ predictions: [{ area: 'auth', likelihood: 'high', reason: 'churn', files: ['src/auth.ts'] }] })?.[0]?.file === 'src/auth.ts'
 */
export function predictionFindings(output: unknown): TrackableFinding[] | null {
  const predictions = (output as { predictions?: unknown } | null | undefined)?.predictions;
  if (!Array.isArray(predictions)) return null;
  const byFile = new Map<string, Prediction[]>();
  for (const prediction of predictions.filter(isPrediction)) {
    for (const raw of new Set(prediction.files.map((file) => file.trim().replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '')))) {
      if (raw) byFile.set(raw, [...(byFile.get(raw) ?? []), prediction]);
    }
  }
  return [...byFile].map(([file, named]) => {
    const likelihood = LIKELIHOOD_ORDER.find((level) => named.some((p) => p.likelihood === level)) ?? 'low';
    const actions = [...new Set(named.map((p) => p.suggestedAction?.trim()).filter((action): action is string => Boolean(action)))];
    const reasons = named.map((p) => `${p.area.trim()}: ${p.reason.trim()}`).join('; ');
    const message = `Likelihood ${likelihood}. ${reasons}${actions.length > 0 ? `. Suggested: ${actions.join('; ')}` : ''}`;
    return { ruleId: PREDICTED_RISK_RULE, severity: SEVERITY_BY_LIKELIHOOD[likelihood], file, line: 0, message, subject: file };
  });
}

function isPrediction(value: unknown): value is Prediction {
  const p = value as Partial<Prediction> | null;
  return (
    typeof p === 'object' && p !== null &&
    typeof p.area === 'string' && typeof p.reason === 'string' &&
    LIKELIHOOD_ORDER.includes(p.likelihood as Likelihood) &&
    Array.isArray(p.files) && p.files.every((file) => typeof file === 'string')
  );
}
