import { fileRole, isEntryPoint, isSecurityRelevant, type FileRole } from './fileRole.js';
import { isTranslationPath } from './isTranslationPath.js';
import { RELEVANCE_SIGNALS, signalLines, type RelevanceKind, type SignalLine } from './relevanceSignals.js';

/** Weight of a line the local analysis flagged: above any content signal, so its region is kept first. */
export const LOCAL_HIT_WEIGHT = 5;

/** How relevant one file is to a security question, and which of its lines make it so. */
export interface FileRelevance {
  /** 0 for a file with nothing to show; larger is more relevant. */
  readonly score: number;
  /** 0: production code or config with signals; 1: production without; 2: tests, examples, docs, translations with signals; 3: the rest. */
  readonly tier: number;
  /** Lines worth showing, in line order (signals and local hits). */
  readonly lines: readonly SignalLine[];
}

/** Roles read after production code and configuration, whatever their content. */
const SECONDARY_ROLES: ReadonlySet<FileRole> = new Set(['test', 'example', 'docs', 'other']);

/**
 * Scores a file's text for a security audit: each kind of signal counts once
 * at its weight, more of the same kind counts logarithmically (variety of
 * dangers matters more than repetition), lines the local analysis flagged
 * count most, a security-sounding path or entry-point name adds a little, and
 * configuration counts half. Tests, fixtures, examples, docs and translations
 * are put in a later tier whatever they hold.
 *
 * @example fileRelevance('routes/user.py', text, [12]).tier === 0
 */
export function fileRelevance(relativePath: string, text: string, localHitLines: readonly number[] = []): FileRelevance {
  const found = signalLines(text);
  // An import names a module, not a use of it: it counts for the file's score but is not a line worth showing.
  const textLines = text.split('\n');
  const shown = found.filter((line) => !IMPORT_LINE.test(textLines[line.line - 1] ?? ''));
  const lines = mergeLocalHits(shown, localHitLines);
  const countsByKind = new Map<RelevanceKind, { weight: number; count: number }>();
  for (const line of found) {
    for (const kind of line.kinds) {
      const entry = countsByKind.get(kind);
      if (entry) entry.count++;
      else countsByKind.set(kind, { weight: kindWeight(kind), count: 1 });
    }
  }
  let score = 0;
  for (const { weight, count } of countsByKind.values()) score += weight * (1 + Math.log2(count));
  const hits = new Set(localHitLines).size;
  if (hits > 0) score += LOCAL_HIT_WEIGHT * (1 + Math.log2(hits) / 2);
  // Dense files first among equals: many dangerous lines in few characters are cheap to show and likely to matter.
  if (score > 0) score += densityBonus(shown, text.length);
  if (score > 0 && isSecurityRelevant(relativePath)) score += 1;
  if (score > 0 && isEntryPoint(relativePath)) score += 1;
  const role = fileRole(relativePath);
  if (role === 'config') score *= 0.5;
  const secondary = SECONDARY_ROLES.has(role) || isTranslationPath(relativePath);
  const tier = (secondary ? 2 : 0) + (score > 0 ? 0 : 1);
  return { score, tier, lines };
}

/** Most a file's density can add to its score: about one more kind of sink. */
const MAX_DENSITY_BONUS = 6;
const DENSITY_FACTOR = 1;

/** Weight of the sink and entry lines (weight 2 and up) per thousand characters, scaled and capped. */
function densityBonus(lines: readonly SignalLine[], chars: number): number {
  const weight = lines.reduce((sum, line) => sum + (line.weight >= 2 ? line.weight : 0), 0);
  return Math.min(MAX_DENSITY_BONUS, (DENSITY_FACTOR * weight) / (1 + chars / 1000));
}

/** An import, `from x import y`, `using`, `#include`, `require 'x'` or `use x;` line, in the common languages. */
const IMPORT_LINE = /^\s*(?:import\s|from\s+\S+\s+import\s|using\s+[\w.]+\s*;|#include\s|require\s*\(?\s*['"][^'"]+['"]\s*\)?\s*;?\s*$|use\s+[\w\\:]+\s*;)/;

function kindWeight(kind: RelevanceKind): number {
  return KIND_WEIGHTS.get(kind) ?? 1;
}

const KIND_WEIGHTS: ReadonlyMap<RelevanceKind, number> = new Map(RELEVANCE_SIGNALS.map((signal) => [signal.kind, signal.weight]));

function mergeLocalHits(found: readonly SignalLine[], localHitLines: readonly number[]): SignalLine[] {
  if (localHitLines.length === 0) return [...found];
  const byLine = new Map(found.map((line) => [line.line, line]));
  for (const line of localHitLines) {
    const existing = byLine.get(line);
    byLine.set(line, { line, weight: LOCAL_HIT_WEIGHT, kinds: existing?.kinds ?? [] });
  }
  return [...byLine.values()].sort((a, b) => a.line - b.line);
}
