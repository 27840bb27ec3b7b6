import { createHash } from 'node:crypto';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { listRepositoryFiles, readTextHead } from '../files/index.js';
import type { RunResult } from '../run/types.js';
import { applyRunToFindings, type FingerprintedFinding } from './applyRunToFindings.js';
import { findingIdentity } from './fingerprintFinding.js';
import type { FindingSet, FindingStore } from './FindingStore.js';
import type { Suppression } from './suppressions.js';
import type { LifecycleChanges, RunCoverage, TrackableFinding } from './types.js';
import { REPOSITORY_SCOPE } from './types.js';
import { findingsOf } from './workerFindings.js';

/** Counts recorded with the run, so `run` can say "1 new, 1 fixed, 4 open". */
export interface FindingSummary {
  readonly new: number;
  readonly returned: number;
  readonly fixed: number;
  readonly open: number;
  readonly suppressed: number;
}

const MAX_FILE_BYTES = 4 * 1024 * 1024;

/**
 * A repository-relative path a model reported, or null when it points outside
 * the repository: model output is as untrusted as the code it read.
 */
function insideRepository(repoDir: string, file: string): string | null {
  const normalized = path.posix.normalize(file.replace(/\\/g, '/')).replace(/^\.\//, '');
  if (normalized.startsWith('../') || normalized === '..' || path.isAbsolute(normalized)) return null;
  return path.resolve(repoDir, normalized).startsWith(path.resolve(repoDir) + path.sep) ? normalized : null;
}

/**
 * Fingerprints a run's findings; a second finding with the same fingerprint gets an indexed one.
 * `linesByFile` lets a caller fingerprinting many runs of one repository read each file once.
 */
export async function fingerprintFindings(
  repoDir: string,
  findings: readonly TrackableFinding[],
  linesByFile = new Map<string, readonly string[] | null>(),
): Promise<FingerprintedFinding[]> {
  const used = new Map<string, number>();
  const out: FingerprintedFinding[] = [];
  for (const finding of findings) {
    const file = finding.file === REPOSITORY_SCOPE ? null : insideRepository(repoDir, finding.file);
    let lines: readonly string[] | null = null;
    // A finding anchored on its subject needs no file content.
    if (file && finding.subject === undefined) {
      if (!linesByFile.has(file)) {
        const read = await readTextHead(path.join(repoDir, file), MAX_FILE_BYTES);
        linesByFile.set(file, read.kind === 'text' ? read.text.split(/\r?\n/) : null);
      }
      lines = linesByFile.get(file) ?? null;
    }
    const identity = findingIdentity({ ...finding, file: file ?? finding.file }, lines);
    const count = used.get(identity.fingerprint) ?? 0;
    used.set(identity.fingerprint, count + 1);
    const indexed = (base: string) => (count === 0 ? base : createHash('sha256').update(`${base}#${count}`).digest('hex').slice(0, 20));
    const { subject: _subject, ...plain } = finding;
    out.push({
      ...plain,
      file: file ?? finding.file,
      fingerprint: indexed(identity.fingerprint),
      ...(identity.contentFingerprint ? { contentFingerprint: indexed(identity.contentFingerprint) } : {}),
    });
  }
  return out;
}

/**
 * What a run covered: a local audit reads every analysable file; a headless
 * run covers the files that went into its context whole (a truncated file may
 * hide a finding in its tail). Runs that did not finish cover nothing; an
 * incremental run does not cover the repository as a whole (so it cannot
 * mark a learned convention fixed).
 */
export async function coverageOf(result: RunResult, repoDir: string): Promise<RunCoverage> {
  // An INCOMPLETE run ended normally over what it could read: it covers the files it listed, never the whole repository.
  const complete = result.status === 'SUCCEEDED' || result.status === 'INCOMPLETE';
  if (!complete) return { complete, files: new Set(), repository: false };
  const repository = result.status === 'SUCCEEDED' && result.scan?.kind !== 'incremental';
  if (result.mode === 'local') {
    const { files } = await listRepositoryFiles(repoDir);
    return { complete, files: new Set(files.map((file) => file.path)), repository };
  }
  return { complete, files: new Set((result.context?.files ?? []).filter((file) => !file.truncated).map((file) => file.path)), repository };
}

/**
 * The files of a set's unfixed findings that no longer exist in the
 * repository (nothing at that path, not even a link). A file a finding names
 * that lies outside the repository is not looked at. Read before the update:
 * a file is gone for this run whatever a concurrent writer adds meanwhile.
 */
export async function goneFilesOf(set: FindingSet, repoDir: string): Promise<Set<string>> {
  const files = new Set(set.records.filter((record) => record.state !== 'fixed' && record.file !== REPOSITORY_SCOPE).map((record) => record.file));
  const gone = new Set<string>();
  await Promise.all(
    [...files].map(async (file) => {
      const inside = insideRepository(repoDir, file);
      if (inside === null) return;
      const missing = await lstat(path.join(repoDir, inside)).then(
        () => false,
        (error: NodeJS.ErrnoException) => error.code === 'ENOENT' || error.code === 'ENOTDIR',
      );
      if (missing) gone.add(file);
    }),
  );
  return gone;
}

/**
 * Applies one run's findings to the tracked set of its (target, worker) and
 * returns what changed; a run already applied (duplicate delivery) changes nothing.
 */
export async function trackRunFindings(options: {
  readonly result: RunResult;
  readonly repoDir: string;
  readonly store: FindingStore;
  readonly suppressions: readonly Suppression[];
  readonly now: Date;
}): Promise<{ summary: FindingSummary; changes: LifecycleChanges } | null> {
  const { result } = options;
  const findings = findingsOf(result);
  if (!findings || (result.status !== 'SUCCEEDED' && result.status !== 'INCOMPLETE')) return null;
  const fingerprinted = await fingerprintFindings(options.repoDir, findings);
  const scanned = await coverageOf(result, options.repoDir);
  const coverage: RunCoverage = { ...scanned, goneFiles: await goneFilesOf(await options.store.load(result.target, result.worker), options.repoDir) };
  let changes: LifecycleChanges | null = null;
  const set = await options.store.update(result.target, result.worker, (current) => {
    if (current.lastRunId === result.runId) return current;
    const applied = applyRunToFindings(
      current.records,
      { runId: result.runId, worker: result.worker, target: result.target, finishedAt: result.finishedAt, mode: result.mode, findings: fingerprinted, coverage },
      options.suppressions,
      options.now,
    );
    changes = applied.changes;
    return { ...current, lastRunId: result.runId, records: applied.records };
  });
  const final: LifecycleChanges = changes ?? { new: [], returned: [], fixed: [], open: set.records.filter((r) => r.state === 'open').length, suppressed: set.records.filter((r) => r.state === 'suppressed').length };
  return {
    summary: { new: final.new.length, returned: final.returned.length, fixed: final.fixed.length, open: final.open, suppressed: final.suppressed },
    changes: final,
  };
}
