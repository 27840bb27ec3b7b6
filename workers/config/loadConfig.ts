import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Catalog } from '../catalog/types.js';
import { ConfigError } from '../errors.js';
import { parseSuppressionLine } from '../findings/suppressions.js';
import { bashAllowListProblems } from '../headless/bashAllowList.js';
import { configFileSchema, type ConfigFile } from './configSchema.js';
import { formatIssues } from './formatIssues.js';
import { resolveCatalog } from './resolveCatalog.js';

/**
 * File name of a configuration: the deployment's (next to the CDK app), and the one a
 * target repository may commit, which is read as data and may only tighten (see
 * repositoryConfig.ts).
 */
export const CONFIG_FILE_NAME = 'headless-workers.config.json';

/**
 * The operator's own configuration file when `--config` names none:
 * `$XDG_CONFIG_HOME/headless-workers/config.json`, else `~/.config/headless-workers/config.json`.
 * Never a file of the repository under analysis.
 *
 * @example userConfigFile({ HOME: '/home/ana' }); // '/home/ana/.config/headless-workers/config.json'
 */
export function userConfigFile(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const base = env.XDG_CONFIG_HOME?.trim() && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(env.HOME?.trim() || os.homedir(), '.config');
  return path.join(base, 'headless-workers', 'config.json');
}

/** The configuration every entry point works from: catalog with overrides applied plus settings. */
export interface ResolvedConfig extends Omit<ConfigFile, 'workers'> {
  /** The file it came from, or null for the built-in defaults. */
  readonly source: string | null;
  readonly catalog: Catalog;
}

/**
 * Validates a parsed configuration object; throws a ConfigError listing every
 * problem (field, allowed values, what was given) so a user fixes them in one go:
 * a top-level problem does not hide the workers' problems, nor the reverse.
 */
export function parseConfig(raw: unknown, source: string | null = null): ResolvedConfig {
  const where = source ?? 'configuration';
  const parsed = configFileSchema.safeParse(raw ?? {});
  const problems = parsed.success ? [] : formatIssues(parsed.error, [], raw);
  // When the file as a whole does not fit, the checks below still run on the parts that have the right shape.
  const fields = parsed.success ? parsed.data : wellShapedFields(raw);
  const { catalog, problems: workerProblems } = resolveCatalog(fields.workers, { allowDisabledSandbox: fields.allowDisabledSandbox });
  problems.push(...workerProblems);
  const names = fields.targets.map((target) => target.name);
  names.forEach((name, index) => {
    if (name !== undefined && names.indexOf(name) !== index) problems.push(`targets[${index}].name: "${name}" is used twice; target names must be unique`);
  });
  problems.push(...bashAllowListProblems(fields.bashAllowList));
  fields.suppressions.forEach((line, index) => {
    try {
      parseSuppressionLine(line, `suppressions[${index}]`);
    } catch (error) {
      problems.push((error as Error).message);
    }
  });
  if (problems.length > 0 || !parsed.success) {
    throw new ConfigError(`Invalid ${where}:\n${problems.map((p) => `  - ${p}`).join('\n')}`, problems);
  }
  const { workers: _workers, ...settings } = parsed.data;
  return { ...settings, source, catalog };
}

/** The fields the cross-checks read, taken from a config that failed the schema only where each has the right shape. */
function wellShapedFields(raw: unknown): Pick<ConfigFile, 'workers' | 'allowDisabledSandbox' | 'bashAllowList' | 'suppressions'> & { targets: { name?: string }[] } {
  const record = isPlainObject(raw) ? raw : {};
  const strings = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item.length > 0) : []);
  return {
    workers: isPlainObject(record.workers) ? record.workers : {},
    allowDisabledSandbox: record.allowDisabledSandbox === true,
    // Kept in place (a target without a name stays as one) so problems name the right index.
    targets: Array.isArray(record.targets) ? record.targets.map((t: unknown) => (isPlainObject(t) && typeof t.name === 'string' ? { name: t.name } : {})) : [],
    bashAllowList: strings(record.bashAllowList),
    suppressions: strings(record.suppressions),
  };
}

/** Why a config file could not be read, in words rather than an errno code. */
function unreadableBecause(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'it does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'this user may not read it';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'ENOTDIR':
      return 'a part of its path is a file, not a folder';
    default:
      return `it cannot be read (${error instanceof Error ? error.message : String(error)})`;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Loads the operator's configuration: the file given (`--config`), else the user's
 * config file when present, else the built-in defaults. The repository under
 * analysis is never consulted here: its own config file may only tighten a run,
 * and the engine applies it per run (repositoryConfig.ts).
 */
export async function loadConfig(options: { file?: string; env?: Readonly<Record<string, string | undefined>> } = {}): Promise<ResolvedConfig> {
  const file = options.file ?? userConfigFile(options.env);
  if (!options.file && !existsSync(file)) return parseConfig({}, null);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read config file ${file}: ${unreadableBecause(error)}; ${options.file ? 'pass --config FILE naming a file you can read' : 'fix its permissions, or pass --config FILE'}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Config file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  return parseConfig(raw, file);
}
