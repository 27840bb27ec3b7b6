import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { EXECUTION_PROFILES, PRIORITIES } from '../workers/catalog/constants.js';
import type { ExecutionProfile, Priority } from '../workers/catalog/types.js';
import { ENV } from '../workers/cloud/index.js';
import { TARGET_NAME_PATTERN } from '../workers/cloudRuntime/taskMessage.js';
import { ConfigError } from '../workers/errors.js';
import { DEFAULT_TARBALL_LIMITS } from './workspace/extractTarball.js';
import { DEFAULT_GIT_PROTOCOLS } from './workspace/gitSource.js';

/**
 * Tuning variables of the runner beyond the shared `ENV` contract; the
 * defaults suit production, tests shorten them.
 */
export const RUNNER_ENV = {
  /** Long-poll wait per queue and round, 1-20 s (default 2). */
  pollWaitSeconds: 'HW_POLL_WAIT_SECONDS',
  /** After SIGTERM, exit at the latest after this long (default 100 s, inside Fargate's 120 s stop timeout). */
  stopGraceSeconds: 'HW_STOP_GRACE_SECONDS',
  /** Most bytes a snapshot may unpack to (default 512 MiB). */
  snapshotMaxBytes: 'HW_SNAPSHOT_MAX_BYTES',
  /** Transports a git clone may use, comma-separated (default https). */
  gitProtocols: 'HW_GIT_PROTOCOLS',
  /** How long a result refused by S3 or DynamoDB is retried before the run is recorded FAILED (default 120 s). */
  storeRetrySeconds: 'HW_STORE_RETRY_SECONDS',
} as const;

const number = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z.object({
  [ENV.profile]: z.enum(EXECUTION_PROFILES, { error: `must be one of ${EXECUTION_PROFILES.join(', ')}` }),
  [ENV.queueUrls]: z.string({ error: 'is required' }),
  [ENV.target]: z.string().regex(TARGET_NAME_PATTERN, { error: 'must be a target name (1-64 letters, digits, ".", "_" or "-")' }).optional(),
  [ENV.tableName]: z.string({ error: 'is required' }).min(1),
  [ENV.bucketName]: z.string({ error: 'is required' }).min(1),
  [ENV.s3ThresholdBytes]: number(1024, 350_000).default(64 * 1024),
  [ENV.resultTtlDays]: number(1, 3650).optional(),
  [ENV.config]: z.string().default('{}'),
  [ENV.scratchDir]: z.string().min(1).default(path.join(os.tmpdir(), 'hw-scratch')),
  [ENV.idleExitSeconds]: number(1, 86_400).default(120),
  [ENV.awsEndpoint]: z.url().optional(),
  [ENV.findingsEventBus]: z.string().regex(/^[\w.\-/:]{1,1600}$/, { error: 'must be an EventBridge bus name or ARN' }).optional(),
  [RUNNER_ENV.pollWaitSeconds]: number(1, 20).default(2),
  [RUNNER_ENV.stopGraceSeconds]: number(1, 600).default(100),
  [RUNNER_ENV.snapshotMaxBytes]: number(1024, 64 * 1024 ** 3).default(DEFAULT_TARBALL_LIMITS.maxBytes),
  [RUNNER_ENV.gitProtocols]: z.string().default(DEFAULT_GIT_PROTOCOLS.join(',')),
  [RUNNER_ENV.storeRetrySeconds]: number(0, 3600).default(120),
});

/** What a task runner is configured with, read once at start. */
export interface RunnerSettings {
  readonly profile: ExecutionProfile;
  /** The one target this task serves; messages for another are refused. */
  readonly target?: string;
  /** This task's work queues (its profile's, for its target). */
  readonly queueUrls: Readonly<Record<Priority, string>>;
  readonly tableName: string;
  readonly bucketName: string;
  readonly s3ThresholdBytes: number;
  readonly resultTtlDays?: number;
  readonly configJson: string;
  readonly scratchDir: string;
  readonly idleExitMs: number;
  readonly awsEndpoint?: string;
  /** Bus of the finding events; none: no events are put. */
  readonly findingsEventBus?: string;
  readonly pollWaitSeconds: number;
  readonly stopGraceMs: number;
  readonly snapshotMaxBytes: number;
  readonly gitProtocols: readonly string[];
  readonly storeRetryMs: number;
}

/**
 * Reads the task's environment (the task definition's variables and the
 * RunTask overrides); throws a ConfigError naming each bad variable.
 *
 * @example
 * const settings = readRunnerSettings(process.env);
 */
export function readRunnerSettings(env: NodeJS.ProcessEnv): RunnerSettings {
  const parsed = schema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  let queueUrls: Record<Priority, string> | undefined;
  if (parsed.success) {
    const profile = parsed.data[ENV.profile];
    try {
      const all = JSON.parse(parsed.data[ENV.queueUrls]) as Record<string, Record<string, unknown>>;
      const own = all?.[profile];
      const urls = PRIORITIES.map((p) => own?.[p]);
      if (urls.every((u): u is string => typeof u === 'string' && u.length > 0)) {
        queueUrls = Object.fromEntries(PRIORITIES.map((p, i) => [p, urls[i]])) as Record<Priority, string>;
      } else {
        problems.push(`${ENV.queueUrls}: needs a URL for each priority (${PRIORITIES.join(', ')}) of profile "${profile}"`);
      }
    } catch {
      problems.push(`${ENV.queueUrls}: is not valid JSON`);
    }
  }
  if (!parsed.success || !queueUrls || problems.length > 0) {
    throw new ConfigError(`The task's environment is incomplete (a deployment problem):\n${problems.map((p) => `  - ${p}`).join('\n')}`, problems);
  }
  const e = parsed.data;
  return {
    profile: e[ENV.profile],
    ...(e[ENV.target] ? { target: e[ENV.target] } : {}),
    queueUrls,
    tableName: e[ENV.tableName],
    bucketName: e[ENV.bucketName],
    s3ThresholdBytes: e[ENV.s3ThresholdBytes],
    ...(e[ENV.resultTtlDays] !== undefined ? { resultTtlDays: e[ENV.resultTtlDays] } : {}),
    configJson: e[ENV.config],
    scratchDir: path.resolve(e[ENV.scratchDir]),
    idleExitMs: e[ENV.idleExitSeconds] * 1000,
    ...(e[ENV.awsEndpoint] ? { awsEndpoint: e[ENV.awsEndpoint] } : {}),
    ...(e[ENV.findingsEventBus] ? { findingsEventBus: e[ENV.findingsEventBus] } : {}),
    pollWaitSeconds: e[RUNNER_ENV.pollWaitSeconds],
    stopGraceMs: e[RUNNER_ENV.stopGraceSeconds] * 1000,
    snapshotMaxBytes: e[RUNNER_ENV.snapshotMaxBytes],
    gitProtocols: e[RUNNER_ENV.gitProtocols].split(',').map((p) => p.trim()).filter(Boolean),
    storeRetryMs: e[RUNNER_ENV.storeRetrySeconds] * 1000,
  };
}
