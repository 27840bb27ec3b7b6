import { createRequire } from 'node:module';
import type { Dirent } from 'node:fs';
import type * as EntryFilterModule from 'fast-glob/out/providers/filters/entry.js';
import type * as TasksModule from 'fast-glob/out/managers/tasks.js';
import type * as SettingsModule from 'fast-glob/out/settings.js';

const require = createRequire(import.meta.url);

/**
 * fast-glob's own task planner and entry filter (CommonJS internals of the
 * pinned 3.3.3), so a plain walk keeps exactly the entries fast-glob would
 * return. Loaded on first use: a listing without patterns never needs them.
 */
function fastGlobInternals() {
  return {
    Settings: (require('fast-glob/out/settings.js') as (typeof SettingsModule)['default']).default,
    generate: (require('fast-glob/out/managers/tasks.js') as typeof TasksModule).generate,
    EntryFilter: (require('fast-glob/out/providers/filters/entry.js') as (typeof EntryFilterModule)['default']).default,
  };
}

/** A walked entry as the filter sees it: path relative to the root, with forward slashes. */
export interface FilterableEntry {
  readonly path: string;
  readonly dirent: Pick<Dirent, 'isFile' | 'isDirectory' | 'isSymbolicLink'>;
}

/**
 * The test fast-glob applies to each entry for `patterns` (with `dot`, no
 * symlink following), when fast-glob would walk the whole tree from the root
 * to answer them: one dynamic task based at `.`, no negative pattern.
 * Otherwise null, and the caller asks fast-glob. Matching the entries of a
 * walk made anyway costs a regex test each; a fast-glob walk costs its own
 * machinery on top. Directories fast-glob would be told to ignore
 * (`**\/node_modules/**`) are the walk's to skip, as `walkRepository` does.
 *
 * @example const keep = rootGlobFilter(['**\/*.ts']); (await walkRepository(root, skipped)).entries.filter(keep)
 */
export function rootGlobFilter(patterns: readonly string[]): ((entry: FilterableEntry) => boolean) | null {
  if (patterns.some((pattern) => pattern.startsWith('!'))) return null;
  const { Settings, generate, EntryFilter } = fastGlobInternals();
  const settings = new Settings({ dot: true, onlyFiles: false, followSymbolicLinks: false });
  const tasks = generate([...patterns], settings);
  const task = tasks[0];
  if (tasks.length !== 1 || !task || !task.dynamic || task.base !== '.') return null;
  const filter = new EntryFilter(settings, {
    dot: settings.dot,
    matchBase: settings.baseNameMatch,
    nobrace: !settings.braceExpansion,
    nocase: !settings.caseSensitiveMatch,
    noext: !settings.extglob,
    noglobstar: !settings.globstar,
    posix: true,
    strictSlashes: false,
  }).getFilter(task.positive, task.negative);
  return (entry) => filter({ path: entry.path, name: entry.path.slice(entry.path.lastIndexOf('/') + 1), dirent: entry.dirent as Dirent });
}
