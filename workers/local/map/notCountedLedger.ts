import { compareStrings } from '../../files/index.js';
import type { NotCountedGroup, NotCountedReason } from './types.js';

/** What each reason means when nothing more precise is known. */
const DEFAULT_DETAILS: Readonly<Record<NotCountedReason, string>> = {
  budget: 'over the budget',
  binary: 'binary content',
  lockfile: 'a package manager lock file',
  vendored: 'vendored: marked linguist-vendored in .gitattributes, or an install folder git does not track (not walked)',
  generated: 'generated: marked in .gitattributes, named as generator output (.min.js, .pb.go...) or marked by its generator',
  gitignored: 'ignored by .gitignore and not tracked by git',
  'too-large': 'larger than the map reads',
  symlink: 'a symbolic link (never followed)',
  unreadable: 'could not be read',
  'too-deep': 'a directory deeper than the walk goes (not walked)',
  'not-a-regular-file': 'a FIFO, socket or device',
  'outside-repository': 'resolves outside the repository',
  unknown: 'no language cloc counts',
  empty: 'empty (cloc counts nothing in it)',
};

/**
 * Collects the files the map leaves out of its language table, by reason and
 * detail, so that every file is accounted for.
 *
 * @example const ledger = new NotCountedLedger(); ledger.add('LICENSE', 'unknown', 'no extension...'); ledger.groups()
 */
export class NotCountedLedger {
  private readonly byKey = new Map<string, { reason: NotCountedReason; detail: string; paths: string[] }>();

  add(relativePath: string, reason: NotCountedReason, detail: string = DEFAULT_DETAILS[reason]): void {
    const key = `${reason}\n${detail}`;
    let group = this.byKey.get(key);
    if (!group) {
      group = { reason, detail, paths: [] };
      this.byKey.set(key, group);
    }
    group.paths.push(relativePath);
  }

  /** Files in every group. */
  total(): number {
    let total = 0;
    for (const group of this.byKey.values()) total += group.paths.length;
    return total;
  }

  /** The groups by reason, then detail, each with its paths sorted. */
  groups(): NotCountedGroup[] {
    return [...this.byKey.values()]
      .sort((a, b) => compareStrings(a.reason, b.reason) || compareStrings(a.detail, b.detail))
      .map(({ reason, detail, paths }) => ({ reason, detail, files: paths.length, paths: paths.sort(compareStrings) }));
  }
}
