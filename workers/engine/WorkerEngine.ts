import path from 'node:path';
import type { ExecutionProfile, HeadlessWorkerDefinition, WorkerDefinition } from '../catalog/types.js';
import { InputError } from '../errors.js';
import { checkClaudeAvailability } from '../headless/index.js';
import { repositoryScopedConfig, type ResolvedConfig } from '../config/index.js';
import { findingsOf, loadRepositorySuppressions, parseConfigSuppressions, trackRunFindings } from '../findings/index.js';
import { localFallbackFor, runLocalWorker } from '../local/registry.js';
import { NO_TOKENS } from '../run/constants.js';
import { expiresAtFor } from '../run/expiry.js';
import { isTighterOrEqual, resolveRun, type ResolvedRun } from '../run/resolveRun.js';
import { newRunId } from '../run/runId.js';
import type { RunResult } from '../run/types.js';
import { FileModelPause, FileSpendLedger, type ModelPause, type SpendLedger } from '../spend/index.js';
import { assertRepository } from '../files/assertRepository.js';
import { ConcurrencyLimiter } from './concurrencyLimiter.js';
import { planRun, type RunPlan } from './planRun.js';
import { runHeadless, scanRecord, SpendCapReached } from './runHeadless.js';
import { decideScanScope, type ScanScope } from './scanScope.js';
import { narrowToBacklog } from '../coverage/narrowToBacklog.js';
import { recordReview } from '../coverage/recordReview.js';
import type { EngineOptions, ExecutionOutcome, RunRequest } from './types.js';

/** How long a local analysis may take before its run ends as TIMED_OUT. */
const DEFAULT_LOCAL_TIMEOUT_MS = 15 * 60_000;

/** Runs at once on one machine when the config says nothing. */
const DEFAULT_CONCURRENCY = 2;

/**
 * Runs one worker against one repository and stores the record: the engine
 * the CLI, the local daemon and the Fargate task runner share. A failure of the
 * worker becomes a FAILED record with the reason; only bad input throws (an
 * InputError whose message names the problem).
 */
export class WorkerEngine {
  readonly ledger: SpendLedger;
  readonly pause: ModelPause;
  readonly limiter: ConcurrencyLimiter<ExecutionProfile>;
  private readonly clock: () => Date;

  constructor(private readonly options: EngineOptions) {
    this.clock = options.clock ?? (() => new Date());
    // Ports: the machine's files by default, the deployment's table when the cloud task injects it.
    this.ledger = options.spendLedger ?? new FileSpendLedger(options.stateDir, { now: this.clock });
    this.pause = options.modelPause ?? new FileModelPause(options.stateDir, { now: this.clock });
    this.limiter =
      options.limiter ??
      new ConcurrencyLimiter<ExecutionProfile>({ globalLimit: options.config.limits.maxConcurrentRuns ?? DEFAULT_CONCURRENCY });
  }

  /** The worker's definition, or an InputError listing the workers that exist. */
  resolveWorker(name: string): WorkerDefinition {
    const def = this.options.config.catalog.get(name);
    if (!def) {
      throw new InputError(`unknown worker "${name}"; known workers: ${[...this.options.config.catalog.keys()].join(', ')}`);
    }
    return def;
  }

  /**
   * The dry run of a headless worker: the prompt it would send, its estimated
   * tokens and cost. Nothing runs, nothing is stored, no slot is taken.
   */
  async plan(request: RunRequest): Promise<RunPlan> {
    this.resolveWorker(request.worker);
    await assertRepository(request.repoDir);
    const scoped = repositoryScopedConfig(this.options.config, request.repoDir);
    const { def, resolved } = this.decide(scoped.config, tightestAsk(request, scoped.config));
    if (def.mode !== 'headless' || resolved.sandbox === null) throw new InputError(`${def.type} is a local worker: it sends nothing to a model and costs no tokens`);
    return planRun({ ...def, sandbox: resolved.sandbox, model: resolved.model ?? def.model }, { ...request, sandbox: resolved.sandbox }, request.target ?? path.basename(path.resolve(request.repoDir)), { ...this.options, config: scoped.config });
  }

