import path from 'node:path';
import type { ExclusionReason, Finding } from '../../run/types.js';
import { compareStrings, hasGeneratedMarker, listRepositoryFiles, readTextHead, type FileClass } from '../../files/index.js';
import { withFindingContext } from '../../findings/findingContext.js';
import { scanTextForSecrets } from '../../secrets/index.js';
import { describeUnanalysed } from './describeUnanalysed.js';
import { scanDangerousCalls } from './scanDangerousCalls.js';
import type { LocalAuditResult } from './types.js';

export interface LocalAuditOptions {
  /** Bytes read from the head of each file (default 1 MiB); the rest is not scanned. */
  readonly maxFileBytes?: number;
  /** Files read at the same time (default 8). */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
}

const SEVERITY_ORDER: readonly Finding['severity'][] = ['critical', 'high', 'medium', 'low', 'info'];
const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
/** Paths of files not analysed kept in the output; every one is counted whatever this cap. */
const MAX_LISTED_PATHS = 200;

/** Thrown when the audit could read nothing of the repository: the run fails and says why. */
export class NothingReadableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NothingReadableError';
  }
}

/**
 * The audit worker's local analysis: secret rules over every file git tracks
 * or does not ignore (config, `.env*`, lock, vendored, generated and minified
 * files included: secrets hide there), and dangerous-call rules over the code
 * that is the repository's own (not lock, vendored or generated, by name,
 * `.gitattributes` or a generator's marker). Findings outside production code
 * carry a `context` and a lower severity. Every file not analysed is counted
 * by reason (`stats.notAnalysed`); a run that could not read part of the tree
 * says so in `incomplete`, and one that could read nothing throws.
 * Findings are sorted by severity, file, line and rule so two runs over the
 * same tree give the same output.
 *
 * @example const { summary, findings } = await runLocalAudit('/work/repo');
 */
export async function runLocalAudit(repoDir: string, options: LocalAuditOptions = {}): Promise<LocalAuditResult> {
  const started = performance.now();
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const root = path.resolve(repoDir);
  const { files, skipped } = await listRepositoryFiles(root, { includeAllClasses: true });
  const findings: Finding[] = [];
  const notAnalysed: { path: string; reason: ExclusionReason }[] = [...skipped];
  const secretsOnly: Partial<Record<FileClass, number>> = {};
  let filesScanned = 0;
  let bytesScanned = 0;
  let truncated = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      options.signal?.throwIfAborted();
      const file = files[next++]!;
      const read = await readTextHead(path.join(root, file.path), maxFileBytes);
      if (read.kind !== 'text') {
        notAnalysed.push({ path: file.path, reason: read.kind === 'binary' ? 'binary' : 'unreadable' });
        continue;
      }
      filesScanned++;
      bytesScanned += Buffer.byteLength(read.text);
      if (read.truncated) truncated++;
      findings.push(...scanTextForSecrets(read.text, file.path));
      // Third-party and generated code is scanned for secrets only: its dangerous calls are not this repository's to fix.
      const fileClass = file.fileClass ?? (hasGeneratedMarker(read.text) ? 'generated' : undefined);
      if (fileClass) secretsOnly[fileClass] = (secretsOnly[fileClass] ?? 0) + 1;
      else findings.push(...scanDangerousCalls(read.text, file.path));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 8) }, worker));
  notAnalysed.sort((a, b) => compareStrings(a.path, b.path));
  const unanalysed = describeUnanalysed(notAnalysed, filesScanned);
  if (unanalysed.nothingRead) throw new NothingReadableError(unanalysed.nothingRead);
  const placed = findings.map(withFindingContext).sort(compareFindings);
  const findingsBySeverity = Object.fromEntries(
    SEVERITY_ORDER.map((severity) => [severity, placed.filter((finding) => finding.severity === severity).length]),
  ) as Record<Finding['severity'], number>;
  return {
    summary: summarise(placed, findingsBySeverity, filesScanned),
    stats: {
      filesScanned,
      bytesScanned,
      findingsBySeverity,
      durationMs: Math.round(performance.now() - started),
      notAnalysed: unanalysed.counts,
      ...(notAnalysed.length > 0 ? { notAnalysedPaths: notAnalysed.slice(0, MAX_LISTED_PATHS) } : {}),
      ...(Object.keys(secretsOnly).length > 0 ? { secretsOnly } : {}),
      ...(truncated > 0 ? { truncatedFiles: truncated } : {}),
    },
    ...(unanalysed.incomplete ? { incomplete: unanalysed.incomplete } : {}),
    findings: placed,
  };
}

/** Severity first (critical on top), then file, line and rule: a stable, readable order. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
    compareStrings(a.file, b.file) ||
    a.line - b.line ||
    compareStrings(a.ruleId, b.ruleId)
  );
}

function summarise(findings: readonly Finding[], bySeverity: Readonly<Record<Finding['severity'], number>>, files: number): string {
  const scanned = `${files} file${files === 1 ? '' : 's'}`;
  const total = findings.length;
  if (total === 0) return `Local audit: no findings in ${scanned}.`;
  const parts = SEVERITY_ORDER.filter((severity) => bySeverity[severity] > 0).map((severity) => `${bySeverity[severity]} ${severity}`);
  const elsewhere = findings.filter((finding) => finding.context !== undefined).length;
  const placement = elsewhere > 0 ? `; ${total - elsewhere} in production code, ${elsewhere} in tests, docs, examples or translations` : '';
  return `Local audit: ${total} finding${total === 1 ? '' : 's'} (${parts.join(', ')}) in ${scanned}${placement}.`;
}
