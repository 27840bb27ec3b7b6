import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { EXECUTION_PROFILES, MINUTE_MS } from '../workers/catalog/index.js';
import type { ExecutionProfile } from '../workers/catalog/index.js';
import { CONFIG_FILE_NAME, formatIssues, parseConfig, type ResolvedConfig } from '../workers/config/index.js';
import { DEFAULT_STACK_NAME } from '../workers/cloud/index.js';
import { ConfigError } from '../workers/errors.js';

/**
 * A Bedrock model reference Claude Code can call: a cross-region inference profile id
 * (`us.anthropic.claude-…`, `eu.`, `apac.`, `jp.`, `au.`, `us-gov.`, `global.`), a model id
 * (`anthropic.claude-…`), or an inference profile ARN (system-defined or application).
 */
export const BEDROCK_MODEL_REFERENCE =
  /^((?:[a-z]{2,6}(?:-gov)?\.)?anthropic\.claude[\w.:-]*|arn:aws[\w-]*:bedrock:[a-z0-9-]+:\d{12}:(?:inference-profile\/[\w.:-]+|application-inference-profile\/[a-z0-9]+))$/;

/** A KMS key ARN (single- or multi-Region key). */
const KMS_KEY_ARN = /^arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:key\/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;

/** Secret name the API-key mode reads when the deploy config names none. */
export const DEFAULT_API_KEY_SECRET_NAME = 'headless-workers/anthropic-api-key';

/** Retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** vCPU units Fargate offers (1024 = 1 vCPU). */
export const FARGATE_CPU_UNITS = [256, 512, 1024, 2048, 4096, 8192, 16384] as const;

/** Memory (MiB) Fargate accepts for each CPU size: [min, max, step]. */
const FARGATE_MEMORY_MIB: Record<(typeof FARGATE_CPU_UNITS)[number], readonly [number, number, number]> = {
  256: [512, 2048, 512],
  512: [1024, 4096, 1024],
  1024: [2048, 8192, 1024],
  2048: [4096, 16384, 1024],
  4096: [8192, 30720, 1024],
  8192: [16384, 61440, 4096],
  16384: [32768, 122880, 8192],
};

/** Allowed Fargate memory sizes for a CPU size, for error messages and checks. */
export function fargateMemoryChoices(cpu: (typeof FARGATE_CPU_UNITS)[number]): number[] {
  const [min, max, step] = FARGATE_MEMORY_MIB[cpu];
  // 256 CPU units accept 512, 1024 and 2048 only (the step is not uniform there).
  if (cpu === 256) return [512, 1024, 2048];
  const choices: number[] = [];
  for (let mib = min; mib <= max; mib += step) choices.push(mib);
  return choices;
}

const wholeNumber = z.number().int({ error: 'must be a whole number' });
const concurrencyCap = wholeNumber.min(1, { error: 'must be at least 1' }).max(100, { error: 'must be at most 100' });

const taskSizeSchema = z
  .strictObject({
    cpu: z.literal(FARGATE_CPU_UNITS),
    memoryMiB: wholeNumber.positive({ error: 'must be greater than 0' }),
  })
  .superRefine((size, ctx) => {
    const choices = fargateMemoryChoices(size.cpu);
    if (!choices.includes(size.memoryMiB)) {
      const shown = choices.length > 8 ? `${choices[0]} to ${choices.at(-1)} in steps of ${choices[1]! - choices[0]!}` : choices.join(', ');
      ctx.addIssue({ code: 'custom', path: ['memoryMiB'], message: `Fargate with cpu ${size.cpu} accepts ${shown}` });
    }
  });

/** Default task size of each profile: headless profiles run Claude Code (a native binary) next to the runner. */
export const DEFAULT_TASK_SIZES: Record<ExecutionProfile, { cpu: (typeof FARGATE_CPU_UNITS)[number]; memoryMiB: number }> = {
  local: { cpu: 512, memoryMiB: 1024 },
  strict: { cpu: 1024, memoryMiB: 2048 },
  // Permissive workers may run the repository's tests (`npm test`): more room.
  permissive: { cpu: 2048, memoryMiB: 4096 },
  disabled: { cpu: 2048, memoryMiB: 4096 },
};

/** Default cap on running tasks per profile. */
export const DEFAULT_CONCURRENCY: Record<ExecutionProfile, number> = { local: 2, strict: 2, permissive: 2, disabled: 1 };

