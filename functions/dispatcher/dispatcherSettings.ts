import * as z from 'zod';
import { EXECUTION_PROFILES } from '../../workers/catalog/constants.js';
import type { ExecutionProfile } from '../../workers/catalog/types.js';
import { ENV } from '../../workers/cloud/index.js';
import { ConfigError } from '../../workers/errors.js';

const jsonText = <T extends z.ZodType>(schema: T) =>
  z.string().transform((text, ctx): z.infer<T> => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
      return z.NEVER;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: `${issue.path.join('.') || '(value)'}: ${issue.message}` });
      return z.NEVER;
    }
    return parsed.data;
  });

const profileRecord = <T extends z.ZodType>(value: T) => z.partialRecord(z.enum(EXECUTION_PROFILES), value);

const settingsSchema = z.object({
  [ENV.tableName]: z.string().min(1),
  [ENV.bucketName]: z.string().min(1),
  [ENV.s3ThresholdBytes]: z.coerce.number().int().min(1024).default(64 * 1024),
  [ENV.resultTtlDays]: z.coerce.number().int().positive().optional(),
  [ENV.namePrefix]: z.string().regex(/^[A-Za-z0-9-]{1,48}$/, { error: 'must be 1-48 letters, digits or "-" (the stack name)' }),
  [ENV.queueUrlBase]: z.url().refine((url) => url.endsWith('/'), { error: 'must end with "/"' }),
  [ENV.concurrency]: jsonText(profileRecord(z.number().int().min(0))),
  [ENV.clusterArn]: z.string().min(1),
  [ENV.subnets]: z.string().transform((text) => text.split(',').map((s) => s.trim()).filter(Boolean)),
  [ENV.securityGroups]: jsonText(profileRecord(z.string().min(1))),
  [ENV.assignPublicIp]: z.enum(['ENABLED', 'DISABLED']).default('DISABLED'),
  [ENV.containerName]: z.string().min(1),
  [ENV.config]: z.string().default('{}'),
  [ENV.authMode]: z.enum(['api-key', 'bedrock']).default('api-key'),
  [ENV.awsEndpoint]: z.string().url().optional(),
});

/** What the dispatcher knows of its deployment, read once from its environment. */
export interface DispatcherSettings {
  readonly tableName: string;
  readonly bucketName: string;
  readonly s3ThresholdBytes: number;
  /** Overrides the config's resultTtlDays when set. */
  readonly resultTtlDays?: number;
  /** Prefix of every lane's queue names and task family (see `lanesOf`). */
  readonly namePrefix: string;
  /** Queue URLs up to the name. */
  readonly queueUrlBase: string;
  /** Cap on running tasks per profile. */
  readonly concurrency: Partial<Record<ExecutionProfile, number>>;
  readonly clusterArn: string;
  readonly subnets: readonly string[];
  readonly securityGroups: Partial<Record<ExecutionProfile, string>>;
  readonly assignPublicIp: 'ENABLED' | 'DISABLED';
  readonly containerName: string;
  /** The user's configuration as JSON (HW_CONFIG). */
  readonly configJson: string;
  readonly authMode: 'api-key' | 'bedrock';
  readonly awsEndpoint?: string;
}

/** The profiles this deployment runs: those with a security group and a cap (their lanes are named after them). */
export function deployedProfiles(settings: DispatcherSettings): ExecutionProfile[] {
  return EXECUTION_PROFILES.filter((p) => settings.securityGroups[p] && settings.concurrency[p] !== undefined);
}

/**
 * Reads the dispatcher's environment (set by the CDK app through `ENV`);
 * throws a ConfigError naming each missing or malformed variable.
 *
 * @example
 * const settings = readDispatcherSettings(process.env);
 */
export function readDispatcherSettings(env: NodeJS.ProcessEnv): DispatcherSettings {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`The dispatcher's environment is incomplete (a deployment problem):\n${problems.map((p) => `  - ${p}`).join('\n')}`, problems);
  }
  const e = parsed.data;
  return {
    tableName: e[ENV.tableName],
    bucketName: e[ENV.bucketName],
    s3ThresholdBytes: e[ENV.s3ThresholdBytes],
    ...(e[ENV.resultTtlDays] !== undefined ? { resultTtlDays: e[ENV.resultTtlDays] } : {}),
    namePrefix: e[ENV.namePrefix],
    queueUrlBase: e[ENV.queueUrlBase],
    concurrency: e[ENV.concurrency],
    clusterArn: e[ENV.clusterArn],
    subnets: e[ENV.subnets],
    securityGroups: e[ENV.securityGroups],
    assignPublicIp: e[ENV.assignPublicIp],
    containerName: e[ENV.containerName],
    configJson: e[ENV.config],
    authMode: e[ENV.authMode],
    ...(e[ENV.awsEndpoint] ? { awsEndpoint: e[ENV.awsEndpoint] } : {}),
  };
}
