import { createHash } from 'node:crypto';
import type { Finding } from '../run/types.js';
import { normalizeRuleId } from './normalizeRuleId.js';
import { normalizeSubject } from './normalizeSubject.js';
import type { TrackableFinding } from './types.js';

/**
 * The fingerprint of a finding: stable across runs so a team can tell what is
 * new since yesterday.
 *
 * Rule: sha256 of (normalized rule category, file path, normalized anchor
 * line, occurrence), first 20 hex digits. The anchor is the line of code the
 * finding points at, with all whitespace removed; when the finding carries
 * evidence, the line nearest the reported one whose code contains the
 * evidence (or is contained in it) is used instead, so a model that is a line
 * or two off still lands on the same anchor. The occurrence counts identical
 * anchor lines above it in the file, so two findings on two identical lines
 * stay distinct.
 *
 * A finding with a `subject` (a predict hot spot, an ultralearn convention or
 * glossary term: no line of code to point at) is anchored on the normalized
 * subject instead (see normalizeSubject.ts), so the file's content and the
 * model's wording of message, area or description do not matter; naming the
 * subject with other words does.
 *
 * What survives: lines inserted or removed above (the line number is not in
 * the hash), reformatting of other code, a reworded message (not in the
 * hash), a reworded ruleId among known synonyms. What does not: editing the
 * flagged line itself (a changed line is, honestly, a different finding),
 * moving it to another file (a new fingerprint; the tracker carries the
 * finding's history over by its content fingerprint when the old file is gone), a model choosing a different category name
 * outside the synonym table, and evidence a model paraphrased instead of
 * quoting (then the reported line decides).
 */
export function fingerprintFinding(finding: Pick<TrackableFinding, 'ruleId' | 'file' | 'line' | 'evidence' | 'subject'>, fileLines: readonly string[] | null): string {
  return findingIdentity(finding, fileLines).fingerprint;
}

/**
 * The fingerprint (see {@link fingerprintFinding}) and, when the finding is
 * anchored on a line of code read from its file, a content fingerprint: the
 * same hash without the file path. A finding whose file was renamed or moved
 * keeps its content fingerprint, so the tracker can carry its identity over
 * (applyRunToFindings.ts); a finding anchored on a subject or on a bare line
 * number has none (nothing in it would tell a rename from a coincidence).
 *
 * @example findingIdentity({ ruleId: 'hardcoded-secret', file: 'src/b.ts', line: 1 }, ["const k = 'x';"]).contentFingerprint
 */
export function findingIdentity(
  finding: Pick<TrackableFinding, 'ruleId' | 'file' | 'line' | 'evidence' | 'subject'>,
  fileLines: readonly string[] | null,
): { readonly fingerprint: string; readonly contentFingerprint?: string } {
  const anchor = finding.subject !== undefined ? { text: `subject:${normalizeSubject(finding.subject)}`, occurrence: 0, fromCode: false } : anchorOf(finding, fileLines);
  const rule = normalizeRuleId(finding.ruleId);
  const fingerprint = hash20([rule, finding.file.replace(/\\/g, '/'), anchor.text, String(anchor.occurrence)]);
  return anchor.fromCode ? { fingerprint, contentFingerprint: hash20(['content', rule, anchor.text, String(anchor.occurrence)]) } : { fingerprint };
}

function hash20(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 20);
}

/** Whitespace-free form of a line: reindenting or re-spacing does not change it. */
export function normalizeCodeLine(line: string): string {
  return line.replace(/\s+/g, '');
}

/** How far from the reported line evidence is looked for. */
const EVIDENCE_WINDOW = 5;

function anchorOf(finding: Pick<Finding, 'line' | 'evidence'>, fileLines: readonly string[] | null): { text: string; occurrence: number; fromCode: boolean } {
  // Masked evidence (`'AKIA****'`) is compared on its unmasked head only.
  const rawEvidence = normalizeCodeLine(finding.evidence ?? '');
  const maskAt = rawEvidence.search(/\*{3,}/);
  const evidence = maskAt >= 0 ? rawEvidence.slice(0, maskAt) : rawEvidence;
  if (!fileLines || fileLines.length === 0) return { text: evidence || `line:${finding.line}`, occurrence: 0, fromCode: false };
  const normalized = fileLines.map(normalizeCodeLine);
  const reported = Math.min(Math.max(finding.line, 1), normalized.length) - 1;
  let index = reported;
  if (evidence.length >= 8) {
    const matches = (i: number) => {
      const line = normalized[i] ?? '';
      return line.length >= 4 && (line.includes(evidence) || (maskAt < 0 && evidence.includes(line)));
    };
    for (let distance = 0; distance <= EVIDENCE_WINDOW; distance++) {
      const hit = [reported - distance, reported + distance].find((i) => i >= 0 && i < normalized.length && matches(i));
      if (hit !== undefined) {
        index = hit;
        break;
      }
    }
  }
  const text = normalized[index] ?? '';
  let occurrence = 0;
  for (let i = 0; i < index; i++) if (normalized[i] === text) occurrence++;
  return { text: text || `line:${finding.line}`, occurrence, fromCode: text !== '' };
}
