import type { BuiltContext, Finding } from '../run/types.js';
import { localHitsByFile, runLocalAudit } from '../local/audit/index.js';

/** Share of a worker's context budget the list of local findings may take. */
export const LOCAL_FINDINGS_SHARE = 0.05;

/** The local audit's findings as a headless prompt uses them. */
export interface LocalFindingsForPrompt {
  /** Production lines flagged, by file: they steer the context's regions. */
  readonly hits: ReadonlyMap<string, readonly number[]>;
  /** The list for the prompt ('' when there is nothing to list). */
  readonly text: string;
  /** What was listed and what was not, for the run's notes. */
  readonly note: string;
  /** The same, as counts for the run record. */
  readonly counts: NonNullable<BuiltContext['localFindings']>;
}

/**
 * Runs the local audit over the repository and turns its production findings
 * into (1) the lines that steer the `security` context and (2) a list the
 * model is asked to confirm, refute or extend, within `maxChars`. Findings
 * that do not fit, and those in tests, docs, examples or translations, are
 * counted in the list's last line and in the note, never dropped silently. A
 * local audit that cannot run leaves the prompt without the list and says why.
 *
 * @example const local = await localFindingsForPrompt('/work/api', 6_000, (path) => true);
 */
export async function localFindingsForPrompt(repoDir: string, maxChars: number, inScope: (file: string) => boolean, signal?: AbortSignal): Promise<LocalFindingsForPrompt> {
  let findings: readonly Finding[];
  try {
    findings = (await runLocalAudit(repoDir, signal ? { signal } : {})).findings;
  } catch (error) {
    signal?.throwIfAborted();
    const reason = error instanceof Error ? error.message : String(error);
    return { hits: new Map(), text: '', note: `local audit could not run, its findings are not in the prompt: ${reason}`, counts: { production: 0, listed: 0, notListed: 0, elsewhere: 0, error: reason } };
  }
  const production = findings.filter((finding) => finding.context === undefined && inScope(finding.file));
  const elsewhere = findings.filter((finding) => finding.context !== undefined).length;
  const outOfScope = findings.length - production.length - elsewhere;
  if (production.length === 0) {
    return {
      hits: new Map(),
      text: '',
      note: `local audit: no finding in production code to check (${elsewhere} in tests, docs, examples or translations)`,
      counts: { production: 0, listed: 0, notListed: 0, elsewhere },
    };
  }
  const heading = 'The local analysis flagged these lines (their code is in the file contents below): confirm, refute, or extend each.\n';
  const lines: string[] = [];
  const listed: Finding[] = [];
  let used = heading.length;
  // Room for the closing count, whatever its numbers.
  const tailRoom = 160;
  // One line per file and rule: the same rule on many lines of a file (a table of users' passwords) costs one line.
  for (const group of groupByFileAndRule(production)) {
    const first = group[0]!;
    const where = group.length === 1 ? `${printable(first.file)}:${first.line}` : `${printable(first.file)} lines ${group.map((finding) => finding.line).join(', ')}`;
    const line = `- ${where} ${first.ruleId} (${first.severity}): ${printable(withoutMaskedValue(first.message))}\n`;
    if (used + line.length + tailRoom > maxChars) break;
    lines.push(line);
    listed.push(...group);
    used += line.length;
  }
  const unlisted = production.length - listed.length;
  const counts = `${production.length} in production code, ${listed.length} listed${unlisted > 0 ? `, ${unlisted} not listed for room` : ''}; ${elsewhere} in tests, docs, examples or translations not listed${outOfScope > 0 ? `; ${outOfScope} outside this scan's files` : ''}`;
  const text = listed.length > 0 ? `${heading}${lines.join('')}(local findings: ${counts})\n` : '';
  const fits = text.length <= maxChars;
  return {
    hits: localHitsByFile(fits ? listed : []),
    text: fits ? text : '',
    note: `local audit findings: ${counts}`,
    counts: { production: production.length, listed: fits ? listed.length : 0, notListed: production.length - (fits ? listed.length : 0), elsewhere },
  };
}

/** Findings of one rule and severity in one file, in the order their first finding came. */
function groupByFileAndRule(findings: readonly Finding[]): Finding[][] {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = JSON.stringify([finding.file, finding.ruleId, finding.severity]);
    const group = groups.get(key);
    if (group) group.push(finding);
    else groups.set(key, [finding]);
  }
  return [...groups.values()];
}

/** A secret's message ends with its masked value (`: AKIA****`, `: ab c****`): even its first characters stay out of a prompt. */
function withoutMaskedValue(message: string): string {
  if (!message.trimEnd().endsWith('*')) return message;
  const colon = message.indexOf(': ');
  return colon < 0 ? message : message.slice(0, colon);
}

/** Control characters of a repository's path or text escaped, so a file name cannot forge a line of the prompt. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