const apiKeyAuthSchema = z.strictObject({
  mode: z.literal('api-key'),
  /**
   * The Secrets Manager secret holding the Anthropic API key as its plain
   * string value: a full or partial ARN, or a name in the stack's account and region.
   */
  apiKeySecret: z
    .string()
    .regex(/^(arn:aws[\w-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+|[\w/+=.@-]{1,512})$/, {
      error: 'must be a Secrets Manager secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME) or a secret name',
    })
    .default(DEFAULT_API_KEY_SECRET_NAME),
});

const bedrockAuthSchema = z.strictObject({
  mode: z.literal('bedrock'),
  /**
   * Bedrock id for a first-party model id the workers use, e.g.
   * `{"claude-haiku-5-5": "eu.anthropic.claude-haiku-5-5"}`: an inference profile id or ARN.
   * Overrides the default mapping (infra/bedrockModels.ts), which prefixes the Bedrock model id
   * with the geography of the stack's region.
   */
  modelIds: z
    .record(
      z.string(),
      z.string().regex(BEDROCK_MODEL_REFERENCE, {
        error: 'must be a Bedrock inference profile id such as eu.anthropic.claude-haiku-5-5, or an inference profile ARN',
      }),
    )
    .superRefine((ids, ctx) => {
      for (const key of Object.keys(ids)) {
        if (!/^claude-[a-z0-9.-]+$/.test(key)) {
          ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" must be a first-party model id such as claude-haiku-5-5 (the id the workers resolve an alias to)` });
        }
      }
    })
    .default({}),
});

const createVpcSchema = z
  .strictObject({
    mode: z.literal('create'),
    maxAzs: wholeNumber.min(1, { error: 'must be 1, 2 or 3' }).max(3, { error: 'must be 1, 2 or 3' }).default(2),
    natGateways: wholeNumber.min(0, { error: 'must be 0 or more' }).max(3, { error: 'must be at most 3' }).default(0),
  })
  .superRefine((vpc, ctx) => {
    if (vpc.natGateways > vpc.maxAzs) {
      ctx.addIssue({ code: 'custom', path: ['natGateways'], message: `must be at most maxAzs (${vpc.maxAzs}): one NAT gateway per zone at most` });
    }
  });

const importVpcSchema = z.strictObject({
  mode: z.literal('import'),
  vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, { error: 'must be a VPC id such as vpc-0123456789abcdef0' }),
  subnetIds: z
    .array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { error: 'must be a subnet id such as subnet-0123456789abcdef0' }))
    .min(1, { error: 'must list at least one subnet' }),
  /**
   * Required: true when the subnets are public and have no NAT (tasks then need a public IP to
   * pull the image and reach the model API), false when they reach the internet through a NAT
   * gateway or VPC endpoints. Without it RunTask succeeds but the image never pulls.
   */
  assignPublicIp: z.boolean().optional(),
}).superRefine((vpc, ctx) => {
  if (vpc.assignPublicIp === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['assignPublicIp'],
      message:
        'required for an imported VPC: true when the subnets are public without a NAT gateway (tasks need a public IP to pull the image), false when they reach the internet through NAT or VPC endpoints',
    });
  }
})
  // Present after the check above: the type says so.
  .transform((vpc) => ({ ...vpc, assignPublicIp: vpc.assignPublicIp ?? false }));

/** Error of a discriminated union whose discriminator is missing or unknown: name the allowed values. */
function oneOf(values: readonly string[]) {
  return { error: (issue: { code: string }) => (issue.code === 'invalid_union' ? `must be one of ${values.join(', ')}` : undefined) };
}

/**
 * The `deploy` section of `headless-workers.config.json` (or of the cdk.json
 * context key `deploy`): everything `cdk deploy` needs beyond the catalog.
 *
 * @example
 * deployConfigSchema.parse({ auth: { mode: 'bedrock' }, budget: { monthlyUsd: 50, emails: ['ops@example.com'] } });
 */
