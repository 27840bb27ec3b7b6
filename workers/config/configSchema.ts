import * as z from 'zod';
import { MODEL_ALIASES, OUTPUT_FORMATS, PRIORITIES, SANDBOX_MODES } from '../catalog/constants.js';

const positiveInt = z.number().int({ error: 'must be a whole number' }).positive({ error: 'must be greater than 0' });

/** Fields any worker may override. */
const commonOverride = {
  description: z.string().min(1),
  priority: z.enum(PRIORITIES),
  intervalMs: z.number().int().min(0),
  enabled: z.boolean(),
  chainsFrom: z.array(z.string().min(1)),
};

/** Fields only headless workers have. */
const headlessOverride = {
  promptTemplate: z.string().min(1),
  sandbox: z.enum(SANDBOX_MODES),
  model: z.string().refine((value) => (MODEL_ALIASES as readonly string[]).includes(value) || /^[\w.:-]*claude[\w.:-]*$/.test(value), {
    error: `must be one of ${MODEL_ALIASES.join(', ')} or a full model id such as claude-sonnet-4-5`,
  }),
  maxOutputTokens: positiveInt,
  timeoutMs: positiveInt,
  contextPatterns: z.array(z.string().min(1)).min(1),
  contextBudgetChars: positiveInt,
  maxTurns: positiveInt,
  maxBudgetUsd: z.number().positive(),
  outputFormat: z.enum(OUTPUT_FORMATS),
  outputSchema: z.record(z.string(), z.unknown()),
};

export const HEADLESS_ONLY_FIELDS = Object.keys(headlessOverride);

export const workerOverrideSchema = z.strictObject({ ...commonOverride, ...headlessOverride }).partial();

/** A repository the workers analyse. Exactly one of repo, git, s3. */
export const targetSchema = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 letters, digits, ".", "_" or "-"'),
    repo: z.string().min(1).optional(),
    git: z
      .strictObject({
        url: z.string().min(1),
        branch: z.string().min(1).default('main'),
        /** The Secrets Manager secret holding the token: its name, or its ARN (with or without the 6-character suffix). */
        tokenSecretArn: z
          .string()
          .regex(/^(arn:aws[\w-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+|[\w/+=.@-]{1,512})$/, {
            error: 'must be a Secrets Manager secret name or ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME)',
          })
          .optional(),
      })
      .optional(),
    s3: z.strictObject({ bucket: z.string().min(3), key: z.string().min(1) }).optional(),
  })
  .refine((t) => [t.repo, t.git, t.s3].filter(Boolean).length === 1, {
    message: 'give exactly one of "repo" (a local directory), "git" ({url, branch}) or "s3" ({bucket, key})',
  });

export const limitsSchema = z.strictObject({
  dailyUsd: z.number().positive().optional(),
  dailyTokens: positiveInt.optional(),
  launchesPerHour: positiveInt.optional(),
  maxConcurrentRuns: positiveInt.optional(),
});

/**
 * The user's configuration file (`headless-workers.config.json`). The `deploy`
 * section belongs to the CDK app and is validated there.
 */
export const configFileSchema = z.strictObject({
  $schema: z.string().optional(),
  workers: z.record(z.string(), z.unknown()).default({}),
  targets: z.array(targetSchema).default([]),
  models: z.partialRecord(z.enum(MODEL_ALIASES), z.string().min(1)).default({}),
  limits: limitsSchema.default({}),
  allowDisabledSandbox: z.boolean().default(false),
  resultTtlDays: positiveInt.max(3650).default(30),
  chaining: z.boolean().default(true),
  // Commands a permissive run may execute. Even `npm test` or `git diff` run code or
  // config the repository defines, so none by default: opt in where the container
  // (role, network, read-only filesystem) contains it.
  bashAllowList: z.array(z.string().min(1)).default([]),
  /**
   * Incremental scans of git targets: a headless run analyses only the files
   * changed since the last complete run, with a full baseline every N runs or
   * D days. `run --full` forces a baseline.
   */
  incremental: z
    .strictObject({
      enabled: z.boolean().default(true),
      baselineEveryRuns: positiveInt.max(1000).default(10),
      baselineEveryDays: positiveInt.max(365).default(7),
    })
    .default({ enabled: true, baselineEveryRuns: 10, baselineEveryDays: 7 }),
  /** Suppressions in the line syntax of headless-workers.suppressions (see workers/findings/suppressions.ts). */
  suppressions: z.array(z.string().min(1)).default([]),
  /**
   * Whether suppressions committed in the analysed repository (its
   * headless-workers.suppressions file, its config's `suppressions`) apply. They are
   * marked repository-sourced wherever they show and may not be blanket wildcards.
   */
  repositorySuppressions: z.boolean().default(true),
  deploy: z.record(z.string(), z.unknown()).optional(),
});

export type WorkerOverride = z.infer<typeof workerOverrideSchema>;
export type TargetConfig = z.infer<typeof targetSchema>;
export type LimitsConfig = z.infer<typeof limitsSchema>;
export type ConfigFile = z.infer<typeof configFileSchema>;
