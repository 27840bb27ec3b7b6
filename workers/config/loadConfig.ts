import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Catalog } from '../catalog/types.js';
import { ConfigError } from '../errors.js';
import { parseSuppressionLine } from '../findings/suppressions.js';
import { configFileSchema, type ConfigFile } from './configSchema.js';
import { formatIssues } from './formatIssues.js';
import { resolveCatalog } from './resolveCatalog.js';

/** File name looked up in the target repository when no config is named. */
export const CONFIG_FILE_NAME = 'headless-workers.config.json';

/** The configuration every entry point works from: catalog with overrides applied plus settings. */
export interface ResolvedConfig extends Omit<ConfigFile, 'workers'> {
  /** The file it came from, or null for the built-in defaults. */
  readonly source: string | null;
  readonly catalog: Catalog;
}

/**
 * Validates a parsed configuration object; throws a ConfigError listing every
 * problem (field, allowed values, what was given) so a user fixes them in one go.
 */
export function parseConfig(raw: unknown, source: string | null = null): ResolvedConfig {
  const where = source ?? 'configuration';
  const parsed = configFileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const problems = formatIssues(parsed.error, [], raw);
    throw new ConfigError(`Invalid ${where}:\n${problems.map((p) => `  - ${p}`).join('\n')}`, problems);
  }
  const { workers, ...settings } = parsed.data;
  const { catalog, problems } = resolveCatalog(workers, { allowDisabledSandbox: settings.allowDisabledSandbox });
  const names = settings.targets.map((target) => target.name);
  names.forEach((name, index) => {
    if (names.indexOf(name) !== index) problems.push(`targets[${index}].name: "${name}" is used twice; target names must be unique`);
  });
  settings.suppressions.forEach((line, index) => {
    try {
      parseSuppressionLine(line, `suppressions[${index}]`);
    } catch (error) {
      problems.push((error as Error).message);
    }
  });
  if (problems.length > 0) {
    throw new ConfigError(`Invalid ${where}:\n${problems.map((p) => `  - ${p}`).join('\n')}`, problems);
  }
  return { ...settings, source, catalog };
}

/**
 * Loads the configuration: the file given, else `headless-workers.config.json`
 * in `lookupDir` when present, else the built-in defaults.
 */
export async function loadConfig(options: { file?: string; lookupDir?: string } = {}): Promise<ResolvedConfig> {
  const file = options.file ?? (options.lookupDir ? path.join(options.lookupDir, CONFIG_FILE_NAME) : undefined);
  if (!file || (!options.file && !existsSync(file))) return parseConfig({}, null);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read config file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Config file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  return parseConfig(raw, file);
}
