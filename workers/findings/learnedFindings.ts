import type { TrackableFinding } from './types.js';
import { REPOSITORY_SCOPE } from './types.js';

/** Rules of the tracked ultralearn items. */
export const LEARNED_RULES = { convention: 'learned-convention', glossary: 'glossary-term' } as const;

const MAX_EVIDENCE_CHARS = 300;

/**
 * The findings of an ultralearn output: one per convention (subject its name)
 * and one per glossary term (subject the term), about the repository as a
 * whole (`file` is REPOSITORY_SCOPE, line 0, severity info). A team sees which
 * conventions and terms are new since the last learning run and which the
 * code stopped following; descriptions, meanings and examples can be
 * reworded freely, the subject is what identifies an item. The first
 * example of a convention is kept as its evidence. The architecture summary
 * is one text, not an item: it is not tracked. Null when the output has
 * neither a conventions nor a glossary array.
 *
 * @example learnedFindings({ conventions: [{ name: 'Naming', description: 'camelCase' }], glossary: [] })?.[0]?.ruleId === 'learned-convention'
 */
export function learnedFindings(output: unknown): TrackableFinding[] | null {
  const learned = output as { conventions?: unknown; glossary?: unknown } | null | undefined;
  if (!Array.isArray(learned?.conventions) && !Array.isArray(learned?.glossary)) return null;
  const findings: TrackableFinding[] = [];
  for (const value of Array.isArray(learned?.conventions) ? learned.conventions : []) {
    const convention = value as { name?: unknown; description?: unknown; examples?: unknown } | null;
    if (typeof convention?.name !== 'string' || !convention.name.trim() || typeof convention.description !== 'string') continue;
    const example = Array.isArray(convention.examples) ? convention.examples.find((e): e is string => typeof e === 'string' && e.trim() !== '') : undefined;
    findings.push({
      ruleId: LEARNED_RULES.convention,
      severity: 'info',
      file: REPOSITORY_SCOPE,
      line: 0,
      message: `${convention.name.trim()}: ${convention.description.trim()}`,
      subject: convention.name,
      ...(example ? { evidence: example.slice(0, MAX_EVIDENCE_CHARS) } : {}),
    });
  }
  for (const value of Array.isArray(learned?.glossary) ? learned.glossary : []) {
    const entry = value as { term?: unknown; meaning?: unknown } | null;
    if (typeof entry?.term !== 'string' || !entry.term.trim() || typeof entry.meaning !== 'string') continue;
    findings.push({ ruleId: LEARNED_RULES.glossary, severity: 'info', file: REPOSITORY_SCOPE, line: 0, message: `${entry.term.trim()}: ${entry.meaning.trim()}`, subject: entry.term });
  }
  return findings;
}
