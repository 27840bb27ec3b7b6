import path from 'node:path';
import type { Finding } from '../../run/types.js';
import { compareStrings, listRepositoryFiles, readTextHead } from '../../files/index.js';
import { scanTextForSecrets } from '../../secrets/index.js';
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

/**
 * The audit worker's local analysis: secret rules over every analysable file
 * (config and `.env*` files included; lock, vendored, generated, binary and
 * git-ignored files left out) and dangerous-call rules over code. Findings
 * are sorted by severity, file, line and rule so two runs over the same tree
 * give the same output.
 *
 * @example const { summary, findings } = await runLocalAudit('/work/repo');
 */
export async function runLocalAudit(repoDir: string, options: LocalAuditOptions = {}): Promise<LocalAuditResult> {
  const started = performance.now();
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const root = path.resolve(repoDir);
  const { files } = await listRepositoryFiles(root);
  const findings: Finding[] = [];
  let filesScanned = 0;
  let bytesScanned = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      options.signal?.throwIfAborted();
      const file = files[next++]!;
      const read = await readTextHead(path.join(root, file.path), maxFileBytes);
      if (read.kind !== 'text') continue;
      filesScanned++;
      bytesScanned += Buffer.byteLength(read.text);
      findings.push(...scanTextForSecrets(read.text, file.path), ...scanDangerousCalls(read.text, file.path));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 8) }, worker));
  findings.sort(compareFindings);
  const findingsBySeverity = Object.fromEntries(
    SEVERITY_ORDER.map((severity) => [severity, findings.filter((finding) => finding.severity === severity).length]),
  ) as Record<Finding['severity'], number>;
  return {
    summary: summarise(findings.length, findingsBySeverity, filesScanned),
    stats: { filesScanned, bytesScanned, findingsBySeverity, durationMs: Math.round(performance.now() - started) },
    findings,
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

function summarise(total: number, bySeverity: Readonly<Record<Finding['severity'], number>>, files: number): string {
  const scanned = `${files} file${files === 1 ? '' : 's'}`;
  if (total === 0) return `Local audit: no findings in ${scanned}.`;
  const parts = SEVERITY_ORDER.filter((severity) => bySeverity[severity] > 0).map((severity) => `${bySeverity[severity]} ${severity}`);
  return `Local audit: ${total} finding${total === 1 ? '' : 's'} (${parts.join(', ')}) in ${scanned}.`;
}
