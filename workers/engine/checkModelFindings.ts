import path from 'node:path';
import { readTextHead } from '../files/index.js';
import { withFindingContext } from '../findings/findingContext.js';
import { REPOSITORY_SCOPE } from '../findings/types.js';
import type { Finding } from '../run/types.js';

/** Files larger than this are counted by their first bytes only: a line past them is not rejected. */
const MAX_CHECKED_BYTES = 8 * 1024 * 1024;

/** Why a model's finding was dropped. */
export type RejectionReason = 'file not in the repository' | 'line past the end of the file';

/** What the check kept and what it dropped. */
export interface CheckedFindings {
  readonly parsedOutput: unknown;
  /** Dropped findings by reason; absent when none was dropped. */
  readonly rejected?: { readonly count: number; readonly note: string; readonly byReason: Readonly<Partial<Record<RejectionReason, number>>> };
}

/**
 * Checks each finding of a model's answer against the repository: one whose
 * file does not exist (or lies outside it, or is not a regular file), or
 * whose line is past the file's end, is dropped and counted, so it is never
 * tracked or exported. A finding about the repository as a whole (`.`) and
 * line 0 (the whole file) pass on the file check alone. The context (test,
 * docs, i18n, example) is set from the path, never taken from the model.
 *
 * @example const { parsedOutput, rejected } = await checkModelFindings(output, '/work/repo'); rejected?.note // "2 findings rejected: file not in the repository"
 */
export async function checkModelFindings(parsedOutput: unknown, repoDir: string): Promise<CheckedFindings> {
  const findings = (parsedOutput as { findings?: unknown } | null | undefined)?.findings;
  if (!Array.isArray(findings)) return { parsedOutput };
  const root = path.resolve(repoDir);
  const lineCounts = new Map<string, number | null>();
  const kept: Finding[] = [];
  const byReason: Partial<Record<RejectionReason, number>> = {};
  for (const raw of findings as Finding[]) {
    const { context: _fromModel, ...finding } = raw;
    const reason = await rejectionOf(finding, root, lineCounts);
    if (reason) byReason[reason] = (byReason[reason] ?? 0) + 1;
    else kept.push(finding.file === REPOSITORY_SCOPE ? finding : withFindingContext(finding));
  }
  const count = findings.length - kept.length;
  const checked = { ...(parsedOutput as object), findings: kept };
  if (count === 0) return { parsedOutput: checked };
  const reasons = (Object.keys(byReason) as RejectionReason[]).map((reason) => `${byReason[reason]} ${reason}`).join(', ');
  return { parsedOutput: checked, rejected: { count, byReason, note: `${count} finding${count === 1 ? '' : 's'} rejected: ${reasons}` } };
}

async function rejectionOf(finding: Finding, root: string, lineCounts: Map<string, number | null>): Promise<RejectionReason | null> {
  if (finding.file === REPOSITORY_SCOPE) return null;
  const normalized = path.posix.normalize(String(finding.file).replace(/\\/g, '/')).replace(/^\.\//, '');
  const absolute = path.resolve(root, normalized);
  if (path.isAbsolute(normalized) || !absolute.startsWith(root + path.sep)) return 'file not in the repository';
  if (!lineCounts.has(normalized)) {
    const read = await readTextHead(absolute, MAX_CHECKED_BYTES);
    // Binary files exist but have no lines to check; missing, linked, special or unreadable ones are not evidence.
    lineCounts.set(normalized, read.kind === 'text' ? (read.truncated ? Number.POSITIVE_INFINITY : countLines(read.text)) : read.kind === 'binary' ? Number.POSITIVE_INFINITY : null);
  }
  const lines = lineCounts.get(normalized) ?? null;
  if (lines === null) return 'file not in the repository';
  return finding.line > lines ? 'line past the end of the file' : null;
}

function countLines(text: string): number {
  if (text === '') return 0;
  const breaks = text.split('\n').length - 1;
  return text.endsWith('\n') ? breaks : breaks + 1;
}
