import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import type { JsonSchema, ModelAlias, SandboxMode } from '../catalog/types.js';
import { classifyRateLimit } from './classifyRateLimit.js';
import { BASH_SANDBOX_ENV, decideBashOffer, probeBashSandbox, type BashOffer, type BashSandboxProbe } from './bashSandbox.js';
import { resolveClaudeBinary } from './claudeAvailability.js';
import { claudeEnvironment, isEnvFlagOn } from './claudeEnvironment.js';
import { DisabledSandboxError, HeadlessError } from './errors.js';
import { resolveModelId } from './modelIds.js';
import { isProcessAlive, listDescendants, signalProcessTree } from './processTree.js';
import { buildClaudeArgs, removedTools } from './sandboxFlags.js';
import { createStreamEventParser } from './streamEvents.js';
import type { ClaudeProgress, ClaudeRunOutcome, StreamSummary } from './types.js';

/** Grace between SIGTERM and SIGKILL when a run is stopped. */
export const DEFAULT_KILL_GRACE_MS = 3_000;
/** Characters of stderr kept in the outcome. */
const STDERR_TAIL_CHARS = 4_096;
/** How long to wait for stdio to close after the CLI exited (a stray descendant may hold a pipe). */
const CLOSE_AFTER_EXIT_MS = 2_000;

export interface RunClaudeOptions {
  /** The prompt; written to the CLI's stdin, never put on its command line (argv is visible to every user of the machine and limited in size). */
  readonly prompt: string;
  /** The checked-out repository: the CLI's working directory and the limit of its file tools. */
  readonly workspaceDir: string;
  readonly sandbox: SandboxMode;
  /** A catalog alias (`haiku`, `sonnet`, `opus`) or a full model id. */
  readonly model: string;
  readonly modelOverrides?: Partial<Record<ModelAlias, string>>;
  /** Alias or id of the model to fall back to when the main one is overloaded. */
  readonly fallbackModel?: string;
  readonly maxTurns: number;
  readonly maxBudgetUsd: number;
  readonly jsonSchema?: JsonSchema;
  /** Commands the permissive profile may run (see `buildClaudeArgs`); offered only inside Claude Code's sandbox. */
  readonly allowedBashCommands?: readonly string[];
  /**
   * The operator's request for Claude Code's sandbox around Bash; default: the source
   * environment's `HW_BASH_SANDBOX=1`. Bash is offered only when requested AND the probe
   * proves the sandbox works here (see `decideBashOffer`).
   */
  readonly bashSandbox?: boolean;
  /** The sandbox probe; default `probeBashSandbox` (replaceable in tests). */
  readonly probeBashSandbox?: (env: Readonly<Record<string, string | undefined>>, untrustedDirs: readonly string[]) => Promise<BashSandboxProbe>;
  /** Hard wall-clock limit; the whole process tree is killed when it passes. */
  readonly timeoutMs: number;
  /** Cancels the run: same kill as a timeout, outcome `cancelled: true`. */
  readonly signal?: AbortSignal;
  /** Progress for a terminal; exceptions it throws are ignored. */
  readonly onEvent?: (progress: ClaudeProgress) => void;
  /** Called with the CLI's pid (also its process group id) once it started, e.g. for logs. */
  readonly onSpawn?: (pid: number) => void;
  /** Environment the run's variables are picked from (see `claudeEnvironment`); default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The CLI binary; default: `resolveClaudeBinary(env)`. */
  readonly binaryPath?: string;
  /** `CLAUDE_CODE_MAX_RETRIES` for API errors; the CLI's default (10) when omitted. */
  readonly maxRetries?: number;
  /** Extra environment variable names to pass through (e.g. `HTTPS_PROXY`). */
  readonly passEnv?: readonly string[];
  readonly killGraceMs?: number;
  /**
   * Must be true for `sandbox: 'disabled'` (`--permission-mode bypassPermissions`): the
   * deployer's explicit opt-in. Never set it by default.
   */
  readonly allowDisabledSandbox?: boolean;
}

const tail = (text: string, max: number): string => (text.length <= max ? text : text.slice(text.length - max));

const lastLine = (text: string): string =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .pop() ?? '';

interface Ending {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly cancelled: boolean;
  readonly spawnError?: string;
  readonly stderr: string;
  readonly durationMs: number;
  readonly timeoutMs: number;
}

/** How the CLI words a failed API call in its result (2.1.332), e.g. "API Error: Connection to the API was lost". */
const API_ERROR_TEXT = /^API Error:\s*/;

/**
 * "model API returned 500 api_error after 3 attempts: …" (or "model API failed after …"
 * when no answer came, e.g. a dropped connection): what failed, how often, the API's words.
 */
