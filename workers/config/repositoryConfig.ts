import path from 'node:path';
import { SANDBOX_MODES } from '../catalog/constants.js';
import type { WorkerDefinition } from '../catalog/types.js';
import { readTextHeadSync } from '../files/readTextHead.js';
import { isTighterOrEqual } from '../run/resolveRun.js';
import { CONFIG_FILE_NAME, type ResolvedConfig } from './loadConfig.js';

/** A repository's config file is a few hundred bytes; anything far larger is not one. */
const MAX_REPOSITORY_CONFIG_BYTES = 256 * 1024;

/** Per-worker limits a repository may lower (never raise). */
const LOWERABLE_WORKER_FIELDS = ['maxBudgetUsd', 'timeoutMs', 'maxTurns', 'maxOutputTokens', 'contextBudgetChars'] as const;
/** Spend limits a repository may lower, or set where the operator set none. */
const LOWERABLE_LIMITS = ['dailyUsd', 'dailyTokens', 'launchesPerHour', 'maxConcurrentRuns'] as const;

/** What a repository's own config file changed in a run, and what it tried to and could not. */
export interface RepositoryConfigNotes {
  readonly file: string;
  /** Settings it tightened, e.g. `workers.audit.maxBudgetUsd: 0.5 (was 1)`. */
  readonly applied: readonly string[];
  /** Settings it tried to loosen or that only the operator may set, with why. */
  readonly ignored: readonly string[];
}

