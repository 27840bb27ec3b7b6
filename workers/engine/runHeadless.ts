import type { HeadlessWorkerDefinition, SandboxMode } from '../catalog/types.js';
import { CLAUDE_API_TUNING_VARS, runClaude, type ClaudeRunOutcome } from '../headless/index.js';
import { credentialEnvValues, KnownSecretMasker, repositorySecretValues } from '../secrets/index.js';
import type { ModelPause, SpendLedger } from '../spend/index.js';
import { NO_TOKENS } from '../run/constants.js';
import { checkModelFindings } from './checkModelFindings.js';
import { hashShownFiles } from './contentHashes.js';
import { maskModelOutput } from './maskModelOutput.js';
import { parseRunOutput } from './parseRunOutput.js';
import { preparePrompt } from './preparePrompt.js';
import type { ScanScope } from './scanScope.js';
import { makeScratchCopy } from './scratchCopy.js';
import type { EngineOptions, ExecutionOutcome, RunRequest } from './types.js';

/** The spend guard refused a launch; the engine falls back to the local analysis. */
export class SpendCapReached extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SpendCapReached';
  }
}

export interface HeadlessRunInput {
  readonly def: HeadlessWorkerDefinition;
  readonly request: RunRequest;
  readonly target: string;
  readonly runId: string;
  readonly engine: EngineOptions;
  readonly ledger: SpendLedger;
  readonly pause: ModelPause;
  readonly binaryPath: string;
  readonly scope: ScanScope;
}

/**
 * One headless run: chained inputs and ranked context into the prompt, the
 * real Claude Code CLI under the sandbox's flags (inside a concurrency slot and
 * the spend guard), then the answer parsed by the worker's format.
 */
export async function runHeadless(input: HeadlessRunInput): Promise<ExecutionOutcome> {
  const { def, request, engine } = input;
  const progress = request.onProgress;
  // The prompt is redacted, but a model that uses tools may read raw values and quote them
  // encoded, split or without the context the rules need: the repository's own values (a
  // secret scan of the tree, as the local audit makes) and the runner's credentials are
  // collected meanwhile, and everything the run shows, stores or exports is masked against
  // them, whether or not the model called a tool.
  const masker = repositorySecretValues(request.repoDir)
    .catch((): string[] => [])
    .then((values) => new KnownSecretMasker([...values, ...credentialEnvValues(engine.env ?? process.env)]));
  const { prompt, modelId, sandbox, context, chainedInputs } = await preparePrompt(def, request, input.target, engine, input.scope);
  // Hashed as the prompt is made, so the record says which content the model reviewed.
  const contentHashes = await hashShownFiles(request.repoDir, context.files);
  const mask = maskWith(await masker);
  const { outcome, unsettled } = await launchClaude(input, prompt, modelId, sandbox, mask);

  if (outcome.rateLimited) await input.pause.pauseFor(outcome.retryAfterMs);
  else if (!outcome.isError && !outcome.timedOut && !outcome.cancelled) await input.pause.recordSuccess();

  progress?.({ phase: 'parsing', detail: `parsing ${def.outputFormat} output` });
  const answered = outcome.resultText || outcome.structuredOutput !== undefined
    ? parseRunOutput(outcome.resultText, def.outputFormat, def.outputSchema, outcome.structuredOutput, outcome.assistantTexts)
    : { outputError: 'no answer arrived' };
  // Model output is as untrusted as the code it read: findings about files that are not there are dropped, with a note.
  const checked = answered.parsedOutput !== undefined && def.outputFormat === 'json' ? await checkModelFindings(answered.parsedOutput, request.repoDir) : null;
  const parsed = checked ? { ...answered, parsedOutput: checked.parsedOutput } : answered;
  const status = outcome.cancelled
    ? 'CANCELLED'
    : outcome.timedOut
      ? 'TIMED_OUT'
      : outcome.isError || outcome.exitCode !== 0 || parsed.outputError
        ? 'FAILED'
        : 'SUCCEEDED';
  const error =
    status === 'SUCCEEDED'
      ? undefined
      : status === 'TIMED_OUT'
        ? `timed out after ${def.timeoutMs} ms ${progressAtTimeout(outcome)}; the whole process group was stopped`
        : status === 'CANCELLED'
          ? 'cancelled'
          : outcome.errorMessage ?? (parsed.outputError ? `output rejected: ${parsed.outputError}` : `Claude Code exited with ${outcome.exitCode ?? outcome.signal}`);
  return {
    mode: 'headless',
    status,
    success: status === 'SUCCEEDED',
    outputFormat: def.outputFormat,
    // Parsed and validated first, masked after: masking must not change what the schema saw.
    output: mask(outcome.resultText),
    ...(parsed.parsedOutput !== undefined ? { parsedOutput: mask(parsed.parsedOutput) } : {}),
    ...(parsed.outputError ? { outputError: mask(parsed.outputError) } : {}),
    ...(error || unsettled ? { error: mask([error, unsettled].filter(Boolean).join('; ')) } : {}),
    tokens: outcome.usage,
    costUsd: outcome.costUsd,
    model: outcome.model ?? modelId,
    sandboxMode: sandbox,
    numTurns: outcome.numTurns,
    violations: mask(outcome.violations),
    context,
    chainedInputs,
    ...(checked?.rejected ? { rejectedFindings: mask(checked.rejected) } : {}),
    scan: { ...scanRecord(input.scope), ...(Object.keys(contentHashes).length > 0 ? { contentHashes } : {}) },
    ...(outcome.bash ? { bash: outcome.bash } : {}),
  };
}