const apiErrorMessage = (status: number | undefined, type: string | undefined, retries: number, text: string): string => {
  const attempts = retries + 1;
  const detail = text.replace(API_ERROR_TEXT, '');
  const what = status === undefined ? 'model API failed' : `model API returned ${status}${type ? ` ${type}` : ''}`;
  return `${what} after ${attempts} attempt${attempts === 1 ? '' : 's'}${detail ? `: ${detail}` : ''}`;
};

const errorMessageOf = (summary: StreamSummary, end: Ending): string | undefined => {
  const { result } = summary;
  if (end.spawnError) return `failed to start Claude Code: ${end.spawnError}`;
  if (end.timedOut) return `timed out after ${end.timeoutMs} ms`;
  if (end.cancelled) return 'cancelled';
  if (result?.isError) {
    const text = (result.resultText.trim() || result.errors.join('; ')).slice(0, 500);
    const apiStatus = result.apiErrorStatus ?? summary.apiError?.status;
    if (apiStatus !== undefined || API_ERROR_TEXT.test(text)) {
      return apiErrorMessage(apiStatus, result.apiErrorType ?? summary.apiError?.type, summary.retries.length, text);
    }
    return text || `Claude Code reported an error (${result.subtype ?? result.terminalReason ?? 'unknown'})`;
  }
  if (result && end.exitCode !== 0) return `Claude Code exited with code ${end.exitCode ?? end.signal}`;
  if (!result) {
    const why = lastLine(end.stderr).slice(0, 500) || summary.apiError?.message;
    return `Claude Code ended without a result (exit ${end.exitCode ?? end.signal})${why ? `: ${why}` : ''}`;
  }
  return undefined;
};

const toOutcome = (summary: StreamSummary, end: Ending): ClaudeRunOutcome => {
  const { result } = summary;
  const stderrTail = tail(end.stderr, STDERR_TAIL_CHARS);
  const errorMessage = errorMessageOf(summary, end);
  const { rateLimited, retryAfterMs } = classifyRateLimit(summary, stderrTail);
  return {
    exitCode: end.exitCode,
    signal: end.signal,
    timedOut: end.timedOut,
    cancelled: end.cancelled,
    resultText: result?.resultText ?? '',
    assistantTexts: summary.assistantTexts,
    ...(result?.structuredOutput !== undefined ? { structuredOutput: result.structuredOutput } : {}),
    isError: errorMessage !== undefined,
    ...(result?.subtype ? { subtype: result.subtype } : {}),
    usage: result?.usage ?? summary.streamedUsage,
    costUsd: result?.costUsd ?? 0,
    numTurns: result?.numTurns ?? summary.assistantMessages,
    durationMs: end.durationMs,
    toolCalls: summary.toolCalls,
    violations: summary.violations,
    rateLimited,
    apiRetries: summary.retries.length,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...(errorMessage !== undefined ? { errorMessage } : {}),
    stderrTail,
    ...(summary.model ? { model: summary.model } : {}),
    nonJsonLines: summary.nonJsonLines,
  };
};

/**
 * Runs `claude -p` once over a workspace with a sandbox profile's flags, and returns
 * what happened, also when it timed out, was cancelled or failed (it throws only for
 * invalid options). The CLI runs in its own process group (`detached`) with a minimal
 * environment; a timeout or an abort kills the whole tree: SIGTERM, then SIGKILL after
 * `killGraceMs`, including the Bash tool's shells, which Claude Code starts in process
 * groups of their own.
 *
 * @example
 * const outcome = await runClaude({
 *   prompt, workspaceDir: '/scratch/repo', sandbox: 'strict', model: 'haiku',
 *   maxTurns: 8, maxBudgetUsd: 0.5, timeoutMs: 300_000,
 * });
 * if (outcome.rateLimited) reschedule(outcome.retryAfterMs);
 */
