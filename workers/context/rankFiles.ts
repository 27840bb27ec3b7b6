import { compareStrings } from '../files/index.js';
import type { FileRelevance } from './fileRelevance.js';
import { fileRole, isEntryPoint, isSecurityRelevant, subjectStem, type FileRole } from './fileRole.js';
import { isTranslationPath } from './isTranslationPath.js';
import type { RankingStrategy } from './types.js';

export interface RankOptions {
  /** Default `'default'`. */
  readonly strategy?: RankingStrategy;
  /** Last commit time per path (see `readGitRecency`); empty outside git. */
  readonly recency?: ReadonlyMap<string, number>;
  /** Security relevance by path (see `scoreCandidates`), for the `security` strategy; files absent rank by path. */
  readonly relevance?: ReadonlyMap<string, FileRelevance>;
}

type RoleOrder = Readonly<Record<FileRole, number>>;

const DEFAULT_ORDER: RoleOrder = { source: 0, test: 1, config: 2, docs: 3, example: 4, other: 5 };
const SOURCE_FIRST_ORDER: RoleOrder = { source: 0, test: 1, config: 2, docs: 3, example: 4, other: 5 };
const DOCS_FIRST_ORDER: RoleOrder = { docs: 0, source: 1, config: 2, example: 3, test: 4, other: 5 };

interface Ranked<T> {
  readonly file: T;
  readonly path: string;
  readonly role: FileRole;
  readonly key: readonly number[];
}

/**
 * Orders files for a context budget, most useful first, deterministically:
 * every strategy ends with code-unit path order, and git commit times (not
 * file mtimes, which differ between checkouts) are the only recency used.
 *
 * - `default`: source, tests, config, docs, examples, other; recent first, then path.
 * - `source-first` (audit): the same roles, but within each role entry points and
 *   security-relevant names (auth, crypto, session, sql, exec, upload, api,
 *   routes, middleware, config...) come first.
 * - `tests-and-source` (testgaps): each source file followed by its tests, then
 *   tests without a source, then the rest.
 * - `docs-first` (document): docs (the root README first), then source with entry
 *   points first, config, examples, tests.
 * - `recent-first`: most recently committed first; files outside recent history
 *   follow in `default` order.
 * - `security` (audit, deepdive, predict): production code and config whose
 *   content shows entry points, request input, dangerous sinks or local
 *   findings, most relevant first; then production files without signals in
 *   `source-first` order; then tests, examples, docs and translations the same way.
 *
 * @example rankFiles(listing.files, { strategy: 'source-first', recency })
 */
export function rankFiles<T extends { readonly path: string }>(files: readonly T[], options: RankOptions = {}): T[] {
  const strategy = options.strategy ?? 'default';
  const recency = options.recency ?? new Map<string, number>();
  const recencyKey = (filePath: string): number => -(recency.get(filePath) ?? 0);
  const relevance = options.relevance ?? new Map<string, FileRelevance>();
  const ranked = files.map((file): Ranked<T> => {
    const role = fileRole(file.path);
    const key =
      strategy === 'security' ? securityKey(file.path, role, relevance.get(file.path), recencyKey(file.path)) : sortKey(strategy, file.path, role, recencyKey(file.path));
    return { file, path: file.path, role, key };
  });
  ranked.sort(compareRanked);
  const ordered = strategy === 'tests-and-source' ? pairTestsWithSources(ranked) : ranked;
  return ordered.map((entry) => entry.file);
}

/** Tier, then score (higher first), then the `source-first` key. */
function securityKey(filePath: string, role: FileRole, relevance: FileRelevance | undefined, recency: number): number[] {
  const secondary = role === 'test' || role === 'example' || role === 'docs' || role === 'other' || isTranslationPath(filePath);
  const tier = relevance?.tier ?? (secondary ? 3 : 1);
  return [tier, -(relevance?.score ?? 0), ...sortKey('source-first', filePath, role, recency)];
}

function sortKey(strategy: Exclude<RankingStrategy, 'security'>, filePath: string, role: FileRole, recency: number): number[] {
  switch (strategy) {
    case 'source-first':
      return [SOURCE_FIRST_ORDER[role], isEntryPoint(filePath) || isSecurityRelevant(filePath) ? 0 : 1, recency];
    case 'docs-first':
      return [DOCS_FIRST_ORDER[role], docsBoost(filePath, role), recency];
    case 'recent-first':
      return [recency, DEFAULT_ORDER[role]];
    case 'tests-and-source':
      return [role === 'source' ? 0 : role === 'test' ? 1 : 2 + DEFAULT_ORDER[role], recency];
    case 'default':
      return [DEFAULT_ORDER[role], recency];
  }
}

/** The root README says what a project is; other READMEs and entry points say what its parts are. */
function docsBoost(filePath: string, role: FileRole): number {
  const isReadme = /(?:^|\/)readme(?:\.[^/]*)?$/i.test(filePath);
  if (isReadme && !filePath.includes('/')) return 0;
  if (isReadme || (role === 'source' && isEntryPoint(filePath))) return 1;
  return 2;
}

function compareRanked<T>(a: Ranked<T>, b: Ranked<T>): number {
  const length = Math.max(a.key.length, b.key.length);
  for (let i = 0; i < length; i++) {
    const difference = (a.key[i] ?? 0) - (b.key[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return compareStrings(a.path, b.path);
}

/**
 * Puts each test right after the source file it is about, so a budget cut
 * keeps pairs together. A test goes to the source with the same subject stem
 * whose directories share the most names with the test's (`test/auth/` finds
 * `src/auth/`); ties go to the first in path order.
 */
function pairTestsWithSources<T>(ranked: readonly Ranked<T>[]): Ranked<T>[] {
  const sources = ranked.filter((entry) => entry.role === 'source');
  const sourcesByStem = new Map<string, Ranked<T>[]>();
  for (const source of [...sources].sort((a, b) => compareStrings(a.path, b.path))) {
    const stem = subjectStem(source.path);
    const group = sourcesByStem.get(stem);
    if (group) group.push(source);
    else sourcesByStem.set(stem, [source]);
  }
  const testsBySource = new Map<string, Ranked<T>[]>();
  const unpairedTests: Ranked<T>[] = [];
  for (const test of ranked.filter((entry) => entry.role === 'test')) {
    const candidates = sourcesByStem.get(subjectStem(test.path)) ?? [];
    let best: Ranked<T> | undefined;
    let bestShared = -1;
    for (const candidate of candidates) {
      const shared = sharedDirNames(candidate.path, test.path);
      if (shared > bestShared) {
        best = candidate;
        bestShared = shared;
      }
    }
    if (!best) {
      unpairedTests.push(test);
      continue;
    }
    const paired = testsBySource.get(best.path);
    if (paired) paired.push(test);
    else testsBySource.set(best.path, [test]);
  }
  const ordered: Ranked<T>[] = [];
  for (const source of sources) {
    ordered.push(source, ...(testsBySource.get(source.path) ?? []));
  }
  ordered.push(...unpairedTests, ...ranked.filter((entry) => entry.role !== 'source' && entry.role !== 'test'));
  return ordered;
}

function sharedDirNames(a: string, b: string): number {
  const left = new Set(a.split('/').slice(0, -1));
  return b
    .split('/')
    .slice(0, -1)
    .filter((dir) => left.has(dir)).length;
}
