import { randomUUID } from 'node:crypto';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ExecutionProfile } from '../../workers/catalog/types.js';
import type { ResolvedConfig } from '../../workers/config/index.js';
import { parseConfig } from '../../workers/config/loadConfig.js';
import type { DispatcherResponse, DispatchResponse, DryRunResponse, ErrorResponse, JsonLogger, ReconcileResponse } from '../../workers/cloudRuntime/index.js';
import { DynamoRunTable } from '../../workers/cloudRuntime/DynamoRunTable.js';
import { IdempotencyKeys } from '../../workers/cloudRuntime/IdempotencyKeys.js';
import { createJsonLogger } from '../../workers/cloudRuntime/jsonLogger.js';
import { RunRecords } from '../../workers/cloudRuntime/RunRecords.js';
import { ConfigError } from '../../workers/errors.js';
import { closeAbandonedRuns } from './closeAbandonedRuns.js';
import { deployedProfiles, type DispatcherSettings } from './dispatcherSettings.js';
import { dryRunResponse } from './dryRunResponse.js';
import { ensureCapacity } from './ensureCapacity.js';
import { cloudTargetsOf, lanesOf } from './lanes.js';
import { parseRequest } from './parseRequest.js';
import { planRuns } from './planRuns.js';
import { queueRuns } from './queueRuns.js';
import { readResults, readRun } from './readResults.js';
import { readStatus } from './readStatus.js';
import type { DispatchRequest, InvocationContext } from './types.js';

/** The clients and settings a dispatcher works with (created once per Lambda container). */
export interface DispatcherDeps {
  readonly settings: DispatcherSettings;
  readonly sqs: SQSClient;
  readonly ecs: ECSClient;
  readonly documentClient: DynamoDBDocumentClient;
  readonly clock?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: JsonLogger;
}

/** The dispatcher as a function of (payload, context): what the Lambda handler calls. */
export type Dispatcher = (payload: unknown, context?: InvocationContext) => Promise<DispatcherResponse>;

/**
 * Builds the dispatcher: parses the payload, then queues runs (schedule tick,
 * manual run), starts tasks (after queuing, and on reconcile), or answers
 * status and results queries. Bad input gets `{ error: { field, message,
 * allowed? } }` and queues nothing; only infrastructure failures throw.
 *
 * @example
 * const dispatch = createDispatcher({ settings, sqs, ecs, documentClient });
 * await dispatch({ worker: 'audit', target: 'api' }); // { runIds: [...], queued: 1, tasksStarted: 1 }
 */