/** Where a timed-out run was: still waiting on the model API, or how far the agent got. */
function progressAtTimeout(outcome: ClaudeRunOutcome): string {
  if (outcome.numTurns === 0 && outcome.toolCalls.length === 0) {
    const retries = outcome.apiRetries > 0 ? ` (${outcome.apiRetries} retries of failed API calls)` : '';
    return `waiting for the model API's first answer${retries}`;
  }
  return `after ${outcome.numTurns} turn(s) and ${outcome.toolCalls.length} tool call(s)`;
}

/** The scope as recorded with the run (without the file set). */
export function scanRecord(scope: ScanScope): NonNullable<ExecutionOutcome['scan']> {
  const { onlyFiles: _onlyFiles, ...record } = scope;
  return record;
}

/** Masks every string of a value with one masker built for the run. */
const maskWith =
  (masker: KnownSecretMasker) =>
  <T>(value: T): T =>
    maskModelOutput(value, masker);

/** Starts Claude Code once the spend guard allows it, in a scratch copy when the profile may edit. */
async function launchClaude(
  input: HeadlessRunInput,
  prompt: string,
  modelId: string,
  sandbox: SandboxMode,
  mask: (text: string) => string,
): Promise<{ outcome: ClaudeRunOutcome; unsettled?: string }> {
  const { def, request, engine } = input;
  const config = engine.config;
  const progress = request.onProgress;

  const workspace = sandbox === 'strict' || engine.workspaceIsScratch ? null : await makeScratchCopy(request.repoDir, input.runId);
  try {
    // The whole budget is reserved atomically before the launch: runs started at once cannot
    // together pass the daily cap; the run settles to its measured cost when it ends.
    const reservation = await input.ledger.reserve(config.limits, { id: input.runId, budgetUsd: def.maxBudgetUsd });
    if (!reservation.allowed) throw new SpendCapReached(reservation.reason);
    progress?.({ phase: 'model', detail: `Claude Code (${modelId}, ${sandbox})` });
    const outcome = await runClaude({
      binaryPath: input.binaryPath,
      prompt,
      workspaceDir: workspace?.dir ?? request.repoDir,
      sandbox,
      model: modelId,
      maxTurns: def.maxTurns,
      maxBudgetUsd: def.maxBudgetUsd,
      ...(def.outputFormat === 'json' && def.outputSchema ? { jsonSchema: def.outputSchema } : {}),
      ...(sandbox === 'permissive' ? { allowedBashCommands: config.bashAllowList } : {}),
      allowDisabledSandbox: config.allowDisabledSandbox,
      timeoutMs: def.timeoutMs,
      ...(request.signal ? { signal: request.signal } : {}),
      env: { ...(engine.env ?? process.env), CLAUDE_CODE_MAX_OUTPUT_TOKENS: String(def.maxOutputTokens) },
      passEnv: ['CLAUDE_CODE_MAX_OUTPUT_TOKENS', ...CLAUDE_API_TUNING_VARS],
      onEvent: (event) => {
        // Tool inputs are the model's words too: shown masked, as the stored record is.
        if (event.type === 'tool_call') progress?.({ phase: 'tool', detail: mask(`${event.call.name} ${event.call.summary}`) });
        if (event.type === 'violation') progress?.({ phase: 'tool', detail: mask(`refused: ${event.violation.tool} ${event.violation.detail}`) });
      },
    }).catch(async (error: unknown) => {
      // Nothing measured: the budget goes back to the day rather than stay held until midnight.
      await input.ledger.settle(reservation, { tokens: NO_TOKENS, costUsd: 0 }).catch(() => undefined);
      throw error;
    });
    try {
      await input.ledger.settle(reservation, { tokens: outcome.usage, costUsd: outcome.costUsd });
      return { outcome };
    } catch (error) {
      // The answer is paid for and kept; the reservation stays held (the cap errs on the side of spending less), and the record says so.
      const reason = error instanceof Error ? error.message : String(error);
      return { outcome, unsettled: `the spend ledger was not settled (${reason}): this run's reservation of $${def.maxBudgetUsd.toFixed(2)} stays counted until the day ends` };
    }
  } finally {
    await workspace?.dispose();
  }
}
