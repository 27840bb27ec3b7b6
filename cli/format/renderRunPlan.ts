import type { RunPlan } from '../../workers/engine/planRun.js';
import { formatCount, formatUsd } from './humanize.js';
import { renderSkippedFiles } from './renderSkippedFiles.js';
import type { Terminal } from './terminal.js';
import { paint } from './terminal.js';

function usd(value: number | null): string {
  return value === null ? 'unknown (no list price for this model)' : formatUsd(value);
}

/** The dry run for a person: what goes in, how big it is, what it may cost. */
export function renderRunPlan(plan: RunPlan, terminal: Terminal): string {
  const c = plan.context;
  const lines = [
    `${paint(terminal, 'bold', plan.worker)} on ${plan.target} · dry run · headless, ${plan.model}, sandbox ${plan.sandbox}`,
    `context: ${c.files.length} file(s), ${formatCount(c.usedChars)} of ${formatCount(c.budgetChars)} chars, ${c.excluded.length} left out, ${c.redactions} secret(s) redacted`,
    ...c.files.map((file) => `  ${file.path} (${formatCount(file.chars)} chars${file.truncated ? ', truncated' : ''})`),
    ...[renderSkippedFiles(c, terminal)].filter((line): line is string => line !== null),
    `chained inputs: ${plan.chainedInputs.length > 0 ? plan.chainedInputs.map((i) => `${i.worker} ${i.runId}`).join(', ') : 'none'}${plan.chainNotes.length > 0 ? ` (${plan.chainNotes.join('; ')})` : ''}`,
    `prompt: ${formatCount(plan.promptChars)} chars; first request ≈ ${formatCount(plan.estimatedInputTokens)} input tokens ≈ ${usd(plan.estimatedCostUsd.firstRequestInput)}`,
    `output: at most ${formatCount(plan.maxOutputTokens)} tokens per answer ≈ ${usd(plan.estimatedCostUsd.outputAtCap)}; the run stops at ${formatUsd(plan.budgetCapUsd)} (--max-budget-usd)`,
    'nothing was sent or stored (use --json to see the full prompt)',
  ];
  return lines.join('\n');
}