export const deployConfigSchema = z.strictObject({
  stackName: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,47}$/, { error: 'must start with a letter and hold at most 48 letters, digits or "-"' })
    .default(DEFAULT_STACK_NAME),
  /** How Claude Code authenticates: an Anthropic API key from Secrets Manager, or Bedrock through the task role. */
  auth: z
    .discriminatedUnion('mode', [apiKeyAuthSchema, bedrockAuthSchema], oneOf(['api-key', 'bedrock']))
    .prefault({ mode: 'api-key' }),
  /** Cap on running Fargate tasks per profile. */
  concurrency: z
    .strictObject({
      local: concurrencyCap.optional(),
      strict: concurrencyCap.optional(),
      permissive: concurrencyCap.optional(),
      disabled: concurrencyCap.optional(),
    } satisfies Record<ExecutionProfile, unknown>)
    .prefault({}),
  /** Fargate size per profile (defaults: DEFAULT_TASK_SIZES). */
  tasks: z
    .strictObject({
      local: taskSizeSchema.optional(),
      strict: taskSizeSchema.optional(),
      permissive: taskSizeSchema.optional(),
      disabled: taskSizeSchema.optional(),
    } satisfies Record<ExecutionProfile, unknown>)
    .prefault({}),
  /**
   * Outputs larger than this go to S3 (claim check). DynamoDB items stop at
   * 400 KB and every 4 KB read from the table is one read unit, so the default
   * keeps items small: S3 is the cheaper place for anything bigger.
   */
  s3ThresholdBytes: wholeNumber
    .min(1024, { error: 'must be at least 1024' })
    .max(350_000, { error: 'must be at most 350000 (a DynamoDB item holds at most 400 KB, keys and metadata included)' })
    .default(64 * 1024),
  /** An AWS Budgets cost budget for the account, with notifications at 80 % actual and 100 % forecast. */
  budget: z
    .strictObject({
      monthlyUsd: z.number().positive({ error: 'must be greater than 0' }),
      emails: z.array(z.email({ error: 'must be an e-mail address' })).max(10, { error: 'at most 10 addresses' }).default([]),
    })
    .optional(),
  alarms: z
    .strictObject({
      /** An existing SNS topic that receives every alarm (and budget notification). */
      topicArn: z
        .string()
        .regex(/^arn:aws[\w-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/, { error: 'must be an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:alerts' })
        .optional(),
      /** Share of failed runs in an hour that raises the failure-rate alarm. */
      failureRate: z.number().gt(0, { error: 'must be greater than 0' }).max(1, { error: 'must be at most 1' }).default(0.25),
    })
    .prefault({}),
  /**
   * Where the tasks run. `create` (default) makes a VPC with public subnets
   * and no NAT gateway; `import` uses subnets you already have.
   */
  vpc: z.discriminatedUnion('mode', [createVpcSchema, importVpcSchema], oneOf(['create', 'import'])).prefault({ mode: 'create' }),
  logRetentionDays: z.literal(LOG_RETENTION_DAYS).default(30),
  /** CPU architecture of the worker image and tasks; arm64 (Graviton) is about 20 % cheaper per vCPU-hour. */
  workerArchitecture: z.enum(['arm64', 'x86_64']).default('arm64'),
  /**
   * Base image of the worker image, pinned by digest (default: DEFAULT_NODE_IMAGE in
   * infra/constructs/WorkerImage.ts). It must provide Node.js 22 or newer on Debian (apt-get).
   */
  workerBaseImage: z
    .string()
    .regex(/^[\w.\-/:]+@sha256:[0-9a-f]{64}$/, { error: 'must be an image reference pinned by digest, such as node:22-bookworm-slim@sha256:<64 hex digits>' })
    .optional(),
  /** A task exits after this long without a message. */
  idleExitSeconds: wholeNumber.min(10, { error: 'must be at least 10' }).max(3600, { error: 'must be at most 3600' }).default(120),
  /**
   * An existing EventBridge bus (name, or ARN for another account's bus) that
   * receives an event per new or returned finding (detail-type `Finding New` /
   * `Finding Returned`, source `headless-workers`). Unset: no events.
   */
  findingsEventBus: z
    .string()
    .regex(/^(arn:aws[\w-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[\w.\-/]{1,256}|[\w.\-/]{1,256})$/, {
      error: 'must be an EventBridge bus name (letters, digits, ".", "-", "_", "/") or a bus ARN such as arn:aws:events:eu-west-1:123456789012:event-bus/findings',
    })
    .optional(),
  /**
   * The customer-managed KMS key that encrypts the secrets the tasks read (the API key, git
   * tokens), if not the AWS-managed `aws/secretsmanager` key: its readers get kms:Decrypt on it
   * through Secrets Manager only.
   */
  secretsKmsKeyArn: z
    .string()
    .regex(KMS_KEY_ARN, { error: 'must be a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' })
    .optional(),
  /** How often the dispatcher reconciles queued work with running tasks. */
  reconcileMinutes: wholeNumber.min(1, { error: 'must be at least 1' }).max(60, { error: 'must be at most 60' }).default(5),
});

export type DeployConfig = z.infer<typeof deployConfigSchema>;
export type TaskSize = z.infer<typeof taskSizeSchema>;

/** Everything the stack is built from. */
export interface DeploymentInput {
  /** The resolved configuration: catalog with the user's overrides, targets, limits, TTL. */
  readonly config: ResolvedConfig;
  /** The validated deploy section, defaults applied. */
  readonly deploy: DeployConfig;
  /** The user's config file as JSON without its deploy section: what the runtime receives as HW_CONFIG. */
  readonly runtimeConfig: Readonly<Record<string, unknown>>;
}

