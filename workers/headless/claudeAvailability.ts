import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isEnvFlagOn } from './claudeEnvironment.js';

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

const isExecutableFile = (path: string): boolean => {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** `node_modules/.bin/claude` in `start` or any parent directory. */
const findInNodeModules = (start: string): string | undefined => {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, 'node_modules', '.bin', 'claude');
    if (isExecutableFile(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
};

const findOnPath = (pathVar: string | undefined): string | undefined =>
  (pathVar ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => join(dir, 'claude'))
    .find(isExecutableFile);

const moduleDir = dirname(fileURLToPath(import.meta.url));

/**
 * Finds the Claude Code binary: `HW_CLAUDE_BIN` when set (and then only there), else
 * the project's pinned `node_modules/.bin/claude` (the version whose containment the
 * tests prove), else `claude` on PATH.
 *
 * @example
 * resolveClaudeBinary(process.env).path; // '/app/node_modules/.bin/claude'
 */
export const resolveClaudeBinary = (env: Env, cwd: string = process.cwd()): { path?: string; reason?: string } => {
  const override = env.HW_CLAUDE_BIN?.trim();
  if (override) {
    return isExecutableFile(override)
      ? { path: resolve(override) }
      : { reason: `HW_CLAUDE_BIN=${override} is not an executable file` };
  }
  const found = findInNodeModules(moduleDir) ?? findInNodeModules(cwd) ?? findOnPath(env.PATH);
  return found ? { path: found } : { reason: 'Claude Code CLI not found (node_modules/.bin/claude or claude on PATH); set HW_CLAUDE_BIN' };
};

/**
 * Whether a headless run can start, without spawning anything: a few `stat` calls, so
 * it is cheap enough to ask before every run and nothing is cached (a binary or key
 * that appears or disappears is seen at the next call).
 *
 * @example
 * const check = checkClaudeAvailability();
 * if (!check.available) runLocalFallback(check.reason);
 */
export const checkClaudeAvailability = (env: Env = process.env): ClaudeAvailability => {
  const credentials = detectCredentials(env);
  const binary = resolveClaudeBinary(env);
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