  /**
   * The one decision of what a run executes: the worker's definition under the
   * given configuration, and its profile, sandbox and model from `resolveRun`
   * (a request may only tighten). Throws an InputError naming the field.
   */
  private decide(config: ResolvedConfig, request: RunRequest): { def: WorkerDefinition; resolved: ResolvedRun } {
    const def = config.catalog.get(request.worker) ?? this.resolveWorker(request.worker);
    const resolved = resolveRun(
      def,
      { ...(request.mode ? { mode: request.mode } : {}), ...(request.sandbox ? { sandbox: request.sandbox } : {}), ...(request.model ? { model: request.model } : {}) },
      { allowDisabledSandbox: config.allowDisabledSandbox, models: config.models, env: this.options.env ?? process.env },
    );
    return { def, resolved };
  }

  /**
   * Runs a worker and stores its record. The concurrency slot is requested
   * before the first await, so runs requested together queue in call order,
   * highest priority first, whatever their I/O does afterwards.
   */
  run(request: RunRequest): Promise<RunResult> {
    let def: WorkerDefinition;
    let profile: ExecutionProfile;
    try {
      ({ def, resolved: { profile } } = this.decide(this.options.config, request));
    } catch (error) {
      return Promise.reject(error);
    }
    request.onProgress?.({ phase: 'waiting', detail: `waiting for a ${profile} slot` });
    return this.limiter.run(profile, def.priority, (signal) => this.runInSlot({ ...request, signal }), request.signal);
  }

  private async runInSlot(request: RunRequest): Promise<RunResult> {
    await assertRepository(request.repoDir);
    // The repository's own config file is data: it may tighten this run, nothing more.
    const scoped = repositoryScopedConfig(this.options.config, request.repoDir);
    const { def: scopedDef, resolved } = this.decide(scoped.config, tightestAsk(request, scoped.config));
    const def: WorkerDefinition = scopedDef.mode === 'headless' && resolved.sandbox ? { ...scopedDef, sandbox: resolved.sandbox, model: resolved.model ?? scopedDef.model } : scopedDef;
    const runRequest: RunRequest = resolved.sandbox ? { ...request, sandbox: resolved.sandbox } : request;
    const engine: EngineOptions = { ...this.options, config: scoped.config };
    const started = this.clock();
    const runId = request.runId ?? newRunId(def.type, started);
    const target = request.target ?? path.basename(path.resolve(request.repoDir));
    let outcome: ExecutionOutcome;
    try {
      outcome = await this.execute(def, runRequest, target, runId, engine);
    } catch (error) {
      outcome = failedOutcome(def, error);
    }
    const finished = this.clock();
    const draft: RunResult = {
      runId,
      worker: def.type,
      target,
      requestedMode: request.mode ?? def.mode,
      ...outcome,
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs: finished.getTime() - started.getTime(),
      expiresAt: expiresAtFor(finished, this.options.config.resultTtlDays),
      ...(scoped.notes ? { repositoryConfig: scoped.notes } : {}),
    };
    const result = await this.withFindingSummary(draft, request, scoped.suppressionLines);
    request.onProgress?.({ phase: 'storing', detail: `saving run ${runId}` });
    const saved = await this.options.store.save(result);
    return saved.stored ? result : saved.existing;
  }

  /** Applies the run's findings to the tracked set and records what moved. */
  private async withFindingSummary(result: RunResult, request: RunRequest, repositoryConfigLines: readonly string[]): Promise<RunResult> {
    const findingStore = this.options.findingStore;
    if (!findingStore || !findingsOf(result)) return result;
    request.onProgress?.({ phase: 'storing', detail: 'updating tracked findings' });
    try {
      const fromRepository = loadRepositorySuppressions(request.repoDir, repositoryConfigLines, this.options.config.repositorySuppressions);
      const suppressions = [...parseConfigSuppressions(this.options.config.suppressions), ...fromRepository.suppressions];
      const tracked = await trackRunFindings({ result, repoDir: request.repoDir, store: findingStore, suppressions, now: this.clock() });
      const noted: RunResult =
        fromRepository.suppressions.length > 0 || fromRepository.refused.length > 0
          ? { ...result, repositorySuppressions: { applied: fromRepository.suppressions.length, refused: fromRepository.refused } }
          : result;
      return tracked ? { ...noted, findingSummary: tracked.summary } : noted;
    } catch (error) {
      // The run's own result is kept whatever happens to tracking (e.g. a bad suppressions line).
      const reason = `findings were not tracked: ${error instanceof Error ? error.message : String(error)}`;
      return { ...result, error: result.error ? `${result.error}; ${reason}` : reason };
    }
  }