/** The configuration of one run with its repository's tightenings applied, and what happened. */
export interface RepositoryScopedConfig {
  readonly config: ResolvedConfig;
  /** Suppression lines of the repository's config file: repository-sourced, like its suppressions file. */
  readonly suppressionLines: readonly string[];
  /** Absent when the repository has no config file. */
  readonly notes?: RepositoryConfigNotes;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isPositive = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value > 0;
const shown = (value: unknown): string => JSON.stringify(value)?.slice(0, 80) ?? String(value);

/**
 * Applies the analysed repository's `headless-workers.config.json` to the operator's
 * configuration under the trust rule: the repository is data, so it may tighten a run
 * (a stricter sandbox, a smaller budget, timeout, turn or output cap, a lower spend
 * limit, fewer allowed commands) and nothing else; every other field is ignored and
 * named in the notes, which the run record and output carry. The file is read only
 * when it is a regular file (never through a link, never blocking on a FIFO), and a
 * file that is not JSON is ignored with a note rather than failing the run.
 *
 * @example
 * const { config, notes } = repositoryScopedConfig(operatorConfig, '/src/api');
 */
export function repositoryScopedConfig(operator: ResolvedConfig, repoDir: string): RepositoryScopedConfig {
  const file = path.join(repoDir, CONFIG_FILE_NAME);
  const read = readTextHeadSync(file, MAX_REPOSITORY_CONFIG_BYTES + 1);
  if (read.kind === 'unreadable' && read.reason === 'ENOENT') return { config: operator, suppressionLines: [] };
  const notes = { file: CONFIG_FILE_NAME, applied: [] as string[], ignored: [] as string[] };
  if (read.kind !== 'text' || read.truncated) {
    notes.ignored.push(`${CONFIG_FILE_NAME}: ${read.kind === 'text' ? `larger than ${MAX_REPOSITORY_CONFIG_BYTES} bytes` : read.kind === 'binary' ? 'not text' : read.reason}; nothing in it applied`);
    return { config: operator, suppressionLines: [], notes };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(read.text);
  } catch (error) {
    notes.ignored.push(`${CONFIG_FILE_NAME}: not valid JSON (${(error as Error).message.slice(0, 120)}); nothing in it applied`);
    return { config: operator, suppressionLines: [], notes };
  }
  if (!isRecord(raw)) {
    notes.ignored.push(`${CONFIG_FILE_NAME}: not a JSON object; nothing in it applied`);
    return { config: operator, suppressionLines: [], notes };
  }
  let suppressionLines: string[] = [];
  let config: ResolvedConfig = operator;
  for (const [field, value] of Object.entries(raw)) {
    if (field === '$schema') continue;
    if (field === 'workers') config = { ...config, catalog: tightenWorkers(config, value, notes) };
    else if (field === 'limits') config = { ...config, limits: tightenLimits(config.limits, value, notes) };
    else if (field === 'bashAllowList') config = { ...config, bashAllowList: narrowAllowList(config.bashAllowList, value, notes) };
    else if (field === 'suppressions' && Array.isArray(value)) suppressionLines = value.filter((line): line is string => typeof line === 'string');
    else if (field === 'allowDisabledSandbox' && value === false) continue;
    else notes.ignored.push(`${field}: only the operator's configuration may set it`);
  }
  return { config, suppressionLines, notes };
}

function tightenWorkers(config: ResolvedConfig, value: unknown, notes: { applied: string[]; ignored: string[] }): ResolvedConfig['catalog'] {
  const catalog = new Map(config.catalog);
  if (!isRecord(value)) {
    notes.ignored.push('workers: not an object');
    return catalog;
  }
  for (const [name, override] of Object.entries(value)) {
    const def = catalog.get(name);
    if (!def || !isRecord(override)) {
      notes.ignored.push(`workers.${name}: ${def ? 'not an object' : 'unknown worker'}`);
      continue;
    }
    let tightened: WorkerDefinition = def;
    for (const [field, wanted] of Object.entries(override)) {
      const where = `workers.${name}.${field}`;
      if (def.mode !== 'headless' || tightened.mode !== 'headless') {
        notes.ignored.push(`${where}: only the operator's configuration may set it`);
      } else if (field === 'sandbox') {
        const sandbox = SANDBOX_MODES.find((mode) => mode === wanted);
        if (!sandbox || !isTighterOrEqual(sandbox, tightened.sandbox)) notes.ignored.push(`${where}: ${shown(wanted)} would loosen the sandbox (${tightened.sandbox})`);
        else if (sandbox !== tightened.sandbox) {
          notes.applied.push(`${where}: ${sandbox} (was ${tightened.sandbox})`);
          tightened = { ...tightened, sandbox };
        }
      } else if ((LOWERABLE_WORKER_FIELDS as readonly string[]).includes(field)) {
        const key = field as (typeof LOWERABLE_WORKER_FIELDS)[number];
        const current = tightened[key];
        const integer = key !== 'maxBudgetUsd';
        if (!isPositive(wanted) || (integer && !Number.isInteger(wanted)) || wanted >= current) {
          notes.ignored.push(`${where}: ${shown(wanted)} would not lower ${current}`);
        } else {
          notes.applied.push(`${where}: ${wanted} (was ${current})`);
          tightened = { ...tightened, [key]: wanted };
        }
      } else {
        notes.ignored.push(`${where}: only the operator's configuration may set it`);
      }
    }
    catalog.set(name, tightened);
  }
  return catalog;
}

function tightenLimits(limits: ResolvedConfig['limits'], value: unknown, notes: { applied: string[]; ignored: string[] }): ResolvedConfig['limits'] {
  if (!isRecord(value)) {
    notes.ignored.push('limits: not an object');
    return limits;
  }
  const tightened: Record<string, number | undefined> = { ...limits };
  for (const [field, wanted] of Object.entries(value)) {
    const current = tightened[field];
    if (!(LOWERABLE_LIMITS as readonly string[]).includes(field)) notes.ignored.push(`limits.${field}: only the operator's configuration may set it`);
    else if (!isPositive(wanted) || (field !== 'dailyUsd' && !Number.isInteger(wanted)) || (current !== undefined && wanted >= current)) {
      notes.ignored.push(`limits.${field}: ${shown(wanted)} would not lower ${current ?? 'the operator\'s setting'}`);
    } else {
      notes.applied.push(`limits.${field}: ${wanted} (was ${current ?? 'unlimited'})`);
      tightened[field] = wanted;
    }
  }
  return tightened as ResolvedConfig['limits'];
}

/** The operator's allowed commands that the repository's list also names: a repository may only remove commands. */
function narrowAllowList(allowed: readonly string[], value: unknown, notes: { applied: string[]; ignored: string[] }): string[] {
  if (!Array.isArray(value)) {
    notes.ignored.push('bashAllowList: not a list');
    return [...allowed];
  }
  const wanted = new Set(value.filter((entry): entry is string => typeof entry === 'string'));
  const added = [...wanted].filter((entry) => !allowed.includes(entry));
  if (added.length > 0) notes.ignored.push(`bashAllowList: ${added.map((entry) => shown(entry)).join(', ')} not allowed by the operator`);
  const kept = allowed.filter((entry) => wanted.has(entry));
  if (kept.length < allowed.length) notes.applied.push(`bashAllowList: ${kept.length} of the operator's ${allowed.length} command(s)`);
  return kept;
}
