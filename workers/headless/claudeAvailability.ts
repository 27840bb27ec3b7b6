import { isAbsolute } from 'node:path';
import { isEnvFlagOn } from './claudeEnvironment.js';
import { CLAUDE_CODE_PACKAGE, ownClaudeBinary } from './ownClaudeBinary.js';
import { findTrustedExecutable, isExecutableFile } from './trustedPath.js';

/** Where a run's API credentials come from. */
export type CredentialSource = 'api-key' | 'bedrock' | 'vertex' | 'oauth' | 'none';

export interface ClaudeAvailability {
  /** True when a runnable binary and credentials are both present. */
  readonly available: boolean;
  readonly binaryPath?: string;
  /** Why a headless run is not possible, for the result's `fallbackReason`. */
  readonly reason?: string;
  readonly credentials: CredentialSource;
}

type Env = Readonly<Record<string, string | undefined>>;

const isSet = (value: string | undefined): boolean => value !== undefined && value.trim() !== '';

/**
 * Which credentials the environment offers. Bedrock and Vertex come first because
 * Claude Code uses them instead of an API key when switched on.
 *
 * @example
 * detectCredentials({ ANTHROPIC_API_KEY: 'sk-...' }); // 'api-key'
 */
export const detectCredentials = (env: Env): CredentialSource => {
  if (isEnvFlagOn(env.CLAUDE_CODE_USE_BEDROCK)) return 'bedrock';
  if (isEnvFlagOn(env.CLAUDE_CODE_USE_VERTEX)) return 'vertex';
  if (isSet(env.ANTHROPIC_API_KEY) || isSet(env.ANTHROPIC_AUTH_TOKEN)) return 'api-key';
  if (isSet(env.CLAUDE_CODE_OAUTH_TOKEN)) return 'oauth';
  return 'none';
};

/** Where the binary may come from, besides the operator's `HW_CLAUDE_BIN`. */
export interface ClaudeBinaryOptions {
  /**
   * Directories whose contents the operator does not control: the repository under
   * analysis. The working directory is always added. PATH entries inside them are
   * never searched.
   */
  readonly untrustedDirs?: readonly string[];
  /** The working directory; default `process.cwd()`. */
  readonly cwd?: string;
  /** The product's own dependency; default `ownClaudeBinary` (replaceable in tests). */
  readonly ownBinary?: () => string | undefined;
}

/**
 * Finds the Claude Code binary, only in the operator's installation:
 * 1. `HW_CLAUDE_BIN` when set (an absolute path; then only there),
 * 2. else the product's own pinned dependency, resolved from this module's location
 *    (the version whose containment the tests prove),
 * 3. else `claude` in an absolute PATH entry outside the working directory and the
 *    repository under analysis.
 * Never `node_modules/.bin` of the working directory or of any of its parents: a
 * repository that plants `node_modules/.bin/claude` would otherwise run with the API key
 * and could forge a clean result.
 *
 * @example
 * resolveClaudeBinary(process.env, { untrustedDirs: [repoDir] }).path; // '/usr/lib/node_modules/headless-workers/node_modules/@anthropic-ai/claude-code/bin/claude.exe'
 */
export const resolveClaudeBinary = (env: Env, options: ClaudeBinaryOptions = {}): { path?: string; reason?: string } => {
  const override = env.HW_CLAUDE_BIN?.trim();
  if (override) {
    if (!isAbsolute(override)) return { reason: `HW_CLAUDE_BIN=${override} must be an absolute path (a relative one would resolve inside the repository being analysed)` };
    return isExecutableFile(override) ? { path: override } : { reason: `HW_CLAUDE_BIN=${override} is not an executable file` };
  }
  const untrusted = [options.cwd ?? process.cwd(), ...(options.untrustedDirs ?? [])];
  const found = (options.ownBinary ?? ownClaudeBinary)() ?? findTrustedExecutable('claude', env.PATH, untrusted);
  return found
    ? { path: found }
    : {
        reason: `Claude Code CLI not found: the product's own ${CLAUDE_CODE_PACKAGE} dependency is missing and no claude is on PATH outside the working directory and the repository; reinstall headless-workers or set HW_CLAUDE_BIN to an absolute path`,
      };
};

/**
 * Whether a headless run can start, without spawning anything: a few `stat` calls, so
 * it is cheap enough to ask before every run and nothing is cached (a binary or key
 * that appears or disappears is seen at the next call).
 *
 * @example
 * const check = checkClaudeAvailability(process.env, { untrustedDirs: [repoDir] });
 * if (!check.available) runLocalFallback(check.reason);
 */
export const checkClaudeAvailability = (env: Env = process.env, options: ClaudeBinaryOptions = {}): ClaudeAvailability => {
  const credentials = detectCredentials(env);
  const binary = resolveClaudeBinary(env, options);
  if (!binary.path) return { available: false, reason: binary.reason, credentials };
  if (credentials === 'none') {
    return {
      available: false,
      binaryPath: binary.path,
      reason:
        'no Claude credentials: set ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN or CLAUDE_CODE_OAUTH_TOKEN, or CLAUDE_CODE_USE_BEDROCK=1 / CLAUDE_CODE_USE_VERTEX=1',
      credentials,
    };
  }
  return { available: true, binaryPath: binary.path, credentials };
};