export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  const config = loadRuntimeConfig(deps.settings.configJson);
  const clock = deps.clock ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const log = deps.log ?? createJsonLogger({ base: { component: 'dispatcher' } });
  const resultTtlDays = deps.settings.resultTtlDays ?? config.resultTtlDays;
  const deployed = deployedProfiles(deps.settings);
  const targets = cloudTargetsOf(config);
  const lanes = lanesOf(deps.settings);
  // Records only, no S3 client: the dispatcher's answers leave outputs in S3 (`outputLocation`) and
  // the records it writes (runs it could not queue) hold no output.
  const store = new DynamoRunTable({ documentClient: deps.documentClient, tableName: deps.settings.tableName, workers: [...config.catalog.keys()], clock });
  const records = new RunRecords({ documentClient: deps.documentClient, tableName: deps.settings.tableName, resultTtlDays, clock });
  const keys = new IdempotencyKeys({ documentClient: deps.documentClient, tableName: deps.settings.tableName, clock });

  const capacity = (profile: ExecutionProfile, justQueued: ReadonlyMap<string, number>, reason: string, owner: string) =>
    ensureCapacity(profile, { justQueued, reason }, { ...deps, targets, owner, clock, sleep, log });

  async function dispatchRuns(
    request: Extract<DispatchRequest, { kind: 'schedule' | 'run' }>,
    context: InvocationContext,
  ): Promise<DispatchResponse | DryRunResponse | ErrorResponse> {
    const plan = planRuns(request, config, deployed);
    if ('problem' in plan) return { error: plan.problem };
    if (request.kind === 'run' && request.dryRun) {
      log.info('dry run: nothing queued', { worker: request.worker, runs: plan.runs.length });
      return dryRunResponse(plan.runs, config, lanes);
    }
    const idempotencyBase = idempotencyBaseOf(request, context, config, clock());
    const tryLifetimeMs = context.getRemainingTimeInMillis?.();
    const outcome = await queueRuns(plan.runs, { source: request.kind === 'schedule' ? 'schedule' : 'manual', ...(idempotencyBase ? { idempotencyBase } : {}), ...(tryLifetimeMs ? { tryLifetimeMs } : {}) }, {
      sqs: deps.sqs,
      records,
      keys,
      store,
      lanes,
      resultTtlDays,
      clock,
      sleep,
      log,
    });
    const perProfile = new Map<ExecutionProfile, Map<string, number>>();
    for (const run of outcome.sent) {
      const byTarget = perProfile.get(run.profile) ?? new Map<string, number>();
      byTarget.set(run.target, (byTarget.get(run.target) ?? 0) + 1);
      perProfile.set(run.profile, byTarget);
    }
    let tasksStarted = 0;
    const taskWarnings: string[] = [];
    const owner = context.awsRequestId ?? randomUUID();
    for (const [profile, count] of perProfile) {
      try {
        const started = await capacity(profile, count, request.kind === 'schedule' ? 'schedule' : 'manual', owner);
        tasksStarted += started.started.length;
        taskWarnings.push(...started.problems.map((p) => `${profile}: ${p}`));
      } catch (error) {
        // The messages are safe in their queue: reconcile starts the tasks later.
        log.warn('could not start tasks', { profile, error });
        taskWarnings.push(`${profile}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    log.info('runs queued', { kind: request.kind, worker: request.worker, queued: outcome.sent.length, alreadyQueued: outcome.alreadyQueued.length, failed: outcome.failed.length, tasksStarted });
    return {
      runIds: [...outcome.sent.map((r) => r.runId), ...outcome.alreadyQueued],
      queued: outcome.sent.length,
      tasksStarted,
      ...(outcome.alreadyQueued.length > 0 ? { alreadyQueued: outcome.alreadyQueued } : {}),
      ...(outcome.failed.length > 0 ? { failed: outcome.failed } : {}),
      ...(taskWarnings.length > 0 ? { taskWarnings } : {}),
    };
  }

  async function reconcile(context: InvocationContext): Promise<ReconcileResponse> {
    const owner = context.awsRequestId ?? randomUUID();
    const reconciled = await Promise.all(deployed.map((profile) => capacity(profile, new Map(), 'reconcile', owner)));
    const tasksStarted = reconciled.reduce((sum, r) => sum + r.started.length, 0);
    if (tasksStarted > 0) log.info('reconcile started tasks', { tasksStarted });
    // Runs whose every delivery is over get their final record here (one query of the status index).
    const closedRuns = await closeAbandonedRuns({ sqs: deps.sqs, records, store, settings: deps.settings, resultTtlDays, clock, log }).catch((error: unknown) => {
      log.warn('could not look for abandoned runs; the next reconcile tries again', { error });
      return [];
    });
    return { reconciled, tasksStarted, ...(closedRuns.length > 0 ? { closedRuns } : {}) };
  }

  return async (payload, context = {}) => {
    const parsed = parseRequest(payload);
    if (!parsed.ok) {
      log.info('request refused', { problem: parsed.problem });
      return { error: parsed.problem };
    }
    const request = parsed.request;
    switch (request.kind) {
      case 'schedule':
      case 'run':
        return dispatchRuns(request, context);
      case 'reconcile':
        return reconcile(context);
      case 'status':
        return readStatus({ sqs: deps.sqs, ecs: deps.ecs, store, records, settings: deps.settings, config, clock });
      case 'results':
        return readResults(request, { store, config });
      case 'result':
        return readRun(request.runId, { store });
    }
  };
}

function loadRuntimeConfig(json: string): ResolvedConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new ConfigError(`HW_CONFIG is not valid JSON: ${(error as Error).message}`);
  }
  return parseConfig(raw, 'HW_CONFIG');
}

/**
 * The idempotency key base of a request, or none. A schedule tick is keyed by
 * its scheduled time when the schedule sends it (`<aws.scheduler.scheduled-time>`),
 * else by the Lambda request id (the same on Lambda's own retries of an
 * asynchronous invocation), else by the worker's interval slot. A manual run
 * is keyed by the caller's `idempotencyKey`, else by the request id.
 */
export function idempotencyBaseOf(
  request: Extract<DispatchRequest, { kind: 'schedule' | 'run' }>,
  context: InvocationContext,
  config: ResolvedConfig,
  now: Date,
): string | undefined {
  if (request.kind === 'schedule') {
    if (request.scheduledTime) return `schedule#${new Date(request.scheduledTime).toISOString()}`;
    if (context.awsRequestId) return `schedule#request:${context.awsRequestId}`;
    const interval = config.catalog.get(request.worker)?.intervalMs ?? 60_000;
    return `schedule#slot:${Math.floor(now.getTime() / interval) * interval}`;
  }
  if (request.idempotencyKey) return `manual#${request.idempotencyKey}`;
  return context.awsRequestId ? `invoke#${context.awsRequestId}` : undefined;
}