  private async execute(def: WorkerDefinition, request: RunRequest, target: string, runId: string, engine: EngineOptions): Promise<ExecutionOutcome> {
    if (def.mode === 'local') return this.local(def, request, target);
    const decision = await this.decideHeadless(def, request, engine.config);
    if (decision.run === 'headless') {
      const decided = await decideScanScope({
        worker: def.type,
        target,
        repoDir: request.repoDir,
        store: this.options.store,
        config: engine.config,
        forceFull: request.fullScan === true,
        now: this.clock(),
        ...(request.fetchCommit ? { fetchCommit: request.fetchCommit } : {}),
      });
      // Review backlog (issue 18, workers/coverage): an incremental run takes files changed since review, then never-reviewed ones.
      const reviewLedger = this.options.reviewLedger;
      const scope = reviewLedger ? await narrowToBacklog(decided, { def, target, repoDir: request.repoDir, stateDir: this.options.stateDir, ledger: reviewLedger }) : decided;
      if (scope.kind === 'incremental' && scope.changedFiles === 0) return nothingChanged(def, scope);
      const headless = runHeadless({
        def,
        request,
        target,
        runId,
        engine,
        ledger: this.ledger,
        pause: this.pause,
        binaryPath: decision.binaryPath,
        scope,
      });
      try {
        const outcome = await headless;
        if (reviewLedger) await recordReview(reviewLedger, { outcome, target, worker: def.type, runId, repoDir: request.repoDir, now: this.clock() });
        return outcome;
      } catch (error) {
        if (!(error instanceof SpendCapReached)) throw error;
        if (request.mode === 'headless') return failedOutcome(def, new Error(`--headless was requested but ${error.message}`));
        return this.local(def, request, target, error.message);
      }
    }
    if (decision.run === 'fail') return failedOutcome(def, new Error(decision.reason));
    return this.local(def, request, target, decision.reason);
  }

  /**
   * Headless when Claude Code, credentials, the rate-limit pause and the spend
   * caps all allow it; otherwise the local analysis with the reason recorded.
   */
  private async decideHeadless(
    def: HeadlessWorkerDefinition,
    request: RunRequest,
    config: ResolvedConfig,
  ): Promise<{ run: 'headless'; binaryPath: string } | { run: 'local'; reason?: string } | { run: 'fail'; reason: string }> {
    if (request.mode === 'local') return { run: 'local' };
    // The repository under analysis is never a place to find the binary in, even on PATH.
    const availability = checkClaudeAvailability(this.options.env ?? process.env, { untrustedDirs: [request.repoDir] });
    let reason: string | undefined;
    if (!availability.available || !availability.binaryPath) reason = availability.reason ?? 'Claude Code is not available';
    else {
      const paused = await this.pause.currentPause();
      if (paused) reason = `headless runs are paused until ${paused.pausedUntil.toISOString()}: ${paused.reason}`;
      else {
        const verdict = await this.ledger.check(config.limits);
        if (!verdict.allowed) reason = verdict.reason;
      }
    }
    if (reason === undefined) return { run: 'headless', binaryPath: availability.binaryPath! };
    if (request.mode === 'headless') return { run: 'fail', reason: `--headless was requested but ${reason}` };
    return { run: 'local', reason };
  }