function problemsError(where: string, problems: readonly string[]): ConfigError {
  return new ConfigError(`Invalid ${where}:\n${problems.map((p) => `  - ${p}`).join('\n')}`, problems);
}

/**
 * Validates a deploy section; throws a ConfigError naming each bad field with
 * its allowed values.
 *
 * @example
 * parseDeployConfig({ vpc: { mode: 'import', vpcId: 'vpc-0abc12345', subnetIds: ['subnet-0abc12345'] } });
 */
export function parseDeployConfig(raw: unknown, where = 'deploy configuration'): DeployConfig {
  const parsed = deployConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) throw problemsError(where, formatIssues(parsed.error, ['deploy'], raw));
  return parsed.data;
}

/**
 * Checks what only matters in the cloud: targets must be reachable from AWS
 * (git or S3, not a local directory) and schedules run in whole minutes.
 */
export function cloudReadinessProblems(config: ResolvedConfig): string[] {
  const problems: string[] = [];
  if (config.targets.length === 0) {
    problems.push('targets: no repository to analyse: add at least one target with "git" ({url, branch}) or "s3" ({bucket, key}) to the config file (every schedule would otherwise fail on each tick)');
  }
  config.targets.forEach((target, index) => {
    if (target.repo !== undefined) {
      problems.push(`targets[${index}].repo: a local directory cannot be reached from AWS; give "git" ({url, branch}) or "s3" ({bucket, key}) for "${target.name}"`);
    }
  });
  for (const worker of config.catalog.values()) {
    if (worker.enabled && worker.intervalMs > 0 && worker.intervalMs % MINUTE_MS !== 0) {
      problems.push(`workers.${worker.type}.intervalMs: EventBridge Scheduler runs in whole minutes; use a multiple of 60000 (got ${worker.intervalMs})`);
    }
  }
  return problems;
}

/** The profiles this deployment runs: 'disabled' only when the config opts in. */
export function deployedProfiles(config: Pick<ResolvedConfig, 'allowDisabledSandbox'>): ExecutionProfile[] {
  return EXECUTION_PROFILES.filter((profile) => profile !== 'disabled' || config.allowDisabledSandbox);
}

/** Reads a context value that may be an object (cdk.json) or a JSON string (`cdk synth -c deploy='{...}'`). */
function objectFromContext(value: unknown, key: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      throw new ConfigError(`Context "${key}" is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`Context "${key}" must be an object (got ${JSON.stringify(parsed)})`);
  }
  return parsed as Record<string, unknown>;
}

function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read config file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Config file ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Where the deployment input comes from. */
export interface DeploymentSources {
  /** Reads a CDK context value (`app.node.tryGetContext`). */
  readonly context: (key: string) => unknown;
  /** Directory the config file name is resolved against (the repository root). */
  readonly rootDir: string;
}

/**
 * Reads the user's configuration and the deploy section: the file named by
 * context `configFile`, else `headless-workers.config.json` in `rootDir` when
 * present, else the defaults; then context `deploy` overrides the file's
 * `deploy` fields one by one. Throws a ConfigError naming every bad field.
 *
 * @example
 * const input = readDeploymentInput({ context: (k) => app.node.tryGetContext(k), rootDir: process.cwd() });
 */
export function readDeploymentInput(sources: DeploymentSources): DeploymentInput {
  const named = sources.context('configFile');
  if (named !== undefined && (typeof named !== 'string' || named.length === 0)) {
    throw new ConfigError(`Context "configFile" must be a file path (got ${JSON.stringify(named)})`);
  }
  const file = named ? path.resolve(sources.rootDir, named) : path.join(sources.rootDir, CONFIG_FILE_NAME);
  const raw = named || existsSync(file) ? readJsonFile(file) : {};
  const source = named || existsSync(file) ? file : null;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`Config file ${file} must hold a JSON object`);
  }
  const config = parseConfig(raw, source);
  const { deploy: fileDeploy, $schema: _schema, ...runtimeConfig } = raw as Record<string, unknown>;
  const where = source ? `deploy configuration (${path.relative(sources.rootDir, source) || source} and cdk.json context)` : 'deploy configuration (cdk.json context)';
  const deploy = parseDeployConfig({ ...objectFromContext(fileDeploy, 'deploy'), ...objectFromContext(sources.context('deploy'), 'deploy') }, where);
  const problems = cloudReadinessProblems(config);
  if (problems.length > 0) throw problemsError(source ?? 'configuration', problems);
  return { config, deploy, runtimeConfig };
}