export const runClaude = async (options: RunClaudeOptions): Promise<ClaudeRunOutcome> => {
  if (options.sandbox === 'disabled' && options.allowDisabledSandbox !== true) throw new DisabledSandboxError();
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) {
    throw new HeadlessError(`timeoutMs must be a positive number, got ${options.timeoutMs}`);
  }
  let workspaceIsDir = false;
  try {
    workspaceIsDir = statSync(options.workspaceDir).isDirectory();
  } catch {
    workspaceIsDir = false;
  }
  if (!workspaceIsDir) throw new HeadlessError(`workspace ${options.workspaceDir} is not a directory`);

  const sourceEnv = options.env ?? process.env;
  // The repository and the working directory: no executable, and no PATH entry, from there.
  const untrustedDirs = [options.workspaceDir, process.cwd()];
  const listedCommands = options.sandbox === 'permissive' ? options.allowedBashCommands ?? [] : [];
  const bashSandboxRequested = options.bashSandbox ?? isEnvFlagOn(sourceEnv[BASH_SANDBOX_ENV]);
  const probe =
    listedCommands.length > 0 && bashSandboxRequested ? await (options.probeBashSandbox ?? probeBashSandbox)(sourceEnv, untrustedDirs) : undefined;
  const bash: BashOffer = decideBashOffer({ commands: listedCommands, sandboxRequested: bashSandboxRequested, ...(probe ? { probe } : {}) });
  const resolveOptions = { overrides: options.modelOverrides, env: sourceEnv };
  const args = buildClaudeArgs({
    sandbox: options.sandbox,
    modelId: resolveModelId(options.model, resolveOptions),
    maxTurns: options.maxTurns,
    maxBudgetUsd: options.maxBudgetUsd,
    jsonSchema: options.jsonSchema,
    allowedBashCommands: options.allowedBashCommands,
    bashSandboxed: bash.offered,
    ...(options.fallbackModel ? { fallbackModelId: resolveModelId(options.fallbackModel, resolveOptions) } : {}),
  });
  const parser = createStreamEventParser({
    removedTools: removedTools(options.sandbox, bash.offered ? listedCommands : []),
    onEvent: options.onEvent,
  });
  const startedAt = Date.now();
  const base = { timeoutMs: options.timeoutMs, exitCode: null, signal: null, timedOut: false, cancelled: false };

  // Said in the outcome whenever commands were allow-listed, offered or not.
  const withBash = (outcome: ClaudeRunOutcome): ClaudeRunOutcome => (listedCommands.length > 0 ? { ...outcome, bash } : outcome);

  const binaryPath = options.binaryPath ?? resolveClaudeBinary(sourceEnv, { untrustedDirs }).path;
  if (!binaryPath) {
    return withBash(toOutcome(parser.summary(), { ...base, spawnError: 'Claude Code CLI not found', stderr: '', durationMs: 0 }));
  }
  if (options.signal?.aborted) {
    return withBash(toOutcome(parser.summary(), { ...base, cancelled: true, stderr: '', durationMs: 0 }));
  }

  const child = spawn(binaryPath, args, {
    cwd: options.workspaceDir,
    env: claudeEnvironment(sourceEnv, { maxRetries: options.maxRetries, passEnv: options.passEnv, untrustedDirs, scrubSubprocessEnv: bash.offered }),
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });

  if (child.pid !== undefined) {
    try {
      options.onSpawn?.(child.pid);
    } catch {
      // Observers must not break the run.
    }
  }
  let stderr = '';
  let spawnError: string | undefined;
  let stopReason: 'timeout' | 'abort' | undefined;
  const snapshot = new Set<number>();
  const timers: NodeJS.Timeout[] = [];
  const graceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;

  const stop = (reason: 'timeout' | 'abort'): void => {
    if (stopReason || child.pid === undefined) return;
    stopReason = reason;
    const pid = child.pid;
    // Snapshot before signalling: once the CLI dies its children are re-parented and lost from view.
    for (const descendant of listDescendants(pid)) snapshot.add(descendant);
    signalProcessTree(pid, [...snapshot], 'SIGTERM');
    timers.push(
      setTimeout(() => {
        if (isProcessAlive(pid)) for (const descendant of listDescendants(pid)) snapshot.add(descendant);
        signalProcessTree(pid, [...snapshot], 'SIGKILL');
      }, graceMs),
    );
  };

  const onAbort = (): void => stop('abort');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  timers.push(setTimeout(() => stop('timeout'), options.timeoutMs));

  child.stdout.on('data', (chunk: Buffer) => parser.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = tail(stderr + chunk.toString('utf8'), STDERR_TAIL_CHARS * 2);
  });
  // The CLI may exit before reading all of a large prompt; a broken pipe is reported through its exit.
  child.stdin.on('error', () => undefined);
  child.stdin.end(options.prompt);

  const ended = await new Promise<{ exitCode: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    let exit: { exitCode: number | null; signal: NodeJS.Signals | null } | undefined;
    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = error.code ?? error.message;
      if (child.pid === undefined) resolve({ exitCode: null, signal: null });
    });
    child.on('exit', (exitCode, signal) => {
      exit = { exitCode, signal };
      // A stopped run's stragglers go at once: the CLI is gone, nothing of the run may outlive it.
      if (stopReason) signalProcessTree(child.pid as number, [...snapshot], 'SIGKILL');
      timers.push(
        setTimeout(() => {
          child.stdout.destroy();
          child.stderr.destroy();
          resolve(exit as { exitCode: number | null; signal: NodeJS.Signals | null });
        }, CLOSE_AFTER_EXIT_MS),
      );
    });
    child.on('close', (exitCode, signal) => resolve(exit ?? { exitCode, signal }));
  });

  for (const timer of timers) clearTimeout(timer);
  options.signal?.removeEventListener('abort', onAbort);
  parser.end();

  return withBash(toOutcome(parser.summary(), {
    ...base,
    ...ended,
    timedOut: stopReason === 'timeout',
    cancelled: stopReason === 'abort',
    ...(spawnError ? { spawnError } : {}),
    stderr,
    durationMs: Date.now() - startedAt,
  }));
};