  /** The local analysis; `headlessUnavailable` says why a headless worker could not run headless. */
  private async local(def: WorkerDefinition, request: RunRequest, target: string, headlessUnavailable?: string): Promise<ExecutionOutcome> {
    const implementation = def.mode === 'local' ? def.type : localFallbackFor(def.type);
    // Said only when a local analysis really runs: a worker without one is skipped, and says that alone.
    const fallbackReason = headlessUnavailable && implementation ? `${def.type} ran its local analysis: ${headlessUnavailable}` : undefined;
    const base = {
      mode: 'local' as const,
      outputFormat: 'json' as const,
      tokens: NO_TOKENS,
      costUsd: 0,
      model: null,
      sandboxMode: null,
      numTurns: 0,
      violations: [],
      ...(fallbackReason ? { fallbackReason } : {}),
    };
    if (!implementation) {
      const message = `${def.type} has no local equivalent: it needs Claude Code and credentials (ANTHROPIC_API_KEY, or CLAUDE_CODE_USE_BEDROCK=1 with AWS credentials)${headlessUnavailable ? `, and here ${headlessUnavailable}` : ''}; it was not run`;
      return { ...base, status: 'SKIPPED', success: false, output: JSON.stringify({ skipped: true, reason: message }), parsedOutput: { skipped: true, reason: message }, error: message };
    }
    request.onProgress?.({ phase: 'local', detail: `running ${implementation} locally` });
    // A local analysis has a deadline too: whatever the repository holds, the run ends and says why.
    const timeoutMs = this.options.localTimeoutMs ?? DEFAULT_LOCAL_TIMEOUT_MS;
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
    const timedOut = new Promise<'timed-out'>((resolve) => deadline.addEventListener('abort', () => resolve('timed-out'), { once: true }));
    const output = await Promise.race([
      runLocalWorker(implementation, { repoDir: request.repoDir, target, store: this.options.store, stateDir: this.options.stateDir, config: this.options.config, now: this.clock(), signal }),
      timedOut,
    ]).catch((error: unknown) => {
      if (deadline.aborted) return 'timed-out' as const;
      throw error;
    });
    if (output === 'timed-out') {
      const error = `the local ${implementation} analysis did not finish within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`} and was stopped`;
      return { ...base, status: 'TIMED_OUT', success: false, output: '', error };
    }
    // A local analysis that could not read part of the tree says so in its output: the run is INCOMPLETE, not SUCCEEDED.
    const incomplete = (output as { incomplete?: unknown } | null)?.incomplete;
    if (typeof incomplete === 'string' && incomplete) {
      return { ...base, status: 'INCOMPLETE', success: false, output: JSON.stringify(output, null, 2), parsedOutput: output, error: `incomplete: ${incomplete}` };
    }
    return { ...base, status: 'SUCCEEDED', success: true, output: JSON.stringify(output, null, 2), parsedOutput: output };
  }
}

/**
 * The request with its sandbox no looser than the worker's under `config`: a caller's
 * sandbox was checked against the operator's catalog, and the repository may have
 * tightened the worker since; the tighter of the two runs.
 */
function tightestAsk(request: RunRequest, config: ResolvedConfig): RunRequest {
  const def = config.catalog.get(request.worker);
  if (!request.sandbox || def?.mode !== 'headless' || isTighterOrEqual(request.sandbox, def.sandbox)) return request;
  return { ...request, sandbox: def.sandbox };
}

/** An incremental run with no changed file: nothing to send, findings carried over as they are. */
function nothingChanged(def: HeadlessWorkerDefinition, scope: ScanScope): ExecutionOutcome {
  const reviewed = scope.unchangedByContent ? ` that was not already reviewed (${scope.unchangedByContent} changed file(s) have the content a run already showed the model)` : '';
  const reason = `nothing changed since commit ${scope.baseCommit?.slice(0, 12)}${reviewed}: no model call; findings carried over (run --full for a baseline)`;
  return {
    mode: 'headless',
    status: 'SKIPPED',
    success: false,
    outputFormat: def.outputFormat,
    output: '',
    error: reason,
    tokens: NO_TOKENS,
    costUsd: 0,
    model: null,
    sandboxMode: def.sandbox,
    numTurns: 0,
    violations: [],
    scan: scanRecord(scope),
  };
}

function failedOutcome(def: WorkerDefinition, error: unknown): ExecutionOutcome {
  return {
    mode: def.mode,
    status: 'FAILED',
    success: false,
    outputFormat: def.outputFormat,
    output: '',
    error: error instanceof Error ? error.message : String(error),
    tokens: NO_TOKENS,
    costUsd: 0,
    model: null,
    sandboxMode: def.mode === 'headless' ? def.sandbox : null,
    numTurns: 0,
    violations: [],
  };
}
