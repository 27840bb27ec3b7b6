import { delimiter } from 'node:path';
import { bedrockEnvironment } from './bedrockEnvironment.js';
import { trustedPathEntries } from './trustedPath.js';

/** Always passed: what a process needs to run at all (PATH only with its trusted entries). */
const BASE_VARS = ['HOME', 'LANG', 'TMPDIR'] as const;

/** Credentials and endpoint of the Anthropic API (or the switch to a cloud provider). */
export const CREDENTIAL_VARS = [
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'CLAUDE_CODE_OAUTH_TOKEN',
  'CLAUDE_CODE_USE_BEDROCK',
  'CLAUDE_CODE_USE_VERTEX',
  'ANTHROPIC_BASE_URL',
] as const;

/** Vertex AI settings, passed only when Vertex is switched on. */
const VERTEX_VARS = [
  'ANTHROPIC_VERTEX_PROJECT_ID',
  'ANTHROPIC_VERTEX_BASE_URL',
  'CLOUD_ML_REGION',
  'GOOGLE_APPLICATION_CREDENTIALS',
  'GOOGLE_CLOUD_PROJECT',
] as const;

/** Switches that keep a headless run quiet: no telemetry, no update checks, no side traffic. */
export const QUIET_VARS: Readonly<Record<string, string>> = {
  DISABLE_TELEMETRY: '1',
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  DISABLE_AUTOUPDATER: '1',
  // Without it the CLI runs its own `git status` in the workspace to describe the repository:
  // a git of the repository's configuration, and a FIFO .gitignore hangs it (measured with 2.1.332).
  CLAUDE_CODE_DISABLE_GIT_INSTRUCTIONS: '1',
};

/**
 * How the CLI retries and waits on the model API, passed through when a deployer sets
 * them: `CLAUDE_CODE_MAX_RETRIES` (default 10, with backoff: a dead API holds a run for
 * minutes), `API_TIMEOUT_MS` (per request) and the stream's first-byte and idle limits.
 * Names checked against the pinned CLI 2.1.332.
 */
export const CLAUDE_API_TUNING_VARS = [
  'CLAUDE_CODE_MAX_RETRIES',
  'API_TIMEOUT_MS',
  'CLAUDE_STREAM_FIRST_BYTE_TIMEOUT_MS',
  'CLAUDE_BYTE_STREAM_IDLE_TIMEOUT_MS',
] as const;

/** True for the values Claude Code treats as "on". */
export const isEnvFlagOn = (value: string | undefined): boolean => value === '1' || value?.toLowerCase() === 'true';

export interface ClaudeEnvironmentOptions {
  /** `CLAUDE_CODE_MAX_RETRIES`: how often the CLI retries a failed API call (its default is 10). */
  readonly maxRetries?: number;
  /** Extra variable names a deployer chose to pass through (e.g. `HTTPS_PROXY`). */
  readonly passEnv?: readonly string[];
  /**
   * Directories the operator does not control (the repository, the working directory):
   * PATH entries inside them, and relative ones, are dropped, so that an allowed
   * command such as `git status` cannot resolve to a program the repository planted.
   */
  readonly untrustedDirs?: readonly string[];
  /**
   * Sets `CLAUDE_CODE_SUBPROCESS_ENV_SCRUB=1`: Claude Code then removes its API and cloud
   * credentials from the environment of the commands it runs. Claude Code 2.1.332 honours
   * it with its sandbox (bubblewrap) and refuses to start when asked without it, so it is
   * set exactly when Bash runs sandboxed.
   */
  readonly scrubSubprocessEnv?: boolean;
}

/**
 * The minimal environment of a Claude Code run, copied by name from `source`.
 *
 * Why so little: the model drives tools (Bash in the permissive profile) that see this
 * environment, and the repository under analysis is untrusted, so nothing of the
 * parent's environment that is not needed may leak into it: no other service's tokens,
 * no NODE_OPTIONS, no variables that change how Claude Code loads configuration. AWS
 * variables go through only when Bedrock is switched on, and then only the region,
 * model settings and one credential source (see `bedrockEnvironment`); Vertex settings
 * only when Vertex is. PATH keeps only its absolute entries outside `untrustedDirs`.
 * Commands the permissive profile allows run only inside Claude Code's sandbox, with
 * `scrubSubprocessEnv` removing the API credentials from their environment.
 *
 * @example
 * spawn(bin, args, { env: claudeEnvironment(process.env, { maxRetries: 2 }) });
 */
export const claudeEnvironment = (
  source: Readonly<Record<string, string | undefined>>,
  options: ClaudeEnvironmentOptions = {},
): Record<string, string> => {
  const env: Record<string, string> = {};
  const copy = (name: string): void => {
    const value = source[name];
    if (value !== undefined && value !== '') env[name] = value;
  };
  const path = trustedPathEntries(source.PATH, options.untrustedDirs ?? []).join(delimiter);
  if (path !== '') env.PATH = path;
  for (const name of BASE_VARS) copy(name);
  for (const name of CREDENTIAL_VARS) copy(name);
  if (isEnvFlagOn(source.CLAUDE_CODE_USE_BEDROCK)) Object.assign(env, bedrockEnvironment(source));
  if (isEnvFlagOn(source.CLAUDE_CODE_USE_VERTEX)) {
    for (const name of VERTEX_VARS) copy(name);
    for (const name of Object.keys(source)) if (name.startsWith('VERTEX_REGION_')) copy(name);
  }
  for (const name of options.passEnv ?? []) copy(name);
  Object.assign(env, QUIET_VARS);
  if (options.scrubSubprocessEnv === true) env.CLAUDE_CODE_SUBPROCESS_ENV_SCRUB = '1';
  if (options.maxRetries !== undefined) env.CLAUDE_CODE_MAX_RETRIES = String(Math.max(0, Math.floor(options.maxRetries)));
  return env;
};
